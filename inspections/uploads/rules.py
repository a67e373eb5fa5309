"""What may be uploaded: the allowed kinds, the signs of dangerous files, and the messages of refusal."""

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc_inspect.transliteration import transliterate

CHUNK = 64 * 1024
# Room for the form's other fields around the file in a multipart body.
FORM_OVERHEAD_BYTES = 256 * 1024
HEAD_BYTES = 8 * 1024

# Bounds an ordinary office document never reaches; beyond them a file is a zip bomb or a trap.
# Small parts read to classify an office file; larger ones are scanned in chunks.
SMALL_PART_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    content_type: str
    extensions: frozenset[str]


KINDS = {
    kind.key: kind
    for kind in (
        Kind("pdf", "PDF", "application/pdf", frozenset({".pdf"})),
        Kind("jpeg", "JPEG", "image/jpeg", frozenset({".jpg", ".jpeg"})),
        Kind("png", "PNG", "image/png", frozenset({".png"})),
        Kind(
            "docx",
            "Word (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            frozenset({".docx"}),
        ),
        Kind(
            "xlsx",
            "Excel (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            frozenset({".xlsx"}),
        ),
        Kind("odt", "OpenDocument (ODT)", "application/vnd.oasis.opendocument.text", frozenset({".odt"})),
        Kind("ods", "OpenDocument (ODS)", "application/vnd.oasis.opendocument.spreadsheet", frozenset({".ods"})),
    )
}
ALLOWED_EXTENSIONS = sorted(ext for kind in KINDS.values() for ext in kind.extensions)
# For the file picker: a hint to the browser, never trusted.
ACCEPT_ATTRIBUTE = ",".join(ALLOWED_EXTENSIONS)

HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml"}
SVG_EXTENSIONS = {".svg", ".svgz"}
SCRIPT_EXTENSIONS = {
    ".js",
    ".mjs",
    ".jse",
    ".vbs",
    ".vbe",
    ".wsf",
    ".wsh",
    ".ps1",
    ".psm1",
    ".sh",
    ".bash",
    ".bat",
    ".cmd",
    ".py",
    ".pl",
    ".php",
    ".rb",
}
EXECUTABLE_EXTENSIONS = {
    ".exe",
    ".dll",
    ".com",
    ".scr",
    ".msi",
    ".msp",
    ".pif",
    ".cpl",
    ".jar",
    ".apk",
    ".app",
    ".dmg",
    ".deb",
    ".rpm",
    ".elf",
    ".so",
    ".hta",
    ".lnk",
    ".reg",
    ".sys",
    ".ocx",
    ".appx",
    ".msix",
    ".run",
}
ARCHIVE_EXTENSIONS = {
    ".zip",
    ".rar",
    ".7z",
    ".gz",
    ".tgz",
    ".tar",
    ".bz2",
    ".xz",
    ".zst",
    ".cab",
    ".iso",
    ".arj",
    ".lz",
    ".lzma",
}
MACRO_EXTENSIONS = {".docm", ".dotm", ".xlsm", ".xltm", ".xlsb", ".xlam", ".pptm", ".potm", ".ppam", ".ppsm"}
LEGACY_OFFICE_EXTENSIONS = {".doc", ".dot", ".xls", ".xlt", ".ppt", ".rtf"}

EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"\x00asm",
)
ARCHIVE_MAGIC = (
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"MSCF",
    b"\x28\xb5\x2f\xfd",
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<frameset", b"<object")
OOXML_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
OOXML_MACRO_PARTS = re.compile(r"(^|/)(vbaproject\.bin|vbadata\.xml)$|(^|/)activex/|(^|/)macrosheets/", re.IGNORECASE)
OOXML_MACRO_TYPES = re.compile(rb"macroenabled|vbaproject|macrosheet|activex", re.IGNORECASE)
ODF_MACRO_MARKERS = (b"script:event-listener", b"vnd.sun.star.script:")
# Links that make a spreadsheet or document fetch data from another file or a running program when opened.
OOXML_EXTERNAL_PARTS = re.compile(r"(^|/)externalLinks/", re.IGNORECASE)
OOXML_EXTERNAL_TYPES = re.compile(rb"externalLink", re.IGNORECASE)
OOXML_DDE_MARKERS = (b"<ddelink", b"ddeauto", b" dde ", b">dde ")
# A formula calling a program through DDE, e.g. =cmd|' /C calc'!A0.
OOXML_DDE_FORMULA = re.compile(rb"<f[^>]*>[^<]*[A-Za-z0-9_]\|['\"]?[^<]*!", re.IGNORECASE)
ODF_EXTERNAL_MARKERS = (
    b"table:dde-source",
    b"office:dde-source",
    b"table:dde-link",
    b"text:dde-connection",
    b"office:dde-connection-decl",
    b"table:table-source",
    b"table:cell-range-source",
)
# An Office file whose parts unpack to more than this many times its compressed size, beyond the
# size of an ordinary document, is a compression bomb (ordinary DOCX and XLSX parts stay under 30).
OFFICE_BOMB_MIN_UNPACKED = 16 * 1024 * 1024
# Tokens of active PDF content; long enough never to appear by chance in compressed data.
PDF_ACTIVE_TOKENS = re.compile(rb"/(JavaScript|Launch)(?=[\s()<>\[\]{}/%]|$)")
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript"}
# Actions refused wherever they are: run code, start a program, send the form's data, pull data in.
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData"}
# Actions a document may not take by itself when opened (/OpenAction) or on an event (/AA) such as
# opening a page or closing the file: anything but moving within the document. A link the reader
# clicks (an annotation's /A) may still open a web address.
PDF_AUTOMATIC_TRIGGERS = {"/OpenAction", "/AA"}
PDF_HARMLESS_AUTOMATIC_ACTIONS = {"/GoTo"}
# Files carried inside a PDF: attachments (/EmbeddedFiles, /FileAttachment annotations) and embedded streams.
PDF_EMBEDDED_KEYS = {"/EmbeddedFiles", "/EmbeddedFile", "/EF"}
PDF_EMBEDDED_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"}
# Parts of a PDF that hold page content, fonts and images, never actions: not worth loading.
PDF_SKIPPED_KEYS = {"/Contents", "/Resources", "/Thumb", "/Metadata", "/PieceInfo", "/Parent", "/StructTreeRoot"}

# What each refusal tells the user: what the file is and what to do instead.
MESSAGES = {
    "html": gettext_lazy(
        "“%(name)s” is a web page (HTML). Web pages are not accepted; print it to PDF and upload the PDF."
    ),
    "svg": gettext_lazy(
        "“%(name)s” is an SVG drawing, which can carry scripts. Export it as PNG or PDF and upload that."
    ),
    "script": gettext_lazy("“%(name)s” is a script. Programs and scripts are never accepted as evidence."),
    "executable": gettext_lazy("“%(name)s” is a program. Programs and scripts are never accepted as evidence."),
    "archive": gettext_lazy("“%(name)s” is a compressed archive. Upload the documents inside it one by one."),
    "macro": gettext_lazy(
        "“%(name)s” is an Office file with macros or active content, which is not accepted. "
        "Save it as DOCX or XLSX without macros, or as PDF."
    ),
    "legacy": gettext_lazy(
        "“%(name)s” is an old-format or password-protected Office file (DOC, XLS). "
        "Save it as DOCX, XLSX or PDF without a password and upload that."
    ),
    "pdf_active": gettext_lazy(
        "“%(name)s” is a PDF that contains JavaScript or an action that starts a program. "
        "Print it again to a plain PDF, or scan the paper copy, and upload that."
    ),
    "pdf_automatic": gettext_lazy(
        "“%(name)s” is a PDF that opens a web address, sends data or starts something by itself when it is "
        "opened. Print it again to a plain PDF, or scan the paper copy, and upload that."
    ),
    "pdf_embedded": gettext_lazy(
        "“%(name)s” is a PDF with other files attached inside it. Upload each document on its own, "
        "and the PDF printed again without attachments."
    ),
    "external": gettext_lazy(
        "“%(name)s” links to other files or programs (external links or DDE), which run when it is opened. "
        "Break the links (in Excel: Data › Edit Links › Break Link), save it and upload it again, or save it as PDF."
    ),
    "office_bomb": gettext_lazy(
        "“%(name)s” unpacks to %(size)s from %(packed)s, which only a crafted file does. "
        "Save it again as PDF and upload that."
    ),
    "office_bounds": gettext_lazy(
        "“%(name)s” unpacks to %(size)s in %(count)s parts, more than any ordinary document. "
        "Save it again as PDF and upload that."
    ),
    "pixels": gettext_lazy(
        "“%(name)s” is a picture of more than %(limit)s million pixels. Reduce its size and upload it again."
    ),
    "mismatch": gettext_lazy(
        "“%(name)s” is really a %(kind)s file, but its name does not end in %(extensions)s. "
        "Rename it, or save it again in the right format."
    ),
    "unsupported": gettext_lazy("“%(name)s” is not a kind of file we accept. Accepted: %(kinds)s."),
    "pdf_encrypted": gettext_lazy(
        "“%(name)s” is a PDF protected by a password or encryption, which the team could not open. "
        "Save a copy without protection and upload that."
    ),
    "zip_encrypted": gettext_lazy(
        "“%(name)s” is protected by a password. Save a copy without a password and upload that."
    ),
    "pdf_damaged": gettext_lazy("“%(name)s” is a damaged PDF that cannot be read. Save or scan it again."),
    "image_damaged": gettext_lazy("“%(name)s” is a damaged picture that cannot be opened. Save it again."),
    "zip_damaged": gettext_lazy("“%(name)s” is a damaged file that cannot be opened. Save it again."),
    "empty": gettext_lazy("“%(name)s” is empty. Choose the file again."),
    "request_too_large": gettext_lazy(
        "The file is larger than %(limit)s, the most one file may be. Reduce it (scan in black and white "
        "or at 150 dpi, or split it) and upload it again."
    ),
    "too_large": gettext_lazy(
        "“%(name)s” is larger than %(limit)s, the most one file may be. Reduce it (scan in black and white "
        "or at 150 dpi, or split it) and upload it again."
    ),
}
# Several messages share one reason code.
CODES = {
    "legacy": "unsupported",
    "pdf_encrypted": "encrypted",
    "zip_encrypted": "encrypted",
    "pdf_damaged": "damaged",
    "image_damaged": "damaged",
    "zip_damaged": "damaged",
    "request_too_large": "too_large",
}


@dataclass(frozen=True)
class InspectedFile:
    """What an accepted upload is: kind, the content type we stand by, its clean name, size and digest."""

    kind: str
    content_type: str
    original_name: str
    extension: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    """The per-file limit in bytes (setting UPLOAD_MAX_FILE_MB)."""
    return int(settings.UPLOAD_MAX_FILE_MB) * 1024 * 1024


def allowed_kinds_text() -> str:
    return ", ".join(kind.label for kind in KINDS.values())


def refusal(key: str, **params) -> ValidationError:
    """The ValidationError for one reason, with its message filled in and its reason code."""
    return ValidationError(MESSAGES[key], code=CODES.get(key, key), params=params)


def too_large_error(name: str | None = None) -> ValidationError:
    """The refusal of a file over the per-file limit, naming it when its name is known."""
    if name is None:
        return refusal("request_too_large", limit=filesizeformat(max_upload_bytes()))
    return refusal("too_large", name=name, limit=filesizeformat(max_upload_bytes()))


# Names -------------------------------------------------------------------------------


def clean_original_name(name: str) -> str:
    """The user's file name without folders, control or direction characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Category C covers control and format characters, among them the right-to-left override.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C")).strip()
    stem, dot, extension = name.rpartition(".")
    if dot and extension and len(extension) <= 10 and " " not in extension:
        suffix = f".{extension}"
    else:
        stem, suffix = name, ""
    stem = stem.strip(" .") or _("document")
    return f"{stem[: 200 - len(suffix)]}{suffix}"


def ascii_file_name(name: str) -> str:
    """A plain-ASCII stand-in for old browsers: Vietnamese transliterated (Đ→D, tones dropped), quotes dropped."""
    ascii_name = "".join(ch for ch in transliterate(name) if ch.isalnum() or ch in " ._-()")
    return ascii_name.strip() or "document"
