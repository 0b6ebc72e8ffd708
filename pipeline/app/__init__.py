"""The top layer: the command line, batches, evaluation and the run of one file, which
ties the stages, the extractors and the store together."""
