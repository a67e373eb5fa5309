"""Safe uploads: a streaming size limit, and checks of what a file really is before it is kept.

A file is accepted only when its content (magic bytes, then a look inside) and its
extension agree on one of the allowed kinds: PDF, JPEG, PNG, DOCX, XLSX, ODT, ODS.
Everything else is refused with a ValidationError whose `code` names the reason
(`html`, `svg`, `script`, `executable`, `archive`, `macro`, `pdf_active`,
`office_bounds`, `pixels`, `mismatch`, `unsupported`, `damaged`, `encrypted`,
`empty`, `too_large`) and whose message tells the user what to do.
"""

import hashlib
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
# Tokens of active PDF content; long enough never to appear by chance in compressed data.
PDF_ACTIVE_TOKENS = re.compile(rb"/(JavaScript|Launch)(?=[\s()<>\[\]{}/%]|$)")
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript"}
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch"}
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
    """A plain-ASCII stand-in for old browsers: diacritics dropped, đ written d."""
    name = name.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_name = "".join(ch for ch in decomposed if ord(ch) < 128 and (ch.isalnum() or ch in " ._-()"))
    return ascii_name.strip() or "document"


# Streaming ---------------------------------------------------------------------------


class LimitedUploadHandler(FileUploadHandler):
    """Stream one file to a temporary file, hashing it on the way; drop it the moment it passes the limit.

    Nothing is kept in memory but the current chunk. A file over the limit is skipped
    (the rest of its bytes are read and discarded) and `request.upload_refusals`
    records its name, so the form can say why it is missing.
    """

    chunk_size = CHUNK

    def __init__(self, request=None, *, field_name: str = "file", max_bytes: int | None = None):
        super().__init__(request)
        self.expected_field = field_name
        self.max_bytes = max_bytes if max_bytes is not None else max_upload_bytes()
        self.accepted = 0
        if request is not None:
            request.upload_refusals = []

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        if not field_name.endswith(self.expected_field) or self.accepted:
            # One file per request, in the expected field: nothing else reaches the disk.
            raise SkipFile()
        if content_length is not None and content_length > self.max_bytes:
            self._note_refusal()
            raise SkipFile()
        self.file = TemporaryUploadedFile(self.file_name, self.content_type, 0, self.charset, self.content_type_extra)
        self.hasher = hashlib.sha256()
        self.received = 0
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._note_refusal()
            raise SkipFile()
        self.hasher.update(raw_data)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        completed = self.file
        # The parser closes any `file` a handler still holds when it skips a later file.
        del self.file
        completed.seek(0)
        completed.size = file_size
        completed.cchc_sha256 = self.hasher.hexdigest()
        self.accepted += 1
        return completed

    def _note_refusal(self):
        if self.request is not None:
            self.request.upload_refusals.append(self.file_name)


def install_upload_guard(request, *, field_name: str = "file") -> bool:
    """Make the request stream its file through LimitedUploadHandler.

    Call before anything reads request.POST or request.FILES. Returns False when the
    declared body is already too large to hold an allowed file: the caller then answers
    without reading the body at all.
    """
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_upload_bytes() + FORM_OVERHEAD_BYTES:
        return False
    request.upload_handlers = [LimitedUploadHandler(request, field_name=field_name)]
    return True


# Inspection --------------------------------------------------------------------------


def _read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _sha256(upload) -> str:
    digest = getattr(upload, "cchc_sha256", None)
    if digest:
        return digest
    hasher = hashlib.sha256()
    for chunk in upload.chunks(CHUNK):
        hasher.update(chunk)
    upload.seek(0)
    return hasher.hexdigest()


