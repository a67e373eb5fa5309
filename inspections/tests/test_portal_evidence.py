"""Evidence: stored under a generated name, duplicates recognised, quota, soft delete, safe download, streaming."""

import datetime as dt
import hashlib
import io
import sys
import tracemalloc
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspections import selectors, uploads
from inspections.demo.portal import sample_pdf
from inspections.models import Evidence, Visit
from inspections.services.portal import evidence as service

pytestmark = pytest.mark.django_db

FILLER = b"q 1 0 0 1 0 0 cm 0 0 m 10 10 l S Q\n"


def write_padded_pdf(out, size: int) -> None:
    """Write a valid one-page PDF of about `size` bytes whose page content is a long drawing stream."""
    written = 0

    def put(data: bytes) -> None:
        nonlocal written
        out.write(data)
        written += len(data)

    put(b"%PDF-1.4\n")
    offsets = [written]
    put(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
    offsets.append(written)
    put(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n")
    offsets.append(written)
    put(b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n")
    repeats = max(1, (size - 600) // len(FILLER))
    offsets.append(written)
    put(b"4 0 obj\n<< /Length %d >>\nstream\n" % (repeats * len(FILLER)))
    block = FILLER * 4096
    for _full in range(repeats // 4096):
        put(block)
    put(FILLER * (repeats % 4096))
    put(b"\nendstream\nendobj\n")
    xref = written
    put(b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    put(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


def padded_pdf(size: int) -> bytes:
    buffer = io.BytesIO()
    write_padded_pdf(buffer, size)
    return buffer.getvalue()


def open_visit(world, days_left=7) -> Visit:
    Visit.objects.filter(pk=world.visit_a.pk).update(
        status=Visit.Status.SELF_ASSESSMENT,
        self_assessment_deadline=timezone.localdate() + dt.timedelta(days=days_left),
    )
    return Visit.objects.select_related("plan", "unit").get(pk=world.visit_a.pk)


def pdf_upload(name="Kế hoạch CCHC năm 2020.pdf", text="Kế hoạch số 12/KH-UBND") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_pdf(title="Kế hoạch", lines=[text]), content_type="application/pdf")


def add(world, visit, upload, criterion=None, user="commune_a"):
    return service.evidence_add_for_criterion(
        visit=visit,
        criterion_id=(criterion or world.leaves[1]).pk,
        user=world.users[user],
        upload=upload,
        document_number="12/KH-UBND",
        document_date=dt.date(2020, 1, 15),
        page_reference="1-3",
    )


def test_evidence_is_kept_under_a_generated_name_with_its_digest_size_and_document(world, settings):
    visit = open_visit(world)
    upload = pdf_upload()
    data = upload.read()
    evidence = add(world, visit, upload)
    assert evidence.original_name == "Kế hoạch CCHC năm 2020.pdf"
    assert evidence.file.name.startswith(f"evidence/{visit.unit_id}/") and "Kế" not in evidence.file.name
    assert evidence.file.name.endswith(".pdf")
    assert Path(settings.MEDIA_ROOT, evidence.file.name).read_bytes() == data
    assert evidence.sha256 == hashlib.sha256(data).hexdigest() and evidence.size == len(data)
    assert evidence.content_type == "application/pdf"
    assert (evidence.document_number, evidence.document_date, evidence.page_reference) == (
        "12/KH-UBND",
        dt.date(2020, 1, 15),
        "1-3",
    )
    assert evidence.uploaded_by == world.users["commune_a"]


def test_the_same_file_twice_on_one_criterion_is_recognised(world):
    visit = open_visit(world)
    add(world, visit, pdf_upload())
    with pytest.raises(ValidationError) as excinfo:
        add(world, visit, pdf_upload(name="Bản sao.pdf"))
    assert excinfo.value.error_list[0].code == "duplicate"
    assert "Kế hoạch CCHC năm 2020.pdf" in excinfo.value.messages[0]
    # The same document may back another criterion.
    add(world, visit, pdf_upload(), criterion=world.leaves[2])


def test_a_commune_cannot_store_beyond_its_quota(world, settings):
    settings.COMMUNE_STORAGE_QUOTA_MB = 1
    visit = open_visit(world)
    add(world, visit, SimpleUploadedFile("a.pdf", padded_pdf(600_000)))
    with pytest.raises(ValidationError) as excinfo:
        add(world, visit, SimpleUploadedFile("b.pdf", padded_pdf(600_001)), criterion=world.leaves[2])
    assert excinfo.value.error_list[0].code == "quota"
    assert service.commune_storage_used(unit_id=visit.unit_id) < 1024 * 1024
    # Another commune's storage is its own.
    assert service.commune_storage_used(unit_id=world.visit_b.unit_id) == 15


def test_deleting_evidence_is_a_soft_delete_that_keeps_the_row_and_the_file(world, settings):
    visit = open_visit(world)
    evidence = add(world, visit, pdf_upload())
    service.evidence_delete(evidence=evidence, user=world.users["commune_a"])
    evidence.refresh_from_db()
    assert evidence.deleted_at is not None and evidence.deleted_by == world.users["commune_a"]
    assert Path(settings.MEDIA_ROOT, evidence.file.name).exists()
    assert not selectors.evidence_list_for_user(world.users["commune_a"]).filter(pk=evidence.pk).exists()
    assert selectors.evidence_list_for_user(world.users["lead"], include_deleted=True).filter(pk=evidence.pk).exists()
    # Once removed, the same file may be attached again.
    add(world, visit, pdf_upload())


def test_removing_evidence_from_the_sheet_asks_first_naming_the_file(world, client):
    visit = open_visit(world)
    evidence = add(world, visit, pdf_upload())
    client.force_login(world.users["commune_a"])
    body = client.get(reverse("inspections:self_assessment", args=[visit.pk])).content.decode()
    form = body.split(f'action="{reverse("inspections:evidence_delete", args=[evidence.pk])}"')[1].split(">")[0]
    # With htmx the removal swaps the criterion in place, so htmx asks; without it portal.js does.
    assert 'hx-confirm="Gỡ bỏ “Kế hoạch CCHC năm 2020.pdf”? Tệp vẫn được lưu trong hồ sơ' in form
    assert "js/portal.js" in body


def test_evidence_cannot_change_once_submitted_or_after_the_deadline(world):
    visit = Visit.objects.get(pk=world.visit_a.pk)  # submitted in the world
    evidence = Evidence.objects.get(visit=visit)
    with pytest.raises(ValidationError):
        service.evidence_delete(evidence=evidence, user=world.users["commune_a"])
    with pytest.raises(ValidationError):
        add(world, visit, pdf_upload())
    late = open_visit(world, days_left=-1)
    with pytest.raises(ValidationError):
        add(world, late, pdf_upload())


def test_download_is_an_attachment_with_the_vietnamese_name_and_nosniff(world, client):
    visit = open_visit(world)
    evidence = add(world, visit, pdf_upload(name='Biên bản "họp" số 1.pdf'))
    client.force_login(world.users["commune_a"])
    response = client.get(reverse("inspections:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Bien ban hop so 1.pdf"; ')
    assert "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n%20%22h%E1%BB%8Dp%22%20s%E1%BB%91%201.pdf" in disposition
    assert b"".join(response.streaming_content) == Path(evidence.file.path).read_bytes()


def test_commune_b_cannot_download_commune_as_evidence_whatever_the_url(world, client):
    client.force_login(world.users["commune_b"])
    for evidence in Evidence.objects.filter(visit=world.visit_a):
        assert client.get(reverse("inspections:evidence_download", args=[evidence.pk])).status_code == 404
    assert client.get("/campaigns/evidence/999999/download/").status_code == 404


def upload_through_the_form(client, world, data: bytes, name: str):
    criterion = world.leaves[1]
    url = reverse("inspections:evidence_upload", args=[world.visit_a.pk, criterion.pk])
    prefix = f"e{criterion.pk}"
    return client.post(url, {f"{prefix}-file": SimpleUploadedFile(name, data), f"{prefix}-document_number": "7/BC"})


def test_a_file_over_the_limit_is_dropped_while_streaming_and_the_form_says_why(world, client, settings):
    settings.UPLOAD_MAX_FILE_MB = 1
    open_visit(world)
    client.force_login(world.users["commune_a"])
    response = upload_through_the_form(client, world, padded_pdf(1_100_000), "Báo cáo lớn.pdf")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Báo cáo lớn.pdf" in html and "1,0\xa0MB" in html
    assert 'value="7/BC"' in html  # what the user typed is still there
    assert Evidence.objects.filter(visit=world.visit_a).count() == 1
    kept = [f for f in Path(settings.MEDIA_ROOT, "evidence", str(world.visit_a.unit_id)).rglob("*") if f.is_file()]
    assert len(kept) == 1  # only the world's own file: nothing of the refused upload was kept


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(world, client, settings):
    settings.UPLOAD_MAX_FILE_MB = 1
    open_visit(world)
    client.force_login(world.users["commune_a"])
    response = upload_through_the_form(client, world, padded_pdf(3_000_000), "Rất lớn.pdf")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1,0\xa0MB" in page
    assert Evidence.objects.filter(visit=world.visit_a).count() == 1


def test_a_large_upload_within_the_limit_streams_to_disk_without_holding_the_file_in_memory(world, settings, tmp_path):
    visit = open_visit(world)
    criterion = world.leaves[1]
    size = 19 * 1024 * 1024
    pdf_path = tmp_path / "large.pdf"
    with open(pdf_path, "wb") as out:
        write_padded_pdf(out, size)
    digest = hashlib.sha256()
    with open(pdf_path, "rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)

    client = Client()
    client.force_login(world.users["commune_a"])
    client.get(reverse("inspections:self_assessment", args=[visit.pk]))
    boundary = "----cchc-test-boundary"
    prefix = f"e{criterion.pk}"
    body_path = tmp_path / "body"
    with open(body_path, "wb") as body, open(pdf_path, "rb") as source:
        field = f'Content-Disposition: form-data; name="{prefix}-document_number"'
        body.write(f"--{boundary}\r\n{field}\r\n\r\n15/BC-UBND\r\n".encode())
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{prefix}-file"; filename="Báo cáo năm.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
        )
        while chunk := source.read(1 << 20):
            body.write(chunk)
        body.write(f"\r\n--{boundary}--\r\n".encode())
    cookies = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())
    url = reverse("inspections:evidence_upload", args=[visit.pk, criterion.pk])
    statuses = []
    with open(body_path, "rb") as stream:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": url,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
            "CONTENT_LENGTH": str(body_path.stat().st_size),
            "HTTP_COOKIE": cookies,
            "HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value,
            "wsgi.input": stream,
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        # Load the PDF reader's lazily imported modules first: only the request itself is measured.
        uploads.inspect_upload(SimpleUploadedFile("warm-up.pdf", padded_pdf(10_000)))
        # As Django's test client does: keep the test's database connection open across the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        tracemalloc.start()
        try:
            response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
            response.close()
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
    assert statuses[0].startswith("302"), statuses
    evidence = Evidence.objects.get(visit=visit, criterion=criterion)
    assert evidence.size == pdf_path.stat().st_size and evidence.sha256 == digest.hexdigest()
    assert evidence.original_name == "Báo cáo năm.pdf" and evidence.document_number == "15/BC-UBND"
    assert Path(settings.MEDIA_ROOT, evidence.file.name).stat().st_size == evidence.size
    # The whole file is 19 MB; the request never held more than a few chunks of it.
    assert peak < 5 * 1024 * 1024, f"peak Python memory {peak / 1e6:.1f} MB"


def test_a_jpeg_html_polyglot_uploaded_through_the_screen_leaves_as_a_clean_jpeg(world, client):
    from PIL import Image

    from inspections.uploads.corpus import jpeg_html_polyglot, jpeg_with_gps

    open_visit(world)
    client.force_login(world.users["commune_a"])
    for name, data in (("Ảnh một cửa.jpg", jpeg_html_polyglot()), ("Ảnh có vị trí.jpg", jpeg_with_gps())):
        assert upload_through_the_form(client, world, data, name).status_code == 302
        evidence = Evidence.objects.get(visit=world.visit_a, original_name=name)
        response = client.get(reverse("inspections:evidence_download", args=[evidence.pk]))
        served = b"".join(response.streaming_content)
        assert response["Content-Type"] == "image/jpeg"
        assert b"<html" not in served and b"<script" not in served and b"Exif" not in served
        assert served != data and len(served) == evidence.size
        assert hashlib.sha256(served).hexdigest() == evidence.sha256
        with Image.open(io.BytesIO(served)) as image:
            assert image.format == "JPEG" and not image.getexif()
