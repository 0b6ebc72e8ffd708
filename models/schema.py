"""The directives database. Child rows cascade from their document, so replacing a document
is one delete and one insert inside a transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


def _organisation_fk() -> Mapped[int | None]:
    return mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"), index=True,
                         nullable=True)


class Organisation(Base):
    """A state body (cơ quan, đơn vị), shared by issuers, lead agencies and partners.

    ``parent`` is the body it sits under: a xã under its huyện, a huyện under its tỉnh, a Sở
    or Phòng under its Ủy ban nhân dân. Names are NFC; ``key`` is the folded name, for
    matching any spelling. Two bodies may share a name under different parents (every
    huyện has a ``Phòng Nội vụ``; several provinces have a ``huyện Châu Thành``).
    """

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text, index=True)
    kind: Mapped[str | None] = mapped_column(String(32))  # ubnd, so, phong... (catalogue)
    level: Mapped[str | None] = mapped_column(String(8))  # tinh / huyen / xa, for a UBND
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True, nullable=True
    )
    parent: Mapped[Organisation | None] = relationship(remote_side="Organisation.id")


class DocumentRow(Base):
    __tablename__ = "documents"
    # the filtered lists walk these in order (models/lists.py)
    __table_args__ = (Index("ix_documents_type_order", "doc_type", "order_key"),
                      Index("ix_documents_issuer_order", "issuer_id", "order_key"),
                      # a prefix (LIKE 'x%') uses it on PostgreSQL whatever the collation
                      Index("ix_documents_number_key", "number_key",
                            postgresql_ops={"number_key": "text_pattern_ops"}))

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)  # path as the user gave it
    path: Mapped[str] = mapped_column(Text, index=True)  # resolved path: identity of "the file"
    sha256: Mapped[str] = mapped_column(String(64), index=True, unique=True)  # one row per content
    page_count: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str | None] = mapped_column(String(64), index=True)
    number: Mapped[str | None] = mapped_column(String(128), index=True)
    issued_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    place: Mapped[str | None] = mapped_column(String(128))
    issuer: Mapped[str | None] = mapped_column(Text, index=True)
    issuer_parent: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    signer_name: Mapped[str | None] = mapped_column(String(128))
    signer_title: Mapped[str | None] = mapped_column(String(128))
    signing_authority: Mapped[str | None] = mapped_column(String(128))
    issuer_id: Mapped[int | None] = _organisation_fk()
    # the list order, newest first read backwards (models/fulltext.order_key)
    order_key: Mapped[int | None] = mapped_column(BigInteger, index=True, nullable=True)
    # the number as looked up (models/fulltext.number_key), for --number by its beginning
    number_key: Mapped[str | None] = mapped_column(String(128), nullable=True)
    # a received stamp (ĐẾN / CÔNG VĂN ĐẾN): the receiving office's own number and date
    received_number: Mapped[str | None] = mapped_column(String(32))
    received_date: Mapped[dt.date | None] = mapped_column(Date)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    timings: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    pages: Mapped[list[PageRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="PageRow.number"
    )
    recipients: Mapped[list[Recipient]] = relationship(
        cascade="all, delete-orphan", order_by="Recipient.position"
    )
    references: Mapped[list[Reference]] = relationship(
        cascade="all, delete-orphan", foreign_keys="Reference.document_id"
    )
    targets: Mapped[list[Target]] = relationship(cascade="all, delete-orphan")
    tasks: Mapped[list[Task]] = relationship(cascade="all, delete-orphan")
    provenance: Mapped[list[FieldProvenance]] = relationship(cascade="all, delete-orphan")
    confidences: Mapped[list[FieldConfidence]] = relationship(cascade="all, delete-orphan")
    signatures: Mapped[list[SignatureRow]] = relationship(
        cascade="all, delete-orphan", order_by="SignatureRow.position")


def _document_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)


class PageRow(Base):
    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _document_fk()
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))  # ocr / text-layer / text
    # the quarter turn the cleanup gave a scanned page (0/90/180/270), for serve's redraw
    turn: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # unused since revision 0009 (models/fulltext.py indexes whole documents)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # the page's tables as the record gives them: {"box", "rows": [[{"text", "row_span",
    # "col_span", "header"}]]}
    tables: Mapped[list | None] = mapped_column(JSON, nullable=True)
    document: Mapped[DocumentRow] = relationship(back_populates="pages")


class FieldProvenance(Base):
    """Where a header field was read: its page, box (x0, y0, x1, y1 in page pixels) and the
    OCR confidence of its words, so a reviewer can see the value on the scan."""

    __tablename__ = "field_provenance"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _document_fk()
    field: Mapped[str] = mapped_column(String(32))
    page: Mapped[int] = mapped_column(Integer)
    box: Mapped[list[int] | None] = mapped_column(JSON)
    confidence: Mapped[float | None] = mapped_column(Float)


class FieldConfidence(Base):
    """How sure the pipeline is of one header field's value, 0-1 (calibrated on real scans:
    fields at ≥ 0.9 are right ≥ 95% of the time)."""

    __tablename__ = "field_confidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _document_fk()
    field: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float, index=True)
    # a pen-written field's readings, [[value, share], …] best first (extractors/register)
    alternatives: Mapped[list | None] = mapped_column(JSON, nullable=True)


class SignatureRow(Base):
    """A digital signature (chữ ký số) of a signed PDF: who signed, when, and whether the
    signed bytes still match (trust in the certificate is not judged)."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _document_fk()
    position: Mapped[int] = mapped_column(Integer)
    signer: Mapped[str | None] = mapped_column(Text)
    organisation: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[str | None] = mapped_column(String(40))  # ISO 8601 with its offset
    valid: Mapped[bool] = mapped_column(Boolean)


