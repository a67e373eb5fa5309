"""A worker killed with SIGKILL in the middle of a render: the report still ends done, once, with one file.

Two ways to die. The pool child that renders is killed: the worker's main process sees
it lost, rejects the message back to the queue (reject_on_worker_lost) and a new child
renders again. The whole worker is killed (main process and child, as when a machine
goes down): nobody acknowledged the message, so Redis hands it to the next worker
started once its visibility timeout has passed.
"""

import hashlib
import os
import signal
import time
from pathlib import Path

import pytest

from reports import services
from reports.models import Report
from reports.tasks import render_report
from tests.workers import children_of

from .campaigns import build_province_campaign

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MID_RENDER = ("charts", "html", "layout", "writing")


def wait_for(predicate, *, timeout: float, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out\n{message()}")


@pytest.fixture
def queued_report():
    """A district report of a 30-commune campaign (a render of a few seconds), queued to the workers."""
    plan = build_province_campaign(communes=30, year=2024, code="K91")
    report = services.report_create(plan=plan, kind=Report.Kind.DISTRICT)
    render_report.delay(report.pk)
    return report


def _files(media_root) -> list[Path]:
    return [path for path in (Path(media_root) / "reports").rglob("*") if path.is_file()]


def _assert_done_once(report, settings):
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    # The first attempt was interrupted; the second finished.
    assert report.attempts == 2
    files = _files(settings.MEDIA_ROOT)
    assert len(files) == 1, files
    assert files[0].read_bytes().startswith(b"%PDF")
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == report.sha256
    assert report.size == files[0].stat().st_size


def test_a_pool_child_killed_mid_render_is_replaced_and_the_report_ends_done_once(workers, queued_report, settings):
    worker = workers.start()
    running = Report.objects.filter(pk=queued_report.pk, status=Report.Status.RUNNING, stage__in=MID_RENDER)
    wait_for(running.exists, timeout=60, message=workers.logs)
    [child] = children_of(worker.pid)
    os.kill(child, signal.SIGKILL)

    finished = Report.objects.filter(pk=queued_report.pk, status__in=[Report.Status.DONE, Report.Status.FAILED])
    wait_for(finished.exists, timeout=120, message=workers.logs)
    _assert_done_once(queued_report, settings)
    assert worker.poll() is None, "the main process survived and replaced its child"
    assert children_of(worker.pid) and child not in children_of(worker.pid)


def test_a_whole_worker_killed_mid_render_is_restarted_and_the_report_ends_done_once(workers, queued_report, settings):
    worker = workers.start()
    running = Report.objects.filter(pk=queued_report.pk, status=Report.Status.RUNNING, stage__in=MID_RENDER)
    wait_for(running.exists, timeout=60, message=workers.logs)
    pool = children_of(worker.pid)
    os.kill(worker.pid, signal.SIGKILL)
    for child in pool:
        os.kill(child, signal.SIGKILL)
    worker.wait(timeout=10)
    queued_report.refresh_from_db()
    assert queued_report.status == Report.Status.RUNNING and queued_report.attempts == 1
    assert not _files(settings.MEDIA_ROOT)

    workers.start()
    finished = Report.objects.filter(pk=queued_report.pk, status__in=[Report.Status.DONE, Report.Status.FAILED])
    wait_for(finished.exists, timeout=120, message=workers.logs)
    _assert_done_once(queued_report, settings)
