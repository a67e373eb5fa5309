"""Looking inside a file: its magic bytes, then PDF actions, image size and Office or ODF parts."""

import hashlib
import io
import re
import warnings
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from .rules import (
    ARCHIVE_EXTENSIONS,
    ARCHIVE_MAGIC,
    CHUNK,
    EXECUTABLE_EXTENSIONS,
    EXECUTABLE_MAGIC,
    HEAD_BYTES,
    HTML_EXTENSIONS,
    HTML_MARKERS,
    JPEG_MAGIC,
    KINDS,
    LEGACY_OFFICE_EXTENSIONS,
    MACRO_EXTENSIONS,
    ODF_EXTERNAL_MARKERS,
    ODF_MACRO_MARKERS,
    ODF_MIMETYPES,
    OFFICE_BOMB_MIN_UNPACKED,
    OLE_MAGIC,
    OOXML_DDE_FORMULA,
    OOXML_DDE_MARKERS,
    OOXML_EXTERNAL_PARTS,
    OOXML_EXTERNAL_TYPES,
    OOXML_MACRO_PARTS,
    OOXML_MACRO_TYPES,
    OOXML_MAIN_TYPES,
    PDF_ACTIVE_ACTIONS,
    PDF_ACTIVE_KEYS,
    PDF_ACTIVE_TOKENS,
    PDF_AUTOMATIC_TRIGGERS,
    PDF_EMBEDDED_KEYS,
    PDF_EMBEDDED_SUBTYPES,
    PDF_HARMLESS_AUTOMATIC_ACTIONS,
    PDF_MAGIC,
    PDF_SKIPPED_KEYS,
    PNG_MAGIC,
    SCRIPT_EXTENSIONS,
    SMALL_PART_BYTES,
    SVG_EXTENSIONS,
    ZIP_MAGIC,
    InspectedFile,
    allowed_kinds_text,
    clean_original_name,
    max_upload_bytes,
    refusal,
    too_large_error,
)

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
        # What is kept is a picture drawn again from its pixels: no metadata (GPS position, camera,
        # comments), nothing appended after the image (a JPEG+HTML polyglot), and the original is gone.
        _replace_content(upload, _reencode_image(upload, original_name, kind))
        size = upload.size
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


def _automatic_actions(value) -> list:
    """The action dictionaries behind an /OpenAction or /AA entry (and their /Next chains)."""
    from pypdf.generic import ArrayObject, DictionaryObject

    value = value.get_object() if hasattr(value, "get_object") else value
    found, stack = [], [value]
    while stack and len(found) < 200:
        item = stack.pop()
        item = item.get_object() if hasattr(item, "get_object") else item
        if isinstance(item, DictionaryObject):
            if "/S" in item:
                found.append(item)
                if "/Next" in item:
                    stack.append(item["/Next"])
            else:
                # /AA maps each event (/O, /C, /WC …) to its action.
                stack.extend(item.values())
        elif isinstance(item, ArrayObject) and item and isinstance(item[0], DictionaryObject | type(None)):
            stack.extend(item)
    return found


