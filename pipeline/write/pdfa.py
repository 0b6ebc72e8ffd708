"""PDF/A-2b for a searchable PDF: the output intent, the metadata (XMP and the Info
dictionary saying the same), the record carried in the file, and the checks that decide
whether the file may claim PDF/A at all.

What PDF/A-2b asks of a scan with a text layer, and how each is met here: colour defined by
an ICC output intent (sRGB, made by littlecms through Pillow: no file to ship); every font
embedded (the glyphless font is; a page of the input whose fonts are not makes the file
plain PDF); XMP metadata, unfiltered, agreeing with the Info dictionary, with an extension
schema declaring vanban's own properties; no encryption, JavaScript, launch actions or
LZW. ``problems`` reports what an input brings that breaks these, and the file is then
written without the claim (said as a warning), never with a false one.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.sax.saxutils import escape

import pikepdf
from PIL import ImageCms

VANBAN_NS = "https://vanban.example/ns/record/1.0/"  # a name, never fetched
PRODUCER = "vanban"


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def add_output_intent(pdf: pikepdf.Pdf) -> None:
    profile = pikepdf.Stream(pdf, srgb_profile())
    profile.N = 3
    pdf.Root.OutputIntents = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB"),
        Info=pikepdf.String("sRGB IEC61966-2.1"), DestOutputProfile=profile)]))


def record_metadata(record: dict[str, Any]) -> dict[str, str]:
    """The document's own fields as PDF metadata: title = trích yếu, subject = số ký hiệu,
    author = the issuing body (cơ quan ban hành), keywords = the type and the place."""
    subject = record.get("subject") or ""
    doc_type = record.get("doc_type") or ""
    title = f"{doc_type} {subject}".strip() if subject and doc_type and \
        not subject.startswith(doc_type) else subject or doc_type
    return {key: value for key, value in (
        ("title", title), ("subject", record.get("number") or ""),
        ("author", record.get("issuer") or ""),
        ("keywords", ", ".join(v for v in (doc_type, record.get("place"),
                                           record.get("issued_date")) if v)),
    ) if value}


def carried_record(record: dict[str, Any]) -> str:
    """The record the file carries: its fields, not its text (the text layer is the text)."""
    kept = {k: v for k, v in record.items() if k not in ("text", "pages", "timings",
                                                         "warnings", "corrections")}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)


def write_metadata(pdf: pikepdf.Pdf, record: dict[str, Any], pdfa: bool,
                   now: dt.datetime | None = None) -> None:
    """Replace the file's metadata with the record's, in XMP and in the Info dictionary."""
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    created = _created(pdf) or now
    meta = record_metadata(record)
    info = pikepdf.Dictionary(Producer=pikepdf.String(PRODUCER),
                              Creator=pikepdf.String(PRODUCER),
                              CreationDate=pikepdf.String(_pdf_date(created)),
                              ModDate=pikepdf.String(_pdf_date(now)))
    for key, name in (("title", "Title"), ("subject", "Subject"), ("author", "Author"),
                      ("keywords", "Keywords")):
        if key in meta:
            info[pikepdf.Name("/" + name)] = pikepdf.String(meta[key])
    pdf.trailer.Info = pdf.make_indirect(info)
    xmp = pikepdf.Stream(pdf, _xmp(meta, record, created, now, pdfa).encode("utf-8"))
    xmp.Type = pikepdf.Name.Metadata
    xmp.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = pdf.make_indirect(xmp)


def _created(pdf: pikepdf.Pdf) -> dt.datetime | None:
    """The input's own creation date, kept (a scan's date is part of its history)."""
    try:
        raw = str(pdf.trailer.Info.CreationDate) if "/Info" in pdf.trailer else ""
    except (AttributeError, KeyError, ValueError):
        return None
    text = raw[2:] if raw.startswith("D:") else raw
    try:
        return dt.datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _pdf_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _xmp(meta: dict[str, str], record: dict[str, Any], created: dt.datetime,
         now: dt.datetime, pdfa: bool) -> str:
    def alt(name: str, value: str) -> str:
        return (f"<{name}><rdf:Alt><rdf:li xml:lang=\"x-default\">{escape(value)}</rdf:li>"
                f"</rdf:Alt></{name}>")

    props = []
    if "title" in meta:
        props.append(alt("dc:title", meta["title"]))
    if "subject" in meta:
        props.append(alt("dc:description", meta["subject"]))
    if "author" in meta:
        props.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(meta['author'])}</rdf:li>"
                     "</rdf:Seq></dc:creator>")
    if "keywords" in meta:
        props.append(f"<pdf:Keywords>{escape(meta['keywords'])}</pdf:Keywords>")
    props += [f"<pdf:Producer>{PRODUCER}</pdf:Producer>",
              f"<xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>",
              f"<xmp:CreateDate>{_xmp_date(created)}</xmp:CreateDate>",
              f"<xmp:ModifyDate>{_xmp_date(now)}</xmp:ModifyDate>",
              f"<xmp:MetadataDate>{_xmp_date(now)}</xmp:MetadataDate>",
              "<dc:format>application/pdf</dc:format>",
              f"<vanban:record>{escape(carried_record(record))}</vanban:record>"]
    if record.get("issued_date"):
        props.append(f"<vanban:issued>{escape(record['issued_date'])}</vanban:issued>")
    if pdfa:
        props += ["<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
                  _extension_schema()]
    return ("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
            "<rdf:Description rdf:about=\"\" "
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
            "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" "
            "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" "
            "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" "
            "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
            "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
            "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\" "
            f"xmlns:vanban=\"{VANBAN_NS}\">\n" + "\n".join(props) +
            "\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>")


def _extension_schema() -> str:
    """PDF/A wants every property outside its predefined schemas declared in the file."""
    def prop(name: str, description: str) -> str:
        return (f"<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}"
                "</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>"
                "<pdfaProperty:category>external</pdfaProperty:category>"
                f"<pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>")

    return ("<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">"
            "<pdfaSchema:schema>vanban document record</pdfaSchema:schema>"
            f"<pdfaSchema:namespaceURI>{VANBAN_NS}</pdfaSchema:namespaceURI>"
            "<pdfaSchema:prefix>vanban</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>"
            + prop("record", "the fields vanban read from the document, as JSON")
            + prop("issued", "the day the document was issued (ngày ban hành), ISO 8601")
            + "</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas>")


FORBIDDEN_FILTERS = {"/LZWDecode"}
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData",
                     "/JavaScript", "/Hide", "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView"}


def problems(pdf: pikepdf.Pdf) -> list[str]:
    """What in the file keeps it from being PDF/A-2b (the checks a scan's PDF can fail; a
    file vanban made from images passes them all)."""
    found: list[str] = []  # (an encrypted input is written decrypted: PDF/A forbids it)
    if "/Names" in pdf.Root and "/JavaScript" in pdf.Root.Names:
        found.append("it holds JavaScript")
    if "/Names" in pdf.Root and "/EmbeddedFiles" in pdf.Root.Names:
        found.append("it has attached files (PDF/A-2 allows only PDF/A ones)")
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            filters = obj.get("/Filter")
            names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else \
                [str(filters)] if filters is not None else []
            if FORBIDDEN_FILTERS & set(names):
                found.append("a stream is LZW-compressed")
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        kind = obj.get("/Type")
        if kind == pikepdf.Name.Font and obj.get("/Subtype") in (
                pikepdf.Name.Type1, pikepdf.Name.TrueType, pikepdf.Name.MMType1) and \
                "/FontDescriptor" not in obj:
            found.append(f"font {obj.get('/BaseFont', '?')} is not embedded")
        if kind == pikepdf.Name.FontDescriptor and not any(
                k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            found.append(f"font {obj.get('/FontName', '?')} is not embedded")
        if str(obj.get("/S", "")) in FORBIDDEN_ACTIONS:
            found.append(f"it has a {obj.get('/S')} action")
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") not in (pikepdf.Name.Link, pikepdf.Name.Popup) and \
                    "/AP" not in annot:
                found.append(f"page {number}: an annotation without an appearance")
    return list(dict.fromkeys(found))