def _refuse_by_extension(name: str, ext: str) -> None:
    for key, extensions in (
        ("html", HTML_EXTENSIONS),
        ("svg", SVG_EXTENSIONS),
        ("script", SCRIPT_EXTENSIONS),
        ("executable", EXECUTABLE_EXTENSIONS),
        ("archive", ARCHIVE_EXTENSIONS),
        ("macro", MACRO_EXTENSIONS),
        ("legacy", LEGACY_OFFICE_EXTENSIONS),
    ):
        if ext in extensions:
            raise refusal(key, name=name)


def _refuse_by_content(name: str, head: bytes) -> None:
    if head.startswith(EXECUTABLE_MAGIC):
        raise refusal("executable", name=name)
    if head.startswith(ARCHIVE_MAGIC) or head[257:262] == b"ustar":
        raise refusal("archive", name=name)
    if head.startswith(OLE_MAGIC):
        raise refusal("legacy", name=name)
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if text.startswith((b"#!", b"<?php")):
        raise refusal("script", name=name)
    if text.startswith(b"<") and b"<svg" in text:
        raise refusal("svg", name=name)
    if text.startswith(b"<") and any(marker in text for marker in HTML_MARKERS):
        raise refusal("html", name=name)


def _sniff_kind(head: bytes) -> str | None:
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(JPEG_MAGIC):
        return "jpeg"
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    return None


def inspect_upload(upload, *, name: str | None = None) -> InspectedFile:
    """Decide whether an uploaded file may be kept; raise ValidationError (with a reason code) if not.

    Reads the file in chunks and never loads it whole; the file position is left at 0.
    """
    original_name = clean_original_name(name or getattr(upload, "name", "") or "")
    ext = PurePosixPath(original_name).suffix.lower()
    size = upload.size or 0
    if size > max_upload_bytes():
        raise too_large_error(original_name)
    if size == 0:
        raise refusal("empty", name=original_name)
    _refuse_by_extension(original_name, ext)
    head = _read_head(upload)
    _refuse_by_content(original_name, head)
    kind = _sniff_kind(head)
    if kind == "zip":
        kind = _inspect_zip(upload, original_name)
    if kind is None:
        raise refusal("unsupported", name=original_name, kinds=allowed_kinds_text())
    accepted = KINDS[kind]
    if ext not in accepted.extensions:
        raise refusal(
            "mismatch", name=original_name, kind=accepted.label, extensions=" / ".join(sorted(accepted.extensions))
        )
    if kind == "pdf":
        _inspect_pdf(upload, original_name)
    elif kind in {"jpeg", "png"}:
        _inspect_image(upload, original_name, kind)
    return InspectedFile(
        kind=kind,
        content_type=accepted.content_type,
        original_name=original_name,
        extension=ext,
        size=size,
        sha256=_sha256(upload),
    )


# PDF ---------------------------------------------------------------------------------


def _scan_tokens(upload, pattern: re.Pattern, overlap: int = 32) -> bool:
    upload.seek(0)
    tail = b""
    try:
        while chunk := upload.read(CHUNK * 16):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-overlap:]
        return False
    finally:
        upload.seek(0)


