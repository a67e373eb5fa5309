"""The report flow: request, queued record, task after commit, progress, one stored file; versions, retry."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from kombu.exceptions import OperationalError

from cchc_inspect.celery import app
from inspections.models import ConclusionNotice
from inspections.tests.factories import ConclusionNoticeFactory, MinutesFactory
from reports import services, tasks
from reports.models import Report

from . import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    """Run tasks in this process when they are enqueued, as a worker would."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_district_request_queues_the_report_and_its_score_table_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        created = services.report_request(user=world.users["secretariat"], plan=world.plan, kind=Report.Kind.DISTRICT)
    assert [r.kind for r in created] == [Report.Kind.DISTRICT, Report.Kind.DISTRICT_XLSX]
    assert all(r.status == Report.Status.QUEUED and r.version == 1 for r in created)
    # Nothing renders inside the request: the tasks go to the queue once the transaction commits.
    assert len(callbacks) == 2


def test_the_worker_records_file_size_pages_and_checksum(world, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pdf, xlsx = services.report_request(user=world.users["lead"], plan=world.plan, kind=Report.Kind.DISTRICT)
    pdf.refresh_from_db()
    xlsx.refresh_from_db()
    for report in (pdf, xlsx):
        assert report.status == Report.Status.DONE, report.error
        assert report.progress == 100 and report.attempts == 1
        content = report.file.read()
        assert report.size == len(content)
        assert report.sha256 == hashlib.sha256(content).hexdigest()
        assert report.started_at and report.finished_at
    assert pdf.page_count == pdf_text.page_count(pdf.file.open("rb").read())
    assert pdf.file_name.endswith(".pdf") and xlsx.file_name.endswith(".xlsx")
    assert xlsx.page_count is None


def test_asking_again_makes_a_new_version_and_keeps_the_old_one(
    world, eager, persona_client, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.report_request(user=world.users["secretariat"], plan=world.plan, kind=Report.Kind.DISTRICT)
    versions = Report.objects.filter(kind=Report.Kind.DISTRICT).order_by("version")
    assert [r.version for r in versions] == [1, 2]
    assert all(r.status == Report.Status.DONE for r in versions)
    assert versions[0].file.name != versions[1].file.name
    client = persona_client("viewer")
    page = client.get(reverse("reports:plan_reports", args=[world.plan.pk]))
    for report in versions:
        assert reverse("reports:download", args=[report.pk]) in page.content.decode()
        assert client.get(reverse("reports:download", args=[report.pk])).status_code == 200


def test_a_finished_record_is_left_alone_when_its_task_comes_again(world, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(user=world.users["secretariat"], plan=world.plan, kind="district")[0]
    report.refresh_from_db()
    before = (report.file.name, report.sha256, report.attempts, report.finished_at)
    services.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert (report.file.name, report.sha256, report.attempts, report.finished_at) == before


def test_a_failed_render_gives_a_reason_and_can_be_retried(world, eager, django_capture_on_commit_callbacks):
    ConclusionNoticeFactory(visit=world.visit_a, issued_on=dt.date(2020, 10, 30))
    with django_capture_on_commit_callbacks() as callbacks:
        report = services.report_request(
            user=world.users["inspector"], plan=world.plan, kind=Report.Kind.NOTICE, visit=world.visit_a
        )[0]
    # The notice disappears between the request and the render.
    ConclusionNotice.objects.filter(visit=world.visit_a).delete()
    for callback in callbacks:
        callback()
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == "Chưa có thông báo kết luận kiểm tra cho cuộc kiểm tra này."
    assert not report.file

    with pytest.raises(ValidationError):
        services.report_retry(user=world.users["inspector"], report=report)
    ConclusionNoticeFactory(visit=world.visit_a, issued_on=dt.date(2020, 10, 30))
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(user=world.users["inspector"], report=report)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.error == "" and report.version == 1


def test_a_render_the_worker_died_in_three_times_is_not_tried_again(world):
    report = services.report_create(plan=world.plan, kind=Report.Kind.DISTRICT_XLSX)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, attempts=services.MAX_ATTEMPTS)
    services.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "3" in report.error and not report.file


def test_an_attempt_that_lost_its_claim_writes_nothing(world):
    report = services.report_create(plan=world.plan, kind=Report.Kind.DISTRICT_XLSX)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, attempts=2)
    services._store(report.pk, 1, type("R", (), {"file_name": "x.xlsx", "content": b"x", "page_count": None})())
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING and not report.file


def test_rights_to_ask(world):
    with pytest.raises(PermissionDenied):
        services.report_request(user=world.users["inspector"], plan=world.plan, kind=Report.Kind.DISTRICT)
    with pytest.raises(PermissionDenied):
        services.report_request(user=world.users["viewer"], plan=world.plan, kind=Report.Kind.DISTRICT)
    MinutesFactory(visit=world.visit_a)
    with pytest.raises(PermissionDenied):
        services.report_request(
            user=world.users["commune_a_lead"], plan=world.plan, kind=Report.Kind.MINUTES, visit=world.visit_a
        )
    with pytest.raises(ValidationError):
        services.report_request(
            user=world.users["inspector"], plan=world.plan, kind=Report.Kind.MINUTES, visit=world.visit_b
        )


def test_commune_people_download_only_their_own_communes_notice(
    world, eager, persona_client, django_capture_on_commit_callbacks
):
    reports = {}
    for key, visit in (("a", world.visit_a), ("b", world.visit_b)):
        ConclusionNoticeFactory(visit=visit, issued_on=dt.date(2020, 10, 30))
        with django_capture_on_commit_callbacks(execute=True):
            reports[key] = services.report_request(
                user=world.users["secretariat"], plan=world.plan, kind=Report.Kind.NOTICE, visit=visit
            )[0]
    client = persona_client("commune_a")
    own = client.get(reverse("reports:download", args=[reports["a"].pk]))
    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    assert own["Content-Disposition"].startswith("attachment;")
    assert own["X-Content-Type-Options"] == "nosniff"
    assert b"".join(own.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("reports:download", args=[reports["b"].pk])).status_code == 404
    assert client.get(reverse("reports:status", args=[reports["b"].pk])).status_code == 404
    page = client.get(reverse("reports:plan_reports", args=[world.plan.pk])).content.decode()
    assert reverse("reports:download", args=[reports["a"].pk]) in page
    assert reverse("reports:download", args=[reports["b"].pk]) not in page


def test_running_rows_poll_and_finished_rows_stop(world, persona_client):
    report = services.report_create(plan=world.plan, kind=Report.Kind.DISTRICT)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, progress=45, stage="layout")
    client = persona_client("secretariat")
    row = client.get(reverse("reports:status", args=[report.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in row and "45%" in row and "Đang dàn trang" in row
    Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED, error="Hết thời gian")
    row = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "hx-trigger" not in row and "Hết thời gian" in row and reverse("reports:retry", args=[report.pk]) in row


def test_bad_requests_answer_with_a_message_not_an_error(world, persona_client):
    client = persona_client("secretariat")
    url = reverse("reports:request", args=[world.plan.pk])
    for data in ({"kind": "bogus"}, {"kind": "minutes"}, {"kind": "minutes", "visit": "abc"}, {}):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert response.context["messages"], data
    response = client.post(url, {"kind": "minutes", "visit": world.visit_a.pk}, follow=True)
    assert "Biên bản kiểm tra của cuộc kiểm tra này chưa được lập." in response.content.decode()
    assert not Report.objects.exists()


def test_an_unreachable_queue_fails_the_record_with_a_reason(world, monkeypatch, django_capture_on_commit_callbacks):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.render_report, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(user=world.users["secretariat"], plan=world.plan, kind="district")[0]
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == "Không kết nối được hàng đợi lập văn bản. Vui lòng thử lại sau ít phút."
    assert report.can_be_retried


def test_a_render_queued_far_too_long_can_be_asked_for_again(world, django_capture_on_commit_callbacks):
    report = services.report_create(plan=world.plan, kind=Report.Kind.DISTRICT)
    assert not report.can_be_retried
    with pytest.raises(ValidationError):
        services.report_retry(user=world.users["secretariat"], report=report)
    Report.objects.filter(pk=report.pk).update(requested_at=report.requested_at - dt.timedelta(hours=1))
    report.refresh_from_db()
    assert report.can_be_retried
    with django_capture_on_commit_callbacks() as callbacks:
        services.report_retry(user=world.users["secretariat"], report=report)
    assert len(callbacks) == 1


def test_a_documents_file_name_keeps_the_communes_d(world, eager, persona_client, django_capture_on_commit_callbacks):
    MinutesFactory(visit=world.visit_a)
    client = persona_client("secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request", args=[world.plan.pk]), {"kind": "minutes", "visit": world.visit_a.pk}
        )
    assert response.status_code == 302
    report = Report.objects.get(kind=Report.Kind.MINUTES, visit=world.visit_a)
    assert report.status == Report.Status.DONE, report.error
    assert report.file_name == "bien-ban-kiem-tra-2020-thanh-dong-a.pdf"
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="bien-ban-kiem-tra-2020-thanh-dong-a.pdf"'


@pytest.fixture
def dead_queue():
    """The Celery app sending to a broker address where nothing listens, as when Redis is down.

    The write URL, because CELERY_BROKER_URL in the environment outranks a changed broker_url.
    """

    def forget_connections():
        app.close()
        # close() keeps the producer pool when the app never opened its own connection pool.
        app.amqp._producer_pool = None

    saved = app.conf.broker_write_url
    forget_connections()
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    yield
    forget_connections()
    app.conf.broker_write_url = saved


# Committed for real, as in production: the enqueue runs when the request's transaction commits.
@pytest.mark.django_db(transaction=True)
def test_with_the_queue_down_the_page_says_the_request_failed_with_its_reason_and_offers_a_retry(
    world, dead_queue, persona_client
):
    client = persona_client("secretariat")
    response = client.post(reverse("reports:request", args=[world.plan.pk]), {"kind": "district"}, follow=True)
    body = response.content.decode()
    reports = list(Report.objects.order_by("kind"))
    assert reports and all(r.status == Report.Status.FAILED for r in reports)
    reason = "Không kết nối được hàng đợi lập văn bản. Vui lòng thử lại sau ít phút."
    assert all(r.error == reason for r in reports)
    messages = [str(m) for m in response.context["messages"]]
    assert not any("Đã đưa vào hàng đợi" in m for m in messages), messages
    assert any("chưa được đưa vào hàng đợi" in m and reason in m for m in messages), messages
    for report in reports:
        row = body.split(f'id="report-{report.pk}"')[1].split("</tr>")[0]
        assert 'data-status="failed"' in body.split(f'id="report-{report.pk}"')[0][-300:] + row
        assert reason in row and 'data-testid="report-retry"' in row
    # Retrying while the queue is still down says so again, and keeps the record failed with its reason.
    again = client.post(reverse("reports:retry", args=[reports[0].pk]), follow=True)
    messages = [str(m) for m in again.context["messages"]]
    assert any(reason in m for m in messages) and not any("Đã đưa lại" in m for m in messages), messages
    reports[0].refresh_from_db()
    assert reports[0].status == Report.Status.FAILED
