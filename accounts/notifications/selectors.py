"""Reads of notifications: always the signed-in user's own."""

from .models import Delivery, Notification


def notification_list_for_user(user):
    """The user's inbox, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notification_get_for_user(user, pk: int) -> Notification | None:
    return Notification.objects.filter(user=user, pk=pk).first()


def unread_count_for_user(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def failed_delivery_list():
    """Deliveries given up after their retries, for the administrator."""
    return Delivery.objects.filter(status=Delivery.Status.FAILED).select_related("user")
