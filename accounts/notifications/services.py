"""Writes of notifications: create inbox lines and deliveries, send them, collect digests, mark read."""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .channels import CHANNELS, Message
from .kinds import LEGAL_KINDS, Kind, Mode
from .models import Delivery, MessageLanguage, Notification, NotificationPreference

logger = logging.getLogger(__name__)

# A failed send is tried again after 1, 2, 4, 8… minutes, at most this many times in all.
MAX_ATTEMPTS = 6
# A claim older than this belongs to a worker that died: the delivery may be sent again.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
BATCH_SIZE = 100


@dataclass(frozen=True)
class Item:
    """One inbox line to create: for whom, what, about which page; `key` makes it happen once."""

    user_id: int
    kind: str
    params: dict = field(default_factory=dict)
    link: str = ""
    key: str | None = None


def site_url(path: str) -> str:
    """The absolute address of a page of the application, built on SITE_URL."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def notify(*, kind: str, user_ids, params: dict, link: str = "", key: str | None = None) -> int:
    """Tell each user (ids, duplicates ignored) of an event: an inbox line, and mail after commit.

    Returns the number of inbox lines written. Never raises for a mail problem: sending is the worker's.
    """
    return notify_many([Item(user_id=pk, kind=kind, params=params, link=link, key=key) for pk in set(user_ids)])


def notify_many(items: list[Item]) -> int:
    """Write many inbox lines at once (a fixed number of queries whatever their count).

    Items with a key already present for their user are skipped, so a reminder run twice,
    or by two beats at once, writes and sends nothing the second time.
    """
    if not items:
        return 0
    user_ids = {item.user_id for item in items}
    kinds = {item.kind for item in items}
    chosen = {
        (user_id, kind): mode
        for user_id, kind, mode in NotificationPreference.objects.filter(user_id__in=user_ids, kind__in=kinds)
        .order_by()
        .values_list("user_id", "kind", "mode")
    }
    rows = [
        Notification(
            user_id=item.user_id,
            kind=item.kind,
            params=item.params,
            link=item.link,
            key=item.key,
            mode=Mode.IMMEDIATE if item.kind in LEGAL_KINDS else chosen.get((item.user_id, item.kind), Mode.IMMEDIATE),
        )
        for item in items
    ]
    keyed = [row for row in rows if row.key]
    plain = [row for row in rows if not row.key]
    written = len(plain)
    with transaction.atomic():
        Notification.objects.bulk_create(plain)
        if keyed:
            pairs = {(row.user_id, row.key) for row in keyed}
            keys = {key for _user_id, key in pairs}
            present = set(Notification.objects.filter(user_id__in=user_ids, key__in=keys).values_list("user_id", "key"))
            written += len(pairs - present)
            Notification.objects.bulk_create(keyed, ignore_conflicts=True)
            # Whichever run wrote them, the lines of these keys that still wait for a delivery.
            waiting = Q()
            for user_id, key in pairs:
                waiting |= Q(user_id=user_id, key=key)
            keyed = list(
                Notification.objects.filter(waiting, mode=Mode.IMMEDIATE, delivery__isnull=True).only(
                    "pk", "user_id", "mode"
                )
            )
        # People without an address read their inbox only.
        reachable = set(get_user_model().objects.filter(pk__in=user_ids).exclude(email="").values_list("pk", flat=True))
        immediate = [row for row in plain + keyed if row.mode == Mode.IMMEDIATE and row.user_id in reachable]
        _deliveries_for(immediate)
    return written


def _deliveries_for(notifications: list[Notification]) -> None:
    """One e-mail delivery per notification to send at once, enqueued after commit."""
    if not notifications:
        return
    keys = {f"notification:{n.pk}": n for n in notifications}
    Delivery.objects.bulk_create(
        [Delivery(user_id=n.user_id, key=key, purpose=Delivery.Purpose.EVENT) for key, n in keys.items()],
        ignore_conflicts=True,
    )
    delivery_ids = dict(Delivery.objects.filter(key__in=keys).values_list("key", "pk"))
    for key, notification in keys.items():
        notification.delivery_id = delivery_ids[key]
    Notification.objects.bulk_update(list(keys.values()), ["delivery"])
    enqueue_deliveries(list(delivery_ids.values()))


def enqueue_deliveries(delivery_ids: list[int], countdown: int = 0) -> None:
    """Hand the deliveries to the worker after commit, in batches; a queue that cannot be reached is logged."""

    def send():
        from .tasks import send_deliveries  # the task module imports this one

        for start in range(0, len(delivery_ids), BATCH_SIZE):
            batch = delivery_ids[start : start + BATCH_SIZE]
            try:
                send_deliveries.apply_async(args=[batch], countdown=countdown)
            except Exception:
                # The rows stay pending: the beat's sweep picks them up again.
                logger.exception("Could not enqueue deliveries %s", batch)

    if delivery_ids:
        transaction.on_commit(send)


def account_link_send(*, user, base_url: str, purpose: str) -> bool:
    """Mail a one-time link to choose a password (new account or forgotten password) from the worker.

    The token is made when the mail is sent, so nothing secret is stored. Returns False
    without an address. Never raises for a mail problem.
    """
    if not user.email or not base_url:
        return False
    delivery = Delivery.objects.create(
        user=user,
        purpose=purpose,
        base_url=base_url.rstrip("/"),
        key=f"{purpose}:{user.pk}:{timezone.now().isoformat()}",
    )
    enqueue_deliveries([delivery.pk])
    return True


def _language_of(user_ids) -> dict[int, str]:
    return dict(MessageLanguage.objects.filter(user_id__in=user_ids).values_list("user_id", "language"))


def _set_password_link(user, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url + reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def compose(delivery: Delivery, notifications: list[Notification]) -> Message:
    """The message of a delivery in the active language (the caller activates the reader's)."""
    user = delivery.user
    if delivery.purpose in (Delivery.Purpose.ACCOUNT_CREATED, Delivery.Purpose.PASSWORD_RESET):
        link = _set_password_link(user, delivery.base_url)
        created = delivery.purpose == Delivery.Purpose.ACCOUNT_CREATED
        context = {"user": user, "link": link, "site": delivery.base_url}
        name = "account_created" if created else "password_reset"
        subject = render_to_string(f"accounts/email/{name}_subject.txt", context).strip()
        text = render_to_string(f"accounts/email/{name}.txt", context)
        html = render_to_string("notifications/email/account.html", {**context, "text": text, "subject": subject})
        return Message(subject=subject, text=text, html=html, link=link)
    lines = [
        {"title": n.title, "link": site_url(n.link), "created_at": n.created_at, "params": n.params}
        for n in notifications
    ]
    context = {"user": user, "lines": lines, "inbox": site_url(reverse("notifications:inbox"))}
    if delivery.purpose == Delivery.Purpose.DIGEST:
        from django.utils.translation import gettext as _

        subject = _("CCHC Inspect: %(count)s notifications of the day") % {"count": len(lines)}
        template = "notifications/email/digest"
    else:
        subject = "CCHC Inspect: " + (lines[0]["title"] if lines else "")
        template = "notifications/email/event"
    context["subject"] = subject
    return Message(
        subject=subject[:250],
        text=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
        link=lines[0]["link"] if lines else context["inbox"],
    )


def _claim(delivery_id: int) -> bool:
    now = timezone.now()
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now)
    )


