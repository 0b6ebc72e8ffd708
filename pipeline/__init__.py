"""vanban: scanned Vietnamese directives (văn bản chỉ đạo) to a queryable database."""

__version__ = "0.1.0"
