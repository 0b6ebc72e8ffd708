"""The bottom layer: the document tree, settings, the error tree, text normalisation
and syllable rules, scratch files and child processes. Imports nothing of vanban."""