def _pdf_threat(reader) -> str | None:
    """Walk the document's objects, but not page content, fonts or images; name the first threat found.

    Returns "pdf_active" (JavaScript, a program, a form sent away), "pdf_automatic" (an action other
    than moving within the document run when the file or a page opens), "pdf_embedded" (attached files)
    or None.
    """
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
            keys = set(obj.keys())
            if PDF_ACTIVE_KEYS & keys or obj.get("/S") in PDF_ACTIVE_ACTIONS:
                return "pdf_active"
            if PDF_EMBEDDED_KEYS & keys or obj.get("/Subtype") in PDF_EMBEDDED_SUBTYPES:
                return "pdf_embedded"
            for trigger in PDF_AUTOMATIC_TRIGGERS & keys:
                for action in _automatic_actions(obj[trigger]):
                    if action.get("/S") in PDF_ACTIVE_ACTIONS:
                        return "pdf_active"
                    if action.get("/S") not in PDF_HARMLESS_AUTOMATIC_ACTIONS:
                        return "pdf_automatic"
            stack.extend(value for key, value in obj.items() if key not in PDF_SKIPPED_KEYS)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def _inspect_pdf(upload, name: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    if _scan_tokens(upload, PDF_ACTIVE_TOKENS):
        raise refusal("pdf_active", name=name)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise refusal("pdf_encrypted", name=name)
        threat = _pdf_threat(reader)
        if threat:
            raise refusal(threat, name=name)
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


def _reencode_image(upload, name: str, kind: str) -> bytes:
    """The picture saved again from its pixels, turned upright, without metadata or trailing bytes."""
    from PIL import Image, ImageOps

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            # Pillow writes some of `info` (a JPEG comment, for one) back unless told otherwise;
            # only the colour profile, which changes how the picture looks, is carried over.
            kept = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
            upright = upright.copy()
            upright.info = dict(kept)
            out = io.BytesIO()
            if kind == "jpeg":
                if upright.mode not in {"RGB", "L", "CMYK"}:
                    upright = upright.convert("RGB")
                upright.save(out, "JPEG", quality=90, optimize=True, **kept)
            else:
                upright.save(out, "PNG", optimize=True, **kept)
            return out.getvalue()
    except Exception as exc:
        # Pillow raises many kinds of error on broken files; each means the same to the user.
        raise refusal("image_damaged", name=name) from exc
    finally:
        upload.seek(0)


def _replace_content(upload, data: bytes) -> None:
    """Put `data` in place of the upload's bytes, in its own file where it has one (a temporary file on disk)."""
    target = getattr(upload, "file", None)
    try:
        target.seek(0)
        target.truncate()
        target.write(data)
        target.flush()
    except (AttributeError, OSError, io.UnsupportedOperation):
        upload.file = io.BytesIO(data)
    upload.seek(0)
    upload.size = len(data)
    # The digest taken while the original streamed in no longer describes the file.
    if getattr(upload, "cchc_sha256", None):
        upload.cchc_sha256 = None


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


def _part_matches(archive: zipfile.ZipFile, info: zipfile.ZipInfo, pattern: re.Pattern) -> bool:
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-256:]
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
            _refuse_bomb(archive, infos, name, unpacked)
            if is_ooxml:
                return _classify_ooxml(archive, parts, name)
            return _classify_odf(archive, parts, name)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
        raise refusal("zip_damaged", name=name) from exc
    finally:
        upload.seek(0)


def _refuse_bomb(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, declared: int) -> None:
    """Refuse a file whose parts unpack far beyond their packed size, measured by unpacking, not by the headers."""
    packed = sum(info.compress_size for info in infos) or 1
    ratio = settings.UPLOAD_MAX_OFFICE_RATIO
    limit = settings.UPLOAD_MAX_OFFICE_UNPACKED_MB * 1024 * 1024
    bomb = refusal("office_bomb", name=name, size=filesizeformat(declared), packed=filesizeformat(packed))
    if declared > OFFICE_BOMB_MIN_UNPACKED and declared > packed * ratio:
        raise bomb
    # Headers can lie about sizes: count what really comes out, and stop at the bounds.
    unpacked = 0
    for info in infos:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK * 4):
                unpacked += len(chunk)
                if unpacked > limit or (unpacked > OFFICE_BOMB_MIN_UNPACKED and unpacked > packed * ratio):
                    raise refusal(
                        "office_bomb", name=name, size=filesizeformat(unpacked), packed=filesizeformat(packed)
                    )
    if unpacked > declared:
        raise refusal("zip_damaged", name=name)


# Parts where a DDE field (Word) or formula (Excel) would sit.
DDE_PARTS = ("xl/worksheets/", "word/document", "word/header", "word/footer")


def _classify_ooxml(archive: zipfile.ZipFile, parts: dict, name: str) -> str:
    if any(OOXML_MACRO_PARTS.search(part) for part in parts):
        raise refusal("macro", name=name)
    content_types = _read_part(archive, parts["[Content_Types].xml"])
    if OOXML_MACRO_TYPES.search(content_types):
        raise refusal("macro", name=name)
    if any(OOXML_EXTERNAL_PARTS.search(part) for part in parts) or OOXML_EXTERNAL_TYPES.search(content_types):
        raise refusal("external", name=name)
    for part, info in parts.items():
        if not (part.startswith(DDE_PARTS) and part.endswith(".xml")):
            continue
        if _part_contains(archive, info, OOXML_DDE_MARKERS) or _part_matches(archive, info, OOXML_DDE_FORMULA):
            raise refusal("external", name=name)
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
    if "content.xml" in parts and _part_contains(archive, parts["content.xml"], ODF_EXTERNAL_MARKERS):
        raise refusal("external", name=name)
    return kind
