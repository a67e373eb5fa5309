"""Reads of report records, scoped to the user, and who may ask for which document.

The district side of a campaign (its authority's people and its team) sees every
report of the campaign. Commune people see only the minutes and conclusion notices
of their own commune's visits (and of the units it succeeded); never a district
report, never another commune's document.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.access import scope_for
from accounts.models import Membership
from communes.folding import dictionary_order
from inspections.models import InspectionPlan, TeamMember, Visit
from inspections.selectors import visit_list_for_user

from .models import Report

Role = Membership.Role
# Who may ask for the district report of a campaign of his authority.
DISTRICT_REQUESTERS = frozenset({Role.ADMIN, Role.SECRETARIAT, Role.TEAM_LEAD})
# Who may ask for a visit's minutes or notice: the district side that runs the campaign.
VISIT_DOCUMENT_REQUESTERS = frozenset({Role.ADMIN, Role.SECRETARIAT, Role.TEAM_LEAD, Role.INSPECTOR})


def _district_side_q(user, prefix: str = "") -> Q:
    scope = scope_for(user)
    q = Q(pk__in=[])
    if scope.authority_unit_ids:
        q |= Q(**{f"{prefix}plan__authority_id__in": scope.authority_unit_ids})
    if user.is_authenticated:
        # EXISTS, not a join through the team's members that would repeat each report once per member.
        q |= Q(Exists(TeamMember.objects.filter(team__plan_id=OuterRef(f"{prefix}plan_id"), user=user)))
    return q


def report_list_for_user(user, *, plan=None, visit=None) -> QuerySet[Report]:
    """Report records the user may see and download, newest version first."""
    scope = scope_for(user)
    qs = Report.objects.select_related("plan", "plan__authority", "visit", "visit__unit", "requested_by")
    if plan is not None:
        qs = qs.filter(plan=plan)
    if visit is not None:
        qs = qs.filter(visit=visit)
    if scope.is_superuser:
        return qs
    q = _district_side_q(user)
    if scope.commune_unit_ids:
        q |= Q(kind__in=Report.PER_VISIT_KINDS, visit__unit_id__in=scope.commune_unit_ids)
    return qs.filter(q)


def report_get_for_user(user, pk) -> Report:
    """One report record the user may see, or 404."""
    try:
        return report_list_for_user(user).get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _roles_over(user, plan: InspectionPlan) -> set[str]:
    """The roles the user holds on the plan's authority or a unit above it, and his place in its team."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return {Role.ADMIN}
    units = [plan.authority_id]
    parent = plan.authority.parent
    while parent is not None and len(units) < 4:
        units.append(parent.pk)
        parent = parent.parent
    roles = set(Membership.objects.filter(user=user, is_active=True, unit_id__in=units).values_list("role", flat=True))
    if TeamMember.objects.filter(team__plan=plan, user=user).exists():
        roles.add(Role.INSPECTOR)
    return roles


def requestable_kinds(user, plan: InspectionPlan) -> set[str]:
    """The kinds of document the user may ask for in this campaign."""
    roles = _roles_over(user, plan)
    kinds = set()
    if roles & DISTRICT_REQUESTERS:
        kinds |= {Report.Kind.DISTRICT, Report.Kind.DISTRICT_XLSX}
    if roles & VISIT_DOCUMENT_REQUESTERS:
        kinds |= set(Report.PER_VISIT_KINDS)
    return kinds


def report_visit_list_for_user(user, *, plan: InspectionPlan) -> QuerySet[Visit]:
    """Visits of a campaign whose documents the user may see, with their minutes and notice."""
    return (
        visit_list_for_user(user, plan=plan)
        .select_related("minutes", "conclusion")
        .order_by("scheduled_on", dictionary_order("unit__name"))
    )
