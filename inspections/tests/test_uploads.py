"""Upload checks: a hostile corpus generated here, each file refused for the right reason; good files pass."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inspections import uploads
from inspections.demo.portal import sample_pdf, sample_photo
from inspections.uploads.corpus import (
    CLEANED,
    HOSTILE,
    HTML,
    ODS,
    ODT,
    PAGES,
    docx,
    docx_bomb,
    image_bytes,
    jpeg_html_polyglot,
    make_pdf,
    odf,
    pdf_with_page_action,
    xlsx,
)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refusal_code(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        uploads.inspect_upload(upload(name, data))
    return caught.value.code


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
    received = SimpleUploadedFile(name, data, content_type="text/html")
    checked = uploads.inspect_upload(received)
    assert checked.kind == kind
    assert checked.content_type == content_type  # from the content, never from what the browser claimed
    if kind in {"jpeg", "png"}:
        # Pictures are drawn again: size and digest are those of the file kept.
        received.seek(0)
        data = received.read()
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


@pytest.mark.parametrize("case", CLEANED, ids=[c.name for c in CLEANED])
def test_picture_is_kept_drawn_again_without_metadata_or_appended_bytes(case):
    received = upload(case.name, case.build())
    checked = uploads.inspect_upload(received)
    received.seek(0)
    kept = received.read()
    assert not [marker for marker in case.gone if marker in kept]
    assert checked.size == len(kept) and checked.sha256 == hashlib.sha256(kept).hexdigest()
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == checked.kind.upper() and not image.getexif()
        assert "comment" not in image.info


def test_picture_kept_from_a_temporary_file_is_the_cleaned_one(settings):
    """Large uploads arrive in a temporary file that storage moves into place: it must hold the clean bytes."""
    from django.core.files.uploadedfile import TemporaryUploadedFile

    data = jpeg_html_polyglot()
    received = TemporaryUploadedFile("anh.jpg", "image/jpeg", len(data), None)
    received.write(data)
    received.seek(0)
    checked = uploads.inspect_upload(received)
    with open(received.temporary_file_path(), "rb") as on_disk:
        kept = on_disk.read()
    assert b"<html" not in kept and len(kept) == checked.size == received.size
    received.close()


def test_photo_keeps_its_upright_orientation_when_exif_is_dropped():
    photo = Image.new("RGB", (80, 40), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° to display
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", exif=exif.tobytes())
    received = upload("xoay.jpg", buffer.getvalue())
    uploads.inspect_upload(received)
    received.seek(0)
    with Image.open(received) as image:
        assert image.size == (40, 80) and not image.getexif()


def test_a_204_kb_docx_unpacking_to_200_mb_is_refused_as_a_bomb():
    bomb = docx_bomb(200)
    assert len(bomb) < 300 * 1024
    assert refusal_code("bom.docx", bomb) == "office_bomb"


def test_office_file_whose_headers_understate_its_size_is_refused(settings):
    """Sizes in the ZIP headers can lie; what counts is what unpacks."""
    settings.UPLOAD_MAX_OFFICE_UNPACKED_MB = 1
    data = bytearray(docx({"word/media/zeros.bin": b"\0" * (3 * 1024 * 1024)}))
    # Write 1000 as the unpacked size of the big part in both its local and central headers.
    name = b"word/media/zeros.bin"
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_offset : start + name_offset + len(name)] == name:
                data[start + size_offset : start + size_offset + 4] = (1000).to_bytes(4, "little")
            start = data.find(signature, start + 4)
    assert refusal_code("doi-kich-thuoc.docx", bytes(data)) in {"office_bomb", "damaged"}


def test_ordinary_pdf_link_clicked_by_the_reader_is_still_accepted_but_not_opened_automatically():
    link_page = pdf_with_page_action(b"<< /S /GoTo /D [3 0 R /Fit] >>")
    assert uploads.inspect_upload(upload("di-den-trang.pdf", link_page)).kind == "pdf"


def test_upload_corpus_command_prints_every_file_refused(capsys):
    from django.core.management import call_command

    call_command("upload_corpus")
    out = capsys.readouterr().out
    assert f"Hostile uploads refused: {len(HOSTILE)} / {len(HOSTILE)}" in out
    assert f"re-encoded without metadata or appended data: {len(CLEANED)} / {len(CLEANED)}" in out