def deliveries_send(*, delivery_ids: list[int]) -> list[int]:
    """Send pending deliveries through their channel; returns the ids to try again later.

    Each delivery is claimed first, so a task delivered twice sends once. A failure is
    written on the row (attempts, last error); after MAX_ATTEMPTS the row is failed and
    shows in the administration's list of failed deliveries.
    """
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.PENDING)
        .select_related("user")
        .prefetch_related("notifications")
        .order_by("pk")
    )
    languages = _language_of({d.user_id for d in deliveries})
    retry = []
    by_channel: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        by_channel.setdefault(delivery.channel, []).append(delivery)
    for channel_name, batch in by_channel.items():
        channel = CHANNELS[channel_name]
        handled = set()
        try:
            with channel.session() as session:
                for delivery in batch:
                    if not _send_one(delivery, channel, session, languages):
                        retry.append(delivery.pk)
                    handled.add(delivery.pk)
        except Exception as exc:
            # The connection itself failed: every delivery of the batch not yet handled waits for a retry.
            logger.warning("Channel %s unavailable: %s", channel_name, exc)
            for delivery in batch:
                if delivery.pk not in handled and _record_failure(delivery, exc):
                    retry.append(delivery.pk)
    return retry


def _send_one(delivery: Delivery, channel, session, languages: dict[int, str]) -> bool:
    """Send one delivery; False when it should be tried again."""
    address = channel.address(delivery.user)
    if not address:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, last_error="no address", claimed_at=None
        )
        delivery.status = Delivery.Status.FAILED
        return True
    if not _claim(delivery.pk):
        return True
    notifications = sorted(delivery.notifications.all(), key=lambda n: (n.created_at, n.pk))
    with translation.override(languages.get(delivery.user_id, settings.LANGUAGE_CODE)):
        message = compose(delivery, notifications)
    try:
        channel.send(message=message, address=address, session=session)
    except Exception as exc:
        logger.warning("Delivery %s failed: %s", delivery.pk, exc)
        return not _record_failure(delivery, exc)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        address=address,
        subject=message.subject[:300],
        attempts=delivery.attempts + 1,
        last_error="",
    )
    delivery.status = Delivery.Status.SENT
    return True


