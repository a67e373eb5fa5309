"""Evidence and reports in S3-compatible object storage (moto on 127.0.0.1, boto3 over HTTP), and the local folder.

Downloads stay permission-checked by Django; object storage answers a short-lived pre-signed URL,
the local folder an X-Accel-Redirect when nginx serves it, and a stored object that no longer
matches its SHA-256 is not handed out.
"""

import hashlib
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from inspections.models import Evidence
from inspections.tests.test_portal_evidence import open_visit, pdf_upload, upload_through_the_form
from reports import services
from reports.models import Report

pytestmark = pytest.mark.django_db


def fetch(url: str):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.headers, answer.read()


def uploaded_evidence(client, world) -> tuple[Evidence, bytes]:
    open_visit(world)
    client.force_login(world.users["commune_a"])
    data = pdf_upload().read()
    response = upload_through_the_form(client, world, data, "Kế hoạch CCHC năm 2020.pdf")
    assert response.status_code in (200, 302)
    return Evidence.objects.get(visit=world.visit_a, original_name="Kế hoạch CCHC năm 2020.pdf"), data


def test_evidence_uploaded_through_the_form_goes_to_the_bucket_with_its_checksum(
    object_storage, object_store, world, client, settings
):
    evidence, data = uploaded_evidence(client, world)
    stored = object_store.objects(object_storage)
    assert stored[evidence.file.name] == data
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    head = object_store.client.head_object(Bucket=object_storage, Key=evidence.file.name, ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"]
    # Nothing of it reached the web server's disk.
    assert not Path(settings.MEDIA_ROOT, evidence.file.name).exists()


def test_the_commune_downloads_its_evidence_through_a_short_lived_presigned_url(object_storage, world, client):
    evidence, data = uploaded_evidence(client, world)
    response = client.get(reverse("inspections:evidence_download", args=[evidence.pk]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    url = response["Location"]
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["60"]
    status, headers, body = fetch(url)
    assert status == 200 and body == data
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith('attachment; filename="Ke hoach CCHC nam 2020.pdf"; ')
    assert "filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch" in headers["Content-Disposition"]


def test_another_commune_gets_no_url_for_the_evidence(object_storage, world, client):
    evidence, _data = uploaded_evidence(client, world)
    client.force_login(world.users["commune_b"])
    response = client.get(reverse("inspections:evidence_download", args=[evidence.pk]))
    assert response.status_code == 404
    assert "Location" not in response


def test_an_object_changed_in_the_bucket_is_not_handed_out(object_storage, object_store, world, client):
    evidence, _data = uploaded_evidence(client, world)
    object_store.client.put_object(Bucket=object_storage, Key=evidence.file.name, Body=b"%PDF-1.4\nchanged\n%%EOF\n")
    response = client.get(reverse("inspections:evidence_download", args=[evidence.pk]))
    assert response.status_code == 500
    assert "Location" not in response
    assert "Tệp bị hỏng" in response.content.decode()


def test_an_object_missing_from_the_bucket_answers_404(object_storage, object_store, world, client):
    evidence, _data = uploaded_evidence(client, world)
    object_store.client.delete_object(Bucket=object_storage, Key=evidence.file.name)
    assert client.get(reverse("inspections:evidence_download", args=[evidence.pk])).status_code == 404


def test_behind_nginx_the_local_folder_is_served_by_x_accel_redirect(world, client, settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    evidence, _data = uploaded_evidence(client, world)
    response = client.get(reverse("inspections:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{evidence.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="Ke hoach CCHC nam 2020.pdf"')
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_local_file_changed_on_disk_is_not_handed_out(world, client, settings):
    evidence, _data = uploaded_evidence(client, world)
    Path(settings.MEDIA_ROOT, evidence.file.name).write_bytes(b"%PDF-1.4\nchanged\n%%EOF\n")
    response = client.get(reverse("inspections:evidence_download", args=[evidence.pk]))
    assert response.status_code == 500
    assert "Tệp bị hỏng" in response.content.decode()


@pytest.mark.worker
def test_a_report_rendered_by_the_real_worker_is_stored_in_the_bucket_and_downloaded(
    object_storage, object_store, transactional_db, world, tmp_path, settings, persona_client
):
    from cchc_inspect.celery import app
    from tests.workers import Workers

    app.control.purge()
    pool = Workers(tmp_path, settings.MEDIA_ROOT, object_store.env(object_storage))
    try:
        pool.start()
        pdf, xlsx = services.report_request(user=world.users["lead"], plan=world.plan, kind=Report.Kind.DISTRICT)
        for report in (pdf, xlsx):
            report.refresh_from_db()
            for _ in range(240):
                if report.is_finished:
                    break
                time.sleep(0.25)
                report.refresh_from_db()
            assert report.status == Report.Status.DONE, report.error or pool.logs()
    finally:
        pool.stop_all()
    stored = object_store.objects(object_storage)
    assert hashlib.sha256(stored[pdf.file.name]).hexdigest() == pdf.sha256
    assert not Path(settings.MEDIA_ROOT, "reports").exists()
    response = persona_client("viewer").get(reverse("reports:download", args=[pdf.pk]))
    assert response.status_code == 302
    status, headers, body = fetch(response["Location"])
    assert status == 200 and body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == pdf.sha256
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == f'attachment; filename="{pdf.file_name}"'
    assert persona_client("commune_a").get(reverse("reports:download", args=[pdf.pk])).status_code == 404


def test_a_file_left_in_the_bucket_by_a_killed_render_is_replaced_by_the_next_attempt(
    object_storage, object_store, world
):
    report = services.report_create(plan=world.plan, kind=Report.Kind.DISTRICT_XLSX)
    prefix = f"reports/{report.plan_id}/{report.pk}/"
    object_store.client.put_object(Bucket=object_storage, Key=prefix + "left-behind.xlsx", Body=b"partial")
    report = services.report_render(report_id=report.pk)
    assert report.status == Report.Status.DONE, report.error
    kept = [name for name in object_store.objects(object_storage) if name.startswith(prefix)]
    assert kept == [report.file.name]
