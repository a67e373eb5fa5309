"""Celery tasks of accounts: the notification tasks, found by Celery's autodiscovery through this module."""

from .notifications.tasks import send_deliveries, send_digests, send_reminders

__all__ = ["send_deliveries", "send_digests", "send_reminders"]