def _record_failure(delivery: Delivery, exc: Exception) -> bool:
    """Write the failure on the row; True when it will be tried again, False when it is given up."""
    attempts = delivery.attempts + 1
    final = attempts >= MAX_ATTEMPTS
    status = Delivery.Status.FAILED if final else Delivery.Status.PENDING
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:2000], status=status, claimed_at=None
    )
    delivery.attempts = attempts
    delivery.status = status
    return not final


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: 1, 2, 4, 8, 16 minutes."""
    return 60 * 2 ** max(attempts - 1, 0)


def deliveries_retry(*, delivery_ids: list[int]) -> int:
    """Put failed deliveries back to be sent (the administrator's action); returns how many."""
    count = Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, claimed_at=None
    )
    enqueue_deliveries(list(delivery_ids))
    return count


def deliveries_sweep() -> int:
    """Enqueue deliveries left pending (a queue that was down, a worker that died); run by the beat."""
    stale = timezone.now() - CLAIM_TIMEOUT
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, created_at__lt=stale)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    enqueue_deliveries(ids)
    return len(ids)


@transaction.atomic
def digests_collect(*, day: dt.date | None = None) -> int:
    """Gather each user's notifications waiting for the daily digest into one delivery per user and day.

    The delivery's key (user, day) makes a second run the same day add nothing to a sent
    digest: later lines wait for the next day's. Returns the number of digests enqueued.
    """
    day = day or timezone.localdate()
    waiting = Notification.objects.filter(mode=Mode.DIGEST, delivery__isnull=True).exclude(user__email="")
    user_ids = sorted(set(waiting.order_by().values_list("user_id", flat=True)))
    if not user_ids:
        return 0
    keys = {f"digest:{user_id}:{day.isoformat()}": user_id for user_id in user_ids}
    Delivery.objects.bulk_create(
        [Delivery(user_id=user_id, key=key, purpose=Delivery.Purpose.DIGEST) for key, user_id in keys.items()],
        ignore_conflicts=True,
    )
    open_digests = dict(
        Delivery.objects.filter(key__in=keys, status=Delivery.Status.PENDING, claimed_at__isnull=True).values_list(
            "user_id", "pk"
        )
    )
    for user_id, delivery_id in open_digests.items():
        waiting.filter(user_id=user_id).update(delivery_id=delivery_id)
    enqueue_deliveries(sorted(open_digests.values()))
    return len(open_digests)


def notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when no ids are given); returns how many."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user, modes: dict[str, str], language: str) -> None:
    """Store how the user receives each kind and the language of his messages.

    Legal deadlines (conclusion notice, overdue remedy) are always e-mailed at once
    whatever is asked. Unknown kinds or modes are ignored.
    """
    for kind, mode in modes.items():
        if kind not in Kind.values or mode not in Mode.values or kind in LEGAL_KINDS:
            continue
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"mode": mode})
    if language in dict(settings.LANGUAGES):
        MessageLanguage.objects.update_or_create(user=user, defaults={"language": language})


def preferences_of(user) -> dict[str, str]:
    """The mode of every kind for the user (immediate unless he chose otherwise)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    return {kind: Mode.IMMEDIATE if kind in LEGAL_KINDS else chosen.get(kind, Mode.IMMEDIATE) for kind in Kind.values}


def language_of(user) -> str:
    row = MessageLanguage.objects.filter(user=user).first()
    return row.language if row else settings.LANGUAGE_CODE
