"""SQLAlchemy models and the store functions; SQLite by default, PostgreSQL by URL."""

from models.schema import (
    Base,
    DocumentRow,
    IngestError,
    PageRow,
    Recipient,
    Reference,
    Target,
    Task,
)
from models.store import Store

__all__ = [
    "Base", "DocumentRow", "IngestError", "PageRow", "Recipient", "Reference", "Store",
    "Target", "Task",
]
