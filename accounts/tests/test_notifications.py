"""Notifications: who is told of what, the inbox, preferences, digests and mail through a real SMTP server."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from accounts.notifications import services
from accounts.notifications.kinds import Kind, Mode
from accounts.notifications.models import Delivery, MessageLanguage, Notification, NotificationPreference
from cchc_inspect.mail import email_settings
from inspections.models import Finding
from inspections.services.appraisal import finding_answer
from inspections.services.portal.questions import question_ask

from .smtp import SmtpServer, subject, text_and_html


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    server.settings(settings)
    yield server
    server.stop()


@pytest.fixture
def addresses(world):
    for name, user in world.users.items():
        user.email = f"{name}@example.vn"
        user.save(update_fields=["email"])
    return world


def ask_and_answer(world, capture):
    """Commune A asks the group of area 1 a question; the inspector of that group answers it."""
    with capture(execute=True):
        question = question_ask(
            visit=world.visit_a, user=world.users["commune_a"], text="Hồ sơ một cửa lưu ở đâu?", area=world.areas[0]
        )
    with capture(execute=True):
        finding_answer(finding=question, user=world.users["inspector"], answer="Lưu tại bộ phận một cửa.")
    return question


def test_a_question_goes_to_the_group_of_its_area_and_the_answer_to_the_commune_only(
    addresses, django_capture_on_commit_callbacks, celery_eager, smtp
):
    world = addresses
    MessageLanguage.objects.create(user=world.users["commune_a_lead"], language="en")
    ask_and_answer(world, django_capture_on_commit_callbacks)

    asked = Notification.objects.filter(kind=Kind.QUESTION_ASKED)
    # Group 1 covers area 1: its inspector; group 2 has nobody, the secretariat and lead have no group.
    assert {n.user.username for n in asked} == {"inspector"}
    answered = Notification.objects.filter(kind=Kind.QUESTION_ANSWERED)
    assert {n.user.username for n in answered} == {"commune_a", "commune_a_lead"}
    assert not Notification.objects.filter(user=world.users["commune_b"]).exists()

    # The mail arrived at a real SMTP server: right recipient, subject, language and link, with an HTML part.
    [vietnamese] = smtp.inbox.for_address("commune_a@example.vn")
    assert subject(vietnamese) == "CCHC Inspect: Thạnh Đông A: đoàn kiểm tra đã trả lời câu hỏi của xã"
    text, html = text_and_html(vietnamese)
    link = f"http://127.0.0.1:8000/campaigns/visits/{world.visit_a.pk}/questions/"
    assert link in text and f'href="{link}"' in html
    assert world.plan.title in text and "Thạnh Đông A" in html
    assert not list(vietnamese.iter_attachments())
    [english] = smtp.inbox.for_address("commune_a_lead@example.vn")
    assert subject(english) == "CCHC Inspect: Thạnh Đông A: the team answered your question"
    assert "Hello Commune A Lead," in text_and_html(english)[0]
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3


def test_the_inbox_shows_ones_own_notifications_and_marks_them_read(world, django_capture_on_commit_callbacks):
    ask_and_answer(world, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(world.users["commune_a"])
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Thạnh Đông A: đoàn kiểm tra đã trả lời câu hỏi của xã" in page
    # Nobody here has an e-mail address: the inbox only, no mail waiting.
    assert not Delivery.objects.exists()
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert re.search(r'data-testid="notification-count">1<', bell)

    mine = Notification.objects.get(user=world.users["commune_a"])
    response = client.post(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == mine.link
    mine.refresh_from_db()
    assert mine.is_read
    assert re.search(r'data-testid="notification-count">0<', client.get(reverse("notifications:bell")).content.decode())

    # The lead's own notification stays unread; commune B cannot open it.
    lead_line = Notification.objects.get(user=world.users["commune_a_lead"])
    other = Client()
    other.force_login(world.users["commune_b"])
    assert other.post(reverse("notifications:open", args=[lead_line.pk])).status_code == 404
    assert other.post(reverse("notifications:mark_read"), {"id": lead_line.pk}).status_code == 302
    lead_line.refresh_from_db()
    assert not lead_line.is_read


def test_preferences_choose_digest_or_in_app_but_legal_deadlines_stay_mailed(world):
    client = Client()
    client.force_login(world.users["commune_a"])
    data = {"language": "en", **dict.fromkeys(Kind.values, Mode.IN_APP)}
    data[Kind.QUESTION_ANSWERED] = Mode.DIGEST
    response = client.post(reverse("notifications:preferences"), data, follow=True)
    assert "Đã lưu cách bạn nhận thông báo." in response.content.decode()
    chosen = dict(NotificationPreference.objects.filter(user=world.users["commune_a"]).values_list("kind", "mode"))
    assert chosen[Kind.QUESTION_ANSWERED] == Mode.DIGEST and chosen[Kind.MINUTES_SIGNED] == Mode.IN_APP
    assert Kind.NOTICE_ISSUED not in chosen and Kind.REMEDY_OVERDUE not in chosen
    assert services.preferences_of(world.users["commune_a"])[Kind.NOTICE_ISSUED] == Mode.IMMEDIATE
    assert MessageLanguage.objects.get(user=world.users["commune_a"]).language == "en"
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Thời hạn theo quy định: luôn gửi thư điện tử ngay." in page


def test_a_digest_gathers_the_day_once_and_later_lines_wait_for_the_next(
    addresses, django_capture_on_commit_callbacks, celery_eager, smtp
):
    world = addresses
    commune_a = world.users["commune_a"]
    NotificationPreference.objects.create(user=commune_a, kind=Kind.QUESTION_ANSWERED, mode=Mode.DIGEST)
    NotificationPreference.objects.create(user=commune_a, kind=Kind.REMEDY_DECIDED, mode=Mode.IN_APP)
    ask_and_answer(world, django_capture_on_commit_callbacks)
    assert smtp.inbox.for_address("commune_a@example.vn") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            kind=Kind.REMEDY_DECIDED, user_ids=[commune_a.pk], params={"commune": "X", "action": "verified"}
        )
    assert smtp.inbox.for_address("commune_a@example.vn") == []

    day = dt.date(2026, 11, 30)
    for _run in range(2):  # two beats, or one restarted
        with django_capture_on_commit_callbacks(execute=True):
            services.digests_collect(day=day)
    [digest] = smtp.inbox.for_address("commune_a@example.vn")
    assert subject(digest) == "CCHC Inspect: 1 thông báo trong ngày"
    assert "đoàn kiểm tra đã trả lời câu hỏi của xã" in text_and_html(digest)[0]

    # A line after the day's digest waits for the next day's.
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind=Kind.QUESTION_ANSWERED, user_ids=[commune_a.pk], params={"commune": "Thạnh Đông A"})
        services.digests_collect(day=day)
    assert len(smtp.inbox.for_address("commune_a@example.vn")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_collect(day=day + dt.timedelta(days=1))
    assert len(smtp.inbox.for_address("commune_a@example.vn")) == 2


def test_a_mail_server_that_fails_never_blocks_the_answer_and_is_retried_then_shown(
    addresses, django_capture_on_commit_callbacks, settings
):
    world = addresses
    # Nothing listens on this port: every connection is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    question = question_ask(visit=world.visit_a, user=world.users["commune_a"], text="Hỏi?", area=world.areas[0])
    client = Client()
    client.force_login(world.users["inspector"])
    response = client.post(reverse("inspections:finding_answer", args=[question.pk]), {"answer": "Đã trả lời."})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Finding.Status.ANSWERED

    deliveries = list(Delivery.objects.filter(notifications__kind=Kind.QUESTION_ANSWERED).values_list("pk", flat=True))
    assert len(deliveries) == 2
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        retry = services.deliveries_send(delivery_ids=deliveries)
        assert sorted(retry) == ([] if attempt == services.MAX_ATTEMPTS else sorted(deliveries))
        assert services.retry_delay(attempt) == 60 * 2 ** (attempt - 1)
    failed = Delivery.objects.filter(pk__in=deliveries)
    assert {d.status for d in failed} == {Delivery.Status.FAILED}
    assert all("ConnectionRefusedError" in d.last_error and d.attempts == services.MAX_ATTEMPTS for d in failed)

    # The administrator sees them and sends them again once the server is back.
    admin = Client()
    admin.force_login(type(world.users["lead"]).objects.create_superuser("root", "root@example.vn", "x"))
    listing = admin.get(reverse("admin:accounts_delivery_changelist") + "?status__exact=failed").content.decode()
    assert "ConnectionRefusedError" in listing
    assert services.deliveries_retry(delivery_ids=deliveries) == 2
    assert set(Delivery.objects.filter(pk__in=deliveries).values_list("status", flat=True)) == {"pending"}


def test_a_reminder_key_is_written_once_per_user(addresses):
    world = addresses
    item = services.Item(user_id=world.users["commune_a"].pk, kind=Kind.DEADLINE_REMINDER, params={}, key="k:1")
    assert services.notify_many([item, item]) == 1
    assert services.notify_many([item]) == 0
    assert Notification.objects.filter(key="k:1").count() == 1
    assert Delivery.objects.filter(notifications__key="k:1").count() == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://cchc%40tinh.gov.vn:m%E1%BA%ADt@mail.tinh.gov.vn",
            {"EMAIL_HOST": "mail.tinh.gov.vn", "EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False},
        ),
        ("smtps://u:p@mail.tinh.gov.vn", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
        ("smtp+plain://relay:25", {"EMAIL_HOST": "relay", "EMAIL_PORT": 25, "EMAIL_USE_TLS": False}),
        ("file:///srv/cchc/mail", {"EMAIL_FILE_PATH": "/srv/cchc/mail"}),
    ],
)
def test_email_url_is_read_into_django_settings(url, expected):
    values = email_settings(url)
    assert expected.items() <= values.items()
    if url.startswith("smtp://"):
        assert values["EMAIL_HOST_USER"] == "cchc@tinh.gov.vn" and values["EMAIL_HOST_PASSWORD"] == "mật"


def test_an_email_url_of_unknown_kind_is_refused():
    with pytest.raises(ImproperlyConfigured):
        email_settings("pigeon://roof")
