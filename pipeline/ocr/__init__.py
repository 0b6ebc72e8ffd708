"""From page image to words and tables: cleanup, Tesseract, layout, table cells, the
handwritten blanks, text zones. Imports pipeline.core and pipeline.read."""
