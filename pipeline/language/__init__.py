"""Diacritic restoration: the syllable language model and its decoder. Imports
pipeline.core only."""
