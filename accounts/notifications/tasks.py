"""Celery tasks of notifications: thin, by id, idempotent (each delivery is claimed before sending)."""

import datetime as dt

from celery import shared_task

from . import services


@shared_task(name="notifications.send_deliveries", acks_late=True, reject_on_worker_lost=True)
def send_deliveries(delivery_ids: list[int]) -> None:
    """Send the deliveries; those that failed are tried again later with a growing delay."""
    from .models import Delivery

    retry = services.deliveries_send(delivery_ids=delivery_ids)
    if retry:
        attempts = max(Delivery.objects.filter(pk__in=retry).values_list("attempts", flat=True), default=1)
        services.enqueue_deliveries(retry, countdown=services.retry_delay(attempts))


@shared_task(name="notifications.send_reminders", acks_late=True)
def send_reminders(day: str | None = None) -> int:
    """Write and send the day's deadline reminders (once per user, object and deadline) and sweep stale deliveries."""
    from inspections.reminders import reminders_send

    count = reminders_send(day=dt.date.fromisoformat(day) if day else None)
    services.deliveries_sweep()
    return count


@shared_task(name="notifications.send_digests", acks_late=True)
def send_digests(day: str | None = None) -> int:
    """Send each user's daily digest of the notifications he chose to receive that way."""
    return services.digests_collect(day=dt.date.fromisoformat(day) if day else None)
