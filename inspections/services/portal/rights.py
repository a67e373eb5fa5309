"""Who may act in the commune portal, once a scoped selector has shown that he may see the object.

Seeing is decided by the selectors (another commune's objects answer 404); acting is
decided here (a person who sees but may not act gets 403).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.access import scope_for
from accounts.models import Membership

from ...models import TeamMember, Visit

Role = Membership.Role


def _unit_and_ancestors(unit) -> set[int]:
    found = set()
    while unit is not None and unit.pk not in found:
        found.add(unit.pk)
        unit = unit.parent
    return found


def commune_roles(user, unit_id: int) -> frozenset[str]:
    """The commune roles the user holds for a unit: in it, or in a unit that succeeded it (from his scope)."""
    return scope_for(user).commune_roles_by_unit.get(unit_id, frozenset())


def _authority_roles(user, visit: Visit) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        Membership.objects.filter(user=user, is_active=True, unit_id__in=_unit_and_ancestors(visit.plan.authority))
        .order_by()
        .values_list("role", flat=True)
    )


def works_in_commune(user, unit_id: int) -> bool:
    """Whether the user holds any active membership in the commune (or a commune that succeeded it).

    Such a person may sit on the team, but never judges his own commune: no appraisal,
    re-check or verification of its remedies. Told by his scope, with no query of its own.
    """
    return unit_id in scope_for(user).works_in_unit_ids


def own_commune_message() -> str:
    """Why a team member who works in the commune may not judge it."""
    return _(
        "You work in this commune: to avoid a conflict of interest you do not appraise it, re-check its "
        "findings or verify its remedies."
    )


def can_work_for_commune(user, visit: Visit) -> bool:
    """Commune staff and the commune lead score, explain, upload, report remedies and ask questions."""
    return bool(commune_roles(user, visit.unit_id))


def can_lead_commune(user, visit: Visit) -> bool:
    """Only the commune lead (Chairman of the People's Committee) submits or withdraws the self-assessment."""
    return Role.COMMUNE_LEAD in commune_roles(user, visit.unit_id)


def can_extend_deadline(user, visit: Visit) -> bool:
    """The secretariat of the inspecting authority extends a commune's deadline."""
    if user.is_superuser:
        return True
    return bool(_authority_roles(user, visit) & {Role.SECRETARIAT, Role.ADMIN})


def can_judge(user, visit: Visit) -> bool:
    """Verify or send back remedies and answer questions: the campaign's team, the team lead or the secretariat.

    Never at a commune the user works in.
    """
    if works_in_commune(user, visit.unit_id):
        return False
    if user.is_superuser:
        return True
    if not user.is_authenticated:
        return False
    if TeamMember.objects.filter(team__plan_id=visit.plan_id, user=user).exists():
        return True
    return bool(_authority_roles(user, visit) & {Role.SECRETARIAT, Role.TEAM_LEAD, Role.ADMIN})


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied with a message a person understands unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message or _("Your role does not allow this action."))
