"""Reads of people, authorities and sign-ins, scoped to the user who asks."""

from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from communes.folding import dictionary_order
from communes.models import AdministrativeUnit

from .access import scope_for
from .models import Membership, User

Role = Membership.Role
MANAGING_ROLES = (Role.ADMIN, Role.SECRETARIAT)
# What a role may grant: nobody grants a role above his own. A team lead signs for the
# authority, so only an administrator appoints one.
GRANTABLE = {
    Role.ADMIN: frozenset(Role.values),
    Role.SECRETARIAT: frozenset({Role.SECRETARIAT, Role.INSPECTOR, Role.VIEWER, Role.COMMUNE_STAFF, Role.COMMUNE_LEAD}),
}


def _authority_units():
    return AdministrativeUnit.objects.filter(level__lt=AdministrativeUnit.Level.COMMUNE).select_related("parent")


def authority_list_for_user(user) -> list[AdministrativeUnit]:
    """The authorities the user works for (any authority role); a superuser may act for any."""
    if scope_for(user).is_superuser:
        return list(_authority_units().order_by("-valid_from", "level", dictionary_order("name")))
    ids = Membership.objects.filter(user=user, is_active=True, role__in=Membership.AUTHORITY_ROLES).values("unit_id")
    return list(_authority_units().filter(pk__in=ids).order_by("level", dictionary_order("name")))


def managed_authority_list_for_user(user) -> list[AdministrativeUnit]:
    """The authorities whose people the user manages: as their secretariat or administrator."""
    if scope_for(user).is_superuser:
        return authority_list_for_user(user)
    ids = Membership.objects.filter(user=user, is_active=True, role__in=MANAGING_ROLES).values("unit_id")
    return list(_authority_units().filter(pk__in=ids).order_by("level", dictionary_order("name")))


def grantable_roles(user, authority: AdministrativeUnit) -> frozenset[str]:
    """The roles the user may give to people of `authority` and its communes."""
    if scope_for(user).is_superuser:
        return frozenset(Role.values)
    held = set(
        Membership.objects.filter(user=user, unit=authority, is_active=True, role__in=MANAGING_ROLES).values_list(
            "role", flat=True
        )
    )
    granted = frozenset()
    for role in held:
        granted |= GRANTABLE[role]
    return granted


def units_under(authority: AdministrativeUnit) -> Q:
    """The authority and its communes (directly under a province, or under a district)."""
    return Q(pk=authority.pk) | Q(parent_id=authority.pk) | Q(parent__parent_id=authority.pk)


def commune_list_for_authority(authority: AdministrativeUnit):
    """The commune-level units under the authority."""
    return AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE).filter(
        Q(parent_id=authority.pk) | Q(parent__parent_id=authority.pk)
    )


def people_list_for_user(user, authority: AdministrativeUnit, *, search: str = ""):
    """People with a role in the authority or one of its communes, if the user manages that authority."""
    if authority not in managed_authority_list_for_user(user):
        return User.objects.none()
    units = AdministrativeUnit.objects.filter(units_under(authority)).values("pk")
    in_scope = Membership.objects.filter(user=OuterRef("pk"), unit_id__in=units)
    qs = User.objects.filter(Exists(in_scope)).prefetch_related("memberships__unit", "memberships__department")
    if search:
        qs = qs.filter(
            Q(full_name__icontains=search)
            | Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(memberships__unit__code=search)
        ).distinct()
    return qs.order_by(dictionary_order("full_name"), "username")


def person_get_for_user(user, authority: AdministrativeUnit, pk) -> User:
    """One person of the authority the user manages, or 404."""
    person = people_list_for_user(user, authority).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


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