def _pdf_has_actions(reader) -> bool:
    """Walk the document's objects, but not page content, fonts or images, looking for actions."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            if PDF_ACTIVE_KEYS.intersection(obj.keys()) or obj.get("/S") in PDF_ACTIVE_ACTIONS:
                return True
            stack.extend(value for key, value in obj.items() if key not in PDF_SKIPPED_KEYS)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return False


def _inspect_pdf(upload, name: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    if _scan_tokens(upload, PDF_ACTIVE_TOKENS):
        raise refusal("pdf_active", name=name)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise refusal("pdf_encrypted", name=name)
        if _pdf_has_actions(reader):
            raise refusal("pdf_active", name=name)
        if len(reader.pages) == 0:
            raise refusal("pdf_damaged", name=name)
    except ValidationError:
        raise
    except (DependencyError, FileNotDecryptedError) as exc:
        raise refusal("pdf_encrypted", name=name) from exc
    except Exception as exc:
        # pypdf raises many kinds of error on broken files; each means the same to the user.
        raise refusal("pdf_damaged", name=name) from exc
    finally:
        upload.seek(0)


# Images ------------------------------------------------------------------------------


def _inspect_image(upload, name: str, kind: str) -> None:
    from PIL import Image

    limit = settings.UPLOAD_MAX_IMAGE_PIXELS
    too_big = refusal("pixels", name=name, limit=max(limit // 1_000_000, 1))
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > limit:
                    raise too_big
                if image.format != kind.upper():
                    raise refusal("image_damaged", name=name)
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_big from exc
    except Exception as exc:
        # Pillow raises many kinds of error on broken files; each means the same to the user.
        raise refusal("image_damaged", name=name) from exc
    finally:
        upload.seek(0)


# Office (ZIP-based) ------------------------------------------------------------------


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int = SMALL_PART_BYTES) -> bytes:
    with archive.open(info) as part:
        return part.read(limit)


def _part_contains(archive: zipfile.ZipFile, info: zipfile.ZipInfo, markers: tuple[bytes, ...]) -> bool:
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            if any(marker in (tail + chunk).lower() for marker in markers):
                return True
            tail = chunk[-64:]
    return False


def _inspect_zip(upload, name: str) -> str:
    """Classify a ZIP container as DOCX, XLSX, ODT or ODS, or refuse it."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            parts = {info.filename: info for info in infos}
            is_ooxml = "[Content_Types].xml" in parts
            is_odf = "mimetype" in parts
            if not (is_ooxml or is_odf):
                raise refusal("archive", name=name)
            max_entries = settings.UPLOAD_MAX_OFFICE_ENTRIES
            max_unpacked = settings.UPLOAD_MAX_OFFICE_UNPACKED_MB * 1024 * 1024
            unpacked = sum(info.file_size for info in infos)
            if len(infos) > max_entries or unpacked > max_unpacked:
                raise refusal("office_bounds", name=name, size=filesizeformat(unpacked), count=len(infos))
            if any(info.flag_bits & 0x1 for info in infos):
                raise refusal("zip_encrypted", name=name)
            if is_ooxml:
                return _classify_ooxml(archive, parts, name)
            return _classify_odf(archive, parts, name)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
        raise refusal("zip_damaged", name=name) from exc
    finally:
        upload.seek(0)


def _classify_ooxml(archive: zipfile.ZipFile, parts: dict, name: str) -> str:
    if any(OOXML_MACRO_PARTS.search(part) for part in parts):
        raise refusal("macro", name=name)
    content_types = _read_part(archive, parts["[Content_Types].xml"])
    if OOXML_MACRO_TYPES.search(content_types):
        raise refusal("macro", name=name)
    settings_rels = parts.get("word/_rels/settings.xml.rels")
    # A template fetched from elsewhere when the document opens brings its macros with it.
    if settings_rels is not None:
        rels = _read_part(archive, settings_rels).lower()
        if b"attachedtemplate" in rels and b'targetmode="external"' in rels:
            raise refusal("macro", name=name)
    text = content_types.decode("utf-8", errors="replace")
    for main_type, kind in OOXML_MAIN_TYPES.items():
        if main_type in text:
            return kind
    raise refusal("unsupported", name=name, kinds=allowed_kinds_text())


def _classify_odf(archive: zipfile.ZipFile, parts: dict, name: str) -> str:
    mimetype = _read_part(archive, parts["mimetype"], 200).decode("ascii", errors="replace").strip()
    kind = ODF_MIMETYPES.get(mimetype)
    if kind is None:
        raise refusal("unsupported", name=name, kinds=allowed_kinds_text())
    if any(part.startswith(("Basic/", "Scripts/")) for part in parts):
        raise refusal("macro", name=name)
    for part in ("content.xml", "styles.xml"):
        if part in parts and _part_contains(archive, parts[part], ODF_MACRO_MARKERS):
            raise refusal("macro", name=name)
    return kind
