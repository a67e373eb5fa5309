"""Reads about sign-ins, scoped to the person asking."""

from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from .access import scope_for
from .models import Membership, User

HISTORY_LENGTH = 20


def signin_list_for_user(user) -> QuerySet[AccessLog]:
    """The user's own recent sign-ins, newest first: time, address and browser."""
    return AccessLog.objects.filter(username=user.get_username()).order_by("-attempt_time")[:HISTORY_LENGTH]


def signin_failure_list_for_user(user) -> QuerySet[AccessFailureLog]:
    """Recent failed sign-ins and lockouts of every account: the administrator only, otherwise none."""
    if not user.is_superuser:
        return AccessFailureLog.objects.none()
    return AccessFailureLog.objects.order_by("-attempt_time")[:100]


def can_unlock(user) -> bool:
    """Whether the user may see and lift lockouts: the administrator and the secretariat."""
    return scope_for(user).has_role(Membership.Role.SECRETARIAT, Membership.Role.ADMIN)


def unlockable_usernames(user) -> set[str] | None:
    """The usernames whose lockouts the user may lift; None means every one (the administrator)."""
    scope = scope_for(user)
    if user.is_superuser or Membership.Role.ADMIN in scope.roles:
        return None
    if not can_unlock(user):
        raise PermissionDenied
    # The secretariat reaches the people of its units (the authority and the communes below it).
    return set(
        User.objects.filter(memberships__unit_id__in=scope.authority_unit_ids, is_superuser=False)
        .order_by()
        .values_list("username", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class Lockout:
    username: str | None
    ip_address: str | None
    failures: int
    last_attempt: object
    user_agent: str


def lockout_list_for_user(user) -> list[Lockout]:
    """The lockouts now in force that the user may lift: by account (and, for the administrator, by address)."""
    if not can_unlock(user):
        raise PermissionDenied
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
    allowed = unlockable_usernames(user)
    rows = []
    for attempt in attempts:
        if allowed is not None and attempt.username not in allowed:
            continue
        rows.append(
            Lockout(
                username=attempt.username,
                ip_address=attempt.ip_address if allowed is None else None,
                failures=attempt.failures_since_start,
                last_attempt=attempt.attempt_time,
                user_agent=attempt.user_agent,
            )
        )
    return rows
