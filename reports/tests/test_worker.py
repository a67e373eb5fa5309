"""End to end with a real Celery worker process on Redis: asked for in the browser's way, rendered, downloaded."""

import time

import pytest
from django.urls import reverse

from reports.models import Report

from . import pdf_text

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float = 90, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out: {message}")


def test_a_requested_report_is_rendered_by_the_worker_and_downloadable(world, celery_worker_process, persona_client):
    client = persona_client("secretariat")
    response = client.post(
        reverse("reports:request", args=[world.plan.pk]),
        {"kind": "district", "next": reverse("reports:plan_reports", args=[world.plan.pk])},
    )
    assert response.status_code == 302
    reports = list(Report.objects.order_by("kind"))
    assert {r.kind for r in reports} == {Report.Kind.DISTRICT, Report.Kind.DISTRICT_XLSX}

    def finished():
        rows = list(Report.objects.all())
        return all(r.is_finished for r in rows) and rows

    rows = wait_for(finished, message=celery_worker_process.log_path.read_text())
    assert all(r.status == Report.Status.DONE for r in rows), [r.error for r in rows]
    pdf = next(r for r in rows if r.kind == Report.Kind.DISTRICT)
    row = client.get(reverse("reports:status", args=[pdf.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in row and reverse("reports:download", args=[pdf.pk]) in row
    download = client.get(reverse("reports:download", args=[pdf.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert pdf_text.page_count(content) == pdf.page_count
    assert "Thạnh Đông A" in pdf_text.text(content)
