from django import template
from django.conf import settings

from accounts.notifications.selectors import unread_count_for_user

register = template.Library()


@register.inclusion_tag("includes/notification_bell.html", takes_context=True)
def notification_bell(context):
    """The header's bell: one COUNT on the user's unread notifications."""
    return {
        "notification_unread": unread_count_for_user(context["user"]),
        "poll_seconds": settings.NOTIFICATION_POLL_SECONDS,
    }
