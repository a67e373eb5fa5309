"""A round's reminders through real worker processes, two "beats" at once and a restart, to a real SMTP server.

The worker is another process: its clock is not the test's, so each beat's run is sent the day it
stands for (the beat sends none and the task takes today).
"""

import datetime as dt
import time
from collections import Counter

import pytest

from accounts.notifications.kinds import Kind, Mode
from accounts.notifications.models import Delivery, Notification, NotificationPreference
from accounts.notifications.tasks import send_digests, send_reminders
from inspections.models import Finding, Visit
from tests.workers import Workers

from .smtp import SmtpServer, subject

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DEADLINE = dt.date(2026, 12, 10)
REMEDY_DUE = dt.date(2026, 12, 20)


def wait_until_sent(workers, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while Delivery.objects.filter(status=Delivery.Status.PENDING).exists():
        assert time.monotonic() < deadline, workers.logs()
        time.sleep(0.1)


def beat(day: dt.date, workers) -> None:
    """Two beats run the day's reminders and digests at once; both finish before the next day."""
    results = [task.apply_async(args=[day.isoformat()], ignore_result=False) for task in (send_reminders,) * 2]
    results += [send_digests.apply_async(args=[day.isoformat()], ignore_result=False) for _ in range(2)]
    for result in results:
        result.get(timeout=60)
    wait_until_sent(workers)


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def test_a_round_reminds_each_person_once_per_step_across_two_beats_and_a_restart(world, smtp, tmp_path, settings):
    from cchc_inspect.celery import app

    for name, user in world.users.items():
        user.email = f"{name}@example.vn"
        user.save(update_fields=["email"])
    # Commune A has not submitted; its staff reads deadline reminders in the daily digest.
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.SELF_ASSESSMENT)
    world.plan.self_assessment_deadline = DEADLINE
    world.plan.save(update_fields=["self_assessment_deadline"])
    Finding.objects.filter(visit=world.visit_a).update(due_date=REMEDY_DUE)
    # Commune B submitted and remedied: nothing to remind it of.
    Finding.objects.filter(visit=world.visit_b).update(status=Finding.Status.REMEDIED, due_date=REMEDY_DUE)
    NotificationPreference.objects.create(user=world.users["commune_a"], kind=Kind.DEADLINE_REMINDER, mode=Mode.DIGEST)

    app.control.purge()
    workers = Workers(tmp_path, settings.MEDIA_ROOT, {"EMAIL_URL": smtp.url, "SITE_URL": "https://cchc.example.vn"})
    try:
        workers.start_many(2)
        days = [DEADLINE - dt.timedelta(days=9) + dt.timedelta(days=n) for n in range(36)]
        for day in days:
            if day == DEADLINE - dt.timedelta(days=2):
                workers.stop_all()
                workers.start_many(2)
            beat(day, workers)
    finally:
        workers.stop_all()

    lead = [subject(m) for m in smtp.inbox.for_address("commune_a_lead@example.vn")]
    deadline_mails = [s for s in lead if "hạn tự đánh giá" in s]
    assert deadline_mails == [
        "CCHC Inspect: Thạnh Đông A: hạn tự đánh giá 10/12/2026 (còn 7 ngày), chưa gửi",
        "CCHC Inspect: Thạnh Đông A: hạn tự đánh giá 10/12/2026 (còn 3 ngày), chưa gửi",
        "CCHC Inspect: Thạnh Đông A: hạn tự đánh giá 10/12/2026 (còn 1 ngày), chưa gửi",
    ]
    due = [s for s in lead if "phải khắc phục" in s]
    assert due == [
        "CCHC Inspect: Thạnh Đông A: nội dung phải khắc phục trước 20/12/2026 (còn 14 ngày): 1",
        "CCHC Inspect: Thạnh Đông A: nội dung phải khắc phục trước 20/12/2026 (còn 3 ngày): 1",
    ]
    overdue_weeks = {d.isocalendar()[:2] for d in days if d > REMEDY_DUE}
    overdue = [s for s in lead if "quá hạn khắc phục" in s]
    assert len(overdue) == len(overdue_weeks) == 3
    assert len(lead) == len(set(lead)) + 2  # the three weekly overdue mails read alike
    assert (
        Counter(lead)[
            "CCHC Inspect: Thạnh Đông A: quá hạn khắc phục từ 20/12/2026, nhắc đến khi hoàn thành: 1 nội dung"
        ]
        == 3
    )

    # The staff member chose the digest for deadline reminders: one digest on each reminder day, none twice.
    staff = smtp.inbox.for_address("commune_a@example.vn")
    digests = [m for m in staff if subject(m).endswith("thông báo trong ngày")]
    assert len(digests) == 3
    body = digests[0].get_body(preferencelist=("plain",)).get_content()
    assert (
        "còn 7 ngày" in body and f"https://cchc.example.vn/campaigns/visits/{world.visit_a.pk}/self-assessment/" in body
    )
    assert len([m for m in staff if "phải khắc phục" in subject(m) or "quá hạn" in subject(m)]) == 5

    assert smtp.inbox.for_address("commune_b@example.vn") == []
    assert Notification.objects.filter(user=world.users["commune_a_lead"]).count() == 8
    assert not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()


def test_the_beat_schedule_names_registered_tasks(settings):
    from cchc_inspect.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry
