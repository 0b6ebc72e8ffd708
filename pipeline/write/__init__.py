"""What vanban writes besides the database: the searchable PDF/A of a scan (searchable), its
invisible text layer (textlayer) and its PDF/A metadata (pdfa)."""
