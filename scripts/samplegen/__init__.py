"""Synthetic scanned Vietnamese administrative documents with exact truth files."""
