"""Next year: a new campaign from the previous one, and last year's unresolved findings carried into it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, UnitSuccession
from communes.selectors import lineages as unit_lineages

from .. import permissions
from ..models import CriteriaSet, Criterion, Finding, InspectionPlan, InspectionTeam, TeamGroup, TeamMember, Visit
from ..results import previous_plans_for
from .setup import criteria_set_copy, next_working_day


@transaction.atomic
def finding_carry_over(*, plan: InspectionPlan, user=None, visits: list[Visit] | None = None) -> int:
    """Bring every unresolved finding of last year's visit of each commune into its visit of `plan`.

    Each copy is linked to the original by `carried_from`; the original becomes
    "carried over". Communes that succeeded merged ones receive their predecessors'
    findings. Idempotent: a finding already carried into this campaign is skipped.
    Returns the number of findings carried.
    """
    visits = list(visits if visits is not None else plan.visits.select_related("unit"))
    if not visits:
        return 0
    previous_plans = previous_plans_for(plan, {v.unit_id for v in visits})
    if not previous_plans:
        return 0
    lineage = unit_lineages({v.unit_id for v in visits})
    visit_of_unit = {}
    for visit in visits:
        for unit_id in lineage[visit.unit_id]:
            visit_of_unit.setdefault(unit_id, visit)
    old_findings = list(
        Finding.objects.filter(
            visit__plan__in=previous_plans,
            visit__unit_id__in=visit_of_unit.keys(),
            kind__in=Finding.ACTIONABLE_KINDS,
            status__in=Finding.UNRESOLVED_STATUSES,
        )
        .select_related("visit", "area", "criterion")
        .order_by("visit_id", "id")
    )
    already = set(
        Finding.objects.filter(visit__plan=plan, carried_from__in=old_findings).values_list(
            "carried_from_id", flat=True
        )
    )
    areas = {a.code: a for a in plan.criteria_set.areas.all()}
    criteria = {
        (c.area.code, c.code): c
        for c in Criterion.objects.filter(criteria_set=plan.criteria_set).select_related("area")
    }
    new_rows, carried_ids = [], []
    for old in old_findings:
        if old.pk in already:
            continue
        area = areas.get(old.area.code) if old.area else None
        criterion = criteria.get((old.area.code, old.criterion.code)) if old.area and old.criterion else None
        new_rows.append(
            Finding(
                visit=visit_of_unit[old.visit.unit_id],
                kind=old.kind,
                area=area,
                criterion=criterion,
                text=old.text,
                recommendation=old.recommendation,
                due_date=old.due_date,
                status=Finding.Status.OPEN,
                carried_from=old,
                created_by=user,
            )
        )
        carried_ids.append(old.pk)
    for row in new_rows:
        # save() rather than bulk_create: every new finding gets its "created" history row.
        row.save()
    Finding.objects.filter(pk__in=carried_ids).update(status=Finding.Status.CARRIED_OVER)
    return len(new_rows)


def _current_unit(unit: AdministrativeUnit, on: dt.date, successors: dict[int, int], units: dict) -> AdministrativeUnit:
    """The unit itself while it exists on `on`, else the unit that succeeded it."""
    seen = set()
    while unit.valid_to is not None and unit.valid_to < on and unit.pk in successors and unit.pk not in seen:
        seen.add(unit.pk)
        unit = units[successors[unit.pk]]
    return unit


@transaction.atomic
def plan_create_from_previous(
    *,
    previous: InspectionPlan,
    user,
    year: int,
    number: str,
    issued_on: dt.date,
    title: str,
    round_start: dt.date,
    round_end: dt.date,
    self_assessment_deadline: dt.date | None,
    criteria_set: CriteriaSet | None,
    copy_team: bool = True,
    copy_schedule: bool = True,
) -> InspectionPlan:
    """Create next year's campaign from `previous`: the plan's text always, the team and groups and the
    schedule's shape on request, and every unresolved finding carried into the communes' new visits.

    Without a criteria set, last year's is copied for the new year. Raises PermissionDenied for anyone
    but the authority's secretariat, ValidationError for bad dates or a criteria set of another
    authority or year.
    """
    permissions.check_set_up_plan(user, previous)
    if criteria_set is None:
        source = previous.criteria_set
        name = source.name.replace(str(previous.year), str(year))
        if name == source.name:
            name = f"{source.name} ({year})"
        criteria_set = criteria_set_copy(source=source, user=user, year=year, name=name)
    if criteria_set.authority_id != previous.authority_id:
        raise ValidationError({"criteria_set": _("The criteria set belongs to another authority.")})
    if InspectionPlan.objects.filter(authority_id=previous.authority_id, year=year, number=number).exists():
        raise ValidationError({"number": _("A plan with this number already exists for that year.")})
    plan = InspectionPlan(
        authority_id=previous.authority_id,
        criteria_set=criteria_set,
        year=year,
        number=number.strip(),
        issued_on=issued_on,
        title=title.strip(),
        purpose=previous.purpose,
        scope=previous.scope,
        forms=list(previous.forms or []),
        round_start=round_start,
        round_end=round_end,
        self_assessment_deadline=self_assessment_deadline,
        appeal_working_days=previous.appeal_working_days,
        status=InspectionPlan.Status.DRAFT,
        previous=previous,
    )
    plan.full_clean(exclude=["approved_by"])
    plan.save()
    if copy_team:
        _copy_team(previous, plan)
    if copy_schedule:
        _copy_schedule(previous, plan)
    finding_carry_over(plan=plan, user=user)
    return plan


def _copy_team(previous: InspectionPlan, plan: InspectionPlan) -> None:
    old_team = InspectionTeam.objects.filter(plan=previous).first()
    if old_team is None:
        return
    team = InspectionTeam.objects.create(
        plan=plan,
        name=old_team.name.replace(str(previous.year), str(plan.year)),
        decision_number="",
        decision_date=None,
    )
    areas = {a.code: a for a in plan.criteria_set.areas.all()}
    groups = {}
    for old_group in old_team.groups.prefetch_related("areas").order_by("order", "name"):
        group = TeamGroup.objects.create(team=team, name=old_group.name, order=old_group.order)
        group.areas.set([areas[a.code] for a in old_group.areas.all() if a.code in areas])
        groups[old_group.pk] = group
    TeamMember.objects.bulk_create(
        TeamMember(
            team=team,
            user_id=m.user_id,
            department_id=m.department_id,
            role=m.role,
            position=m.position,
            group=groups.get(m.group_id),
            order=m.order,
        )
        for m in old_team.members.filter(user__is_active=True).order_by("order", "id")
    )


def _copy_schedule(previous: InspectionPlan, plan: InspectionPlan) -> None:
    """Same communes (or their successors), same days counted from the round's start, moved off weekends."""
    shift = plan.round_start - previous.round_start
    # Only the lineage of last year's communes: the official register holds thousands of successions.
    reached = set(previous.visits.values_list("unit_id", flat=True))
    successors, frontier = {}, set(reached)
    while frontier:
        links = list(
            UnitSuccession.objects.filter(predecessor_id__in=frontier).values_list("predecessor_id", "successor_id")
        )
        successors.update(links)
        frontier = {successor for _predecessor, successor in links} - reached
        reached |= frontier
    units = {u.pk: u for u in AdministrativeUnit.objects.filter(pk__in=reached)}
    seen = set()
    for old in previous.visits.select_related("unit").order_by("scheduled_on", "unit__name"):
        unit = _current_unit(old.unit, plan.round_start, successors, units)
        if unit.pk in seen:
            continue
        seen.add(unit.pk)
        day = None
        if old.scheduled_on:
            day = min(next_working_day(old.scheduled_on + shift), plan.round_end)
        Visit.objects.create(
            plan=plan,
            unit=unit,
            scheduled_on=day,
            scheduled_time=old.scheduled_time,
            place=old.place,
            status=Visit.Status.SCHEDULED,
        )