class Recipient(Base):
    __tablename__ = "recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _document_fk()
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)


class Reference(Base):
    """A cited document (văn bản căn cứ / trích dẫn), by its canonical number."""

    __tablename__ = "doc_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _document_fk()
    number: Mapped[str] = mapped_column(String(128), index=True)
    doc_type: Mapped[str | None] = mapped_column(String(64))
    date: Mapped[dt.date | None] = mapped_column(Date)
    issuer: Mapped[str | None] = mapped_column(Text)
    # the edge: the stored document cited, when its number and issuer match; NULL while
    # the cited document is not in the database (a dangling citation)
    cited_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True, nullable=True
    )


class Indicator(Base):
    """A canonical indicator of extractors/data/indicators.tsv (chỉ tiêu from 766/QĐ-TTg,
    01/NQ-CP, 02/NQ-CP): the one name under which targets compare across documents."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)


class Target(Base):
    """Chỉ tiêu: a percentage target or reported figure."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _document_fk()
    indicator: Mapped[str] = mapped_column(Text)
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicators.id", ondelete="SET NULL"), index=True, nullable=True
    )
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(16))
    comparator: Mapped[str | None] = mapped_column(String(2))
    kind: Mapped[str | None] = mapped_column(String(8))
    year: Mapped[int | None] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    box: Mapped[list[int] | None] = mapped_column(JSON)  # provenance: x0, y0, x1, y1 on the page
    confidence: Mapped[float | None] = mapped_column(Float)  # mean OCR confidence of its words
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Task(Base):
    """Nhiệm vụ: a task with its lead agency (chủ trì), partners and deadline."""

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_lead_due", "lead_id", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _document_fk()
    content: Mapped[str] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    lead_id: Mapped[int | None] = _organisation_fk()
    deadline: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    output: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    box: Mapped[list[int] | None] = mapped_column(JSON)  # provenance: the table row
    confidence: Mapped[float | None] = mapped_column(Float)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    partners: Mapped[list[TaskPartner]] = relationship(
        cascade="all, delete-orphan", order_by="TaskPartner.position"
    )


class TaskPartner(Base):
    """Cơ quan phối hợp: a partner of a task, in the order the document lists them."""

    __tablename__ = "task_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int | None] = _organisation_fk()


class IngestRun(Base):
    """One ``vanban ingest`` call: what it found and did. A run whose ``finished_at`` is
    empty was interrupted (killed, or the machine went down)."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    root: Mapped[str] = mapped_column(Text)
    executor: Mapped[str] = mapped_column(String(16))
    workers: Mapped[int | None] = mapped_column(Integer)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    files_found: Mapped[int] = mapped_column(Integer, default=0)
    stored: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int] = mapped_column(Integer, default=0)


class IngestError(Base):
    """A file that could not be processed, with the reason shown to the user."""

    __tablename__ = "ingest_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    path: Mapped[str] = mapped_column(Text, index=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingest_runs.id", ondelete="SET NULL"), index=True, nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())


def outside_orm(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """For Alembic: False for the full-text index models/fulltext.py manages itself (its
    tables, and FTS5's shadow tables on SQLite)."""
    return not (type_ == "table" and (name or "").startswith("document_search"))


class Correction(Base):
    """A value a person corrected, kept apart from the machine's: keyed by the document's
    content hash, not its row, so a re-extraction (which replaces the row) never erases it,
    and the record served shows the corrected value with the correction beside it."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    field: Mapped[str] = mapped_column(String(32))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class DocumentPath(Base):
    """A path a content was seen under (one document per content, every path kept): keyed
    by the content hash, so a re-extraction, which replaces the document row, keeps them."""

    __tablename__ = "document_paths"
    __table_args__ = (UniqueConstraint("sha256", "path", name="uq_document_paths_sha256_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(Text)  # resolved, as documents.path
    source: Mapped[str] = mapped_column(Text)  # as the user gave it
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
