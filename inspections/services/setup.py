"""Setting up a round: criteria sets (copy, edit, bands), plans, teams, groups and the visit schedule."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit

from .. import events, permissions, selectors
from ..models import (
    AdjustmentItem,
    ClassificationBand,
    CriteriaSet,
    Criterion,
    CriterionScore,
    InspectionPlan,
    InspectionTeam,
    ReviewArea,
    SurveyIndex,
    TeamGroup,
    TeamMember,
    Visit,
)
from ..score_text import score_text
from ..tree_order import renumbered
from ..workdays import is_working_day
from .criteria import criteria_set_check_editable, criteria_set_problems

# Criteria sets ------------------------------------------------------------------------


def _check_editable(criteria_set: CriteriaSet) -> None:
    # A set used by a plan is frozen whether or not anyone has scored yet: a plan's
    # visits are graded against it, and signed results must never change.
    criteria_set_check_editable(criteria_set=criteria_set)


@transaction.atomic
def criteria_set_create(
    *,
    user,
    authority: AdministrativeUnit,
    year: int,
    name: str,
    total_max: Decimal,
    legal_basis: str = "",
    survey_weight: Decimal = Decimal("0"),
    bonus_cap: Decimal | None = None,
    penalty_cap: Decimal | None = None,
) -> CriteriaSet:
    """Create an empty criteria set (draft) for an authority and year, with its survey weight and caps."""
    permissions.check_set_up(user, authority.pk)
    if CriteriaSet.objects.filter(authority=authority, year=year, name=name).exists():
        raise ValidationError({"name": _("A criteria set of that name already exists for this year.")})
    if survey_weight < 0 or survey_weight >= total_max:
        raise ValidationError({"survey_weight": _("The survey weight must lie from 0 to below the total.")})
    return CriteriaSet.objects.create(
        authority=authority,
        year=year,
        name=name.strip(),
        total_max=total_max,
        legal_basis=legal_basis.strip(),
        survey_weight=survey_weight,
        bonus_cap=bonus_cap,
        penalty_cap=penalty_cap,
    )


@transaction.atomic
def criteria_set_copy(*, source: CriteriaSet, user, year: int, name: str) -> CriteriaSet:
    """Copy a criteria set with its areas, criteria tree and classification bands, as a draft for another year."""
    permissions.check_set_up(user, source.authority_id)
    if CriteriaSet.objects.filter(authority_id=source.authority_id, year=year, name=name).exists():
        raise ValidationError({"name": _("A criteria set of that name already exists for this year.")})
    copy = CriteriaSet.objects.create(
        authority_id=source.authority_id,
        year=year,
        name=name.strip(),
        legal_basis=source.legal_basis,
        total_max=source.total_max,
        survey_weight=source.survey_weight,
        bonus_cap=source.bonus_cap,
        penalty_cap=source.penalty_cap,
        copied_from=source,
    )
    areas = {}
    for area in source.areas.all():
        areas[area.pk] = ReviewArea.objects.create(
            criteria_set=copy,
            code=area.code,
            number=area.number,
            title=area.title,
            title_en=area.title_en,
            order=area.order,
        )
    criteria = {}
    # Parents first: the tree is copied top-down so each child finds its parent's copy.
    pending = list(source.criteria.order_by("order", "code"))
    while pending:
        remaining = []
        for criterion in pending:
            if criterion.parent_id and criterion.parent_id not in criteria:
                remaining.append(criterion)
                continue
            criteria[criterion.pk] = Criterion.objects.create(
                criteria_set=copy,
                area=areas[criterion.area_id],
                parent=criteria.get(criterion.parent_id),
                code=criterion.code,
                title=criterion.title,
                max_score=criterion.max_score,
                guidance=criterion.guidance,
                expected_evidence=criterion.expected_evidence,
                scoring_options=criterion.scoring_options,
                may_be_not_applicable=criterion.may_be_not_applicable,
                order=criterion.order,
            )
        if len(remaining) == len(pending):
            raise ValidationError(_("The criteria tree of the source set has a loop."))
        pending = remaining
    ClassificationBand.objects.bulk_create(
        ClassificationBand(
            criteria_set=copy,
            label=b.label,
            min_percent=b.min_percent,
            color=b.color,
            area_floor_percent=b.area_floor_percent,
            requires_no_serious_violation=b.requires_no_serious_violation,
        )
        for b in source.bands.all()
    )
    AdjustmentItem.objects.bulk_create(
        AdjustmentItem(
            criteria_set=copy,
            kind=i.kind,
            code=i.code,
            title=i.title,
            max_points=i.max_points,
            serious_violation=i.serious_violation,
            order=i.order,
        )
        for i in source.adjustment_items.all()
    )
    SurveyIndex.objects.bulk_create(
        SurveyIndex(criteria_set=copy, code=i.code, title=i.title, weight=i.weight, order=i.order)
        for i in source.survey_indices.all()
    )
    return copy


@transaction.atomic
def criteria_set_update(
    *,
    criteria_set: CriteriaSet,
    user,
    name: str,
    year: int,
    total_max: Decimal,
    legal_basis: str,
    status: str,
    survey_weight: Decimal | None = None,
    bonus_cap: Decimal | None = None,
    penalty_cap: Decimal | None = None,
) -> CriteriaSet:
    """Rename a set, change its total, its survey weight and caps, or publish it.

    A published set must add up; a set in use is frozen. Omitted survey weight keeps the current one.
    """
    permissions.check_set_up(user, criteria_set.authority_id)
    _check_editable(criteria_set)
    criteria_set.name, criteria_set.year, criteria_set.total_max = name.strip(), year, total_max
    criteria_set.legal_basis, criteria_set.status = legal_basis.strip(), status
    if survey_weight is not None:
        if survey_weight < 0 or survey_weight >= total_max:
            raise ValidationError({"survey_weight": _("The survey weight must lie from 0 to below the total.")})
        criteria_set.survey_weight = survey_weight
    criteria_set.bonus_cap, criteria_set.penalty_cap = bonus_cap, penalty_cap
    if status == CriteriaSet.Status.PUBLISHED:
        problems = criteria_set_problems(criteria_set=criteria_set)
        if problems:
            raise ValidationError(problems)
    criteria_set.save()
    return criteria_set


@transaction.atomic
def area_save(
    *,
    criteria_set: CriteriaSet,
    user,
    area: ReviewArea | None = None,
    code: str,
    number: str,
    title: str,
    title_en: str = "",
    order: int | None = None,
) -> ReviewArea:
    """Add or change a review area of a set that no plan uses yet."""
    permissions.check_set_up(user, criteria_set.authority_id)
    _check_editable(criteria_set)
    area = area or ReviewArea(criteria_set=criteria_set)
    clash = ReviewArea.objects.filter(criteria_set=criteria_set).exclude(pk=area.pk)
    if clash.filter(code=code).exists():
        raise ValidationError({"code": _("Another review area of this set has that code.")})
    if clash.filter(number=number).exists():
        raise ValidationError({"number": _("Another review area of this set has that number.")})
    if order is None:
        order = (criteria_set.areas.aggregate(m=Max("order"))["m"] or 0) + 1 if area.pk is None else area.order
    area.code, area.number, area.title, area.title_en, area.order = code, number, title.strip(), title_en.strip(), order
    area.save()
    _renumber(criteria_set.pk)
    return area


@transaction.atomic
def criterion_save(
    *,
    criteria_set: CriteriaSet,
    user,
    criterion: Criterion | None = None,
    area: ReviewArea,
    parent: Criterion | None,
    code: str,
    title: str,
    max_score: Decimal,
    guidance: str = "",
    expected_evidence: str = "",
    order: int | None = None,
    may_be_not_applicable: bool = False,
) -> Criterion:
    """Add or change a criterion of a set (title, maximum, parent, place in the order).

    The tree's totals are checked when the set is published, not at each edit,
    so that a secretariat can edit step by step with the totals in view.
    """
    permissions.check_set_up(user, criteria_set.authority_id)
    _check_editable(criteria_set)
    if criterion is not None and criterion.criteria_set_id != criteria_set.pk:
        raise ValidationError(_("The criterion belongs to another criteria set."))
    criterion = criterion or Criterion(criteria_set=criteria_set)
    if Criterion.objects.filter(criteria_set=criteria_set, code=code).exclude(pk=criterion.pk).exists():
        raise ValidationError({"code": _("Another criterion of this set has that code.")})
    if parent is not None and criterion.pk is not None:
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == criterion.pk:
                raise ValidationError({"parent": _("A criterion cannot sit under itself.")})
            ancestor = ancestor.parent
    moved = criterion.pk is None or (criterion.area_id, criterion.parent_id) != (area.pk, getattr(parent, "pk", None))
    if order is None:
        # A new criterion, or one given another parent, comes last among its siblings.
        order = (criteria_set.criteria.aggregate(m=Max("order"))["m"] or 0) + 1 if moved else criterion.order
    criterion.area, criterion.parent, criterion.code, criterion.title = area, parent, code.strip(), title.strip()
    criterion.max_score, criterion.guidance = max_score, guidance.strip()
    criterion.expected_evidence, criterion.order = expected_evidence.strip(), order
    criterion.may_be_not_applicable = may_be_not_applicable
    criterion.full_clean(exclude=["criteria_set"])
    criterion.save()
    _renumber(criteria_set.pk)
    criterion.refresh_from_db(fields=["order"])
    return criterion


@transaction.atomic
def criterion_move(*, criterion: Criterion, user, up: bool) -> None:
    """Swap a criterion with its neighbour among its siblings, to reorder the tree (sets no plan uses)."""
    permissions.check_set_up(user, criterion.criteria_set.authority_id)
    _check_editable(criterion.criteria_set)
    siblings = list(
        Criterion.objects.filter(
            criteria_set=criterion.criteria_set_id, area=criterion.area_id, parent=criterion.parent_id
        ).order_by("order", "code")
    )
    index = next(i for i, c in enumerate(siblings) if c.pk == criterion.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    # Subtrees move with their root: the set is numbered again in tree order with the siblings swapped.
    _renumber(criterion.criteria_set_id, siblings={c.pk: place for place, c in enumerate(siblings)})


def _renumber(criteria_set_id: int, siblings: dict[int, int] | None = None) -> None:
    """Number a set's criteria in tree order, which is the order every page sorts them by.

    ``siblings`` may give some siblings a new place (a move up or down).
    """
    areas = ReviewArea.objects.filter(criteria_set=criteria_set_id).order_by("order", "number")
    nodes = list(Criterion.objects.filter(criteria_set=criteria_set_id).order_by("order", "code"))
    changed = renumbered(list(areas.values_list("pk", flat=True)), nodes, siblings)
    Criterion.objects.bulk_update(changed, ["order"])


@transaction.atomic
def criterion_delete(*, criterion: Criterion, user) -> None:
    """Remove a criterion and its sub-criteria from a set no plan uses."""
    permissions.check_set_up(user, criterion.criteria_set.authority_id)
    _check_editable(criterion.criteria_set)
    criterion.delete()


@transaction.atomic
def bands_replace(*, criteria_set: CriteriaSet, user, bands: list[dict]) -> None:
    """Replace the classification bands of a set no plan uses: labels and thresholds distinct, one starts at 0."""
    permissions.check_set_up(user, criteria_set.authority_id)
    _check_editable(criteria_set)
    labels = [b["label"].strip() for b in bands]
    thresholds = [b["min_percent"] for b in bands]
    if len(set(labels)) != len(labels):
        raise ValidationError(_("Two bands have the same grade."))
    if len(set(thresholds)) != len(thresholds):
        raise ValidationError(_("Two bands start at the same percentage."))
    if bands and min(thresholds) != 0:
        raise ValidationError(_("The lowest band must start at zero per cent, so that every result gets a grade."))
    criteria_set.bands.all().delete()
    ClassificationBand.objects.bulk_create(
        ClassificationBand(
            criteria_set=criteria_set,
            label=b["label"].strip(),
            min_percent=b["min_percent"],
            color=b.get("color") or "secondary",
            area_floor_percent=b.get("area_floor_percent"),
            requires_no_serious_violation=bool(b.get("requires_no_serious_violation")),
        )
        for b in bands
    )


@transaction.atomic
def scoring_method_replace(*, criteria_set: CriteriaSet, user, items: list[dict], indices: list[dict]) -> None:
    """Replace the bonus and penalty items and the survey sub-indices of a set no plan uses.

    Codes are distinct within each list; raises ValidationError naming the duplicate, PermissionDenied
    for anyone but the secretariat, and refuses a frozen set.
    """
    permissions.check_set_up(user, criteria_set.authority_id)
    _check_editable(criteria_set)
    for rows, label in ((items, _("bonus and penalty items")), (indices, _("survey sub-indices"))):
        codes = [row["code"].strip() for row in rows]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValidationError(
                _("Two %(what)s have the same code: %(codes)s.") % {"what": label, "codes": ", ".join(duplicates)}
            )
    criteria_set.adjustment_items.all().delete()
    criteria_set.survey_indices.all().delete()
    AdjustmentItem.objects.bulk_create(
        AdjustmentItem(
            criteria_set=criteria_set,
            kind=row["kind"],
            code=row["code"].strip(),
            title=row["title"].strip(),
            max_points=row["max_points"],
            serious_violation=bool(row.get("serious_violation")) and row["kind"] == AdjustmentItem.Kind.PENALTY,
            order=position,
        )
        for position, row in enumerate(items, start=1)
    )
    SurveyIndex.objects.bulk_create(
        SurveyIndex(
            criteria_set=criteria_set,
            code=row["code"].strip(),
            title=row["title"].strip(),
            weight=row["weight"],
            order=position,
        )
        for position, row in enumerate(indices, start=1)
    )


# Plans, teams, groups ------------------------------------------------------------------


@transaction.atomic
def plan_save(*, user, authority: AdministrativeUnit, plan: InspectionPlan | None = None, **fields) -> InspectionPlan:
    """Create or change a campaign's plan (number, date, purpose, scope, forms, round, criteria set).

    Once anything is scored in the campaign its criteria set stays: the scores rest on its criteria.
    """
    permissions.check_set_up(user, authority.pk)
    plan = plan or InspectionPlan(authority=authority)
    if fields["criteria_set"].authority_id != authority.pk:
        raise ValidationError({"criteria_set": _("The criteria set belongs to another authority.")})
    if (
        plan.pk is not None
        and fields["criteria_set"].pk != plan.criteria_set_id
        and CriterionScore.objects.filter(visit__plan=plan).exists()
    ):
        raise ValidationError(
            {"criteria_set": _("Scores have been given in this campaign: its criteria set can no longer be replaced.")}
        )
    if fields["criteria_set"].pk != plan.criteria_set_id:
        # A plan freezes its set: one that does not add up yet could then be mended only by copying it.
        problems = criteria_set_problems(criteria_set=fields["criteria_set"])
        if problems:
            raise ValidationError(
                {
                    "criteria_set": _("Finish the criteria set before a plan uses it: %(problems)s")
                    % {"problems": " ".join(problems)}
                }
            )
    existed, deadline_before = plan.pk is not None, plan.self_assessment_deadline
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean(exclude=["authority", "previous", "approved_by"])
    plan.save()
    if existed and plan.self_assessment_deadline and plan.self_assessment_deadline != deadline_before:
        # The communes on the schedule without a deadline of their own learn the new one.
        for visit in plan.visits.filter(
            self_assessment_deadline__isnull=True, status__in=[Visit.Status.SCHEDULED, Visit.Status.SELF_ASSESSMENT]
        ).select_related("unit", "plan"):
            events.visit_scheduled(visit)
    return plan


@transaction.atomic
def team_save(
    *, plan: InspectionPlan, user, name: str, decision_number: str = "", decision_date: dt.date | None = None
) -> InspectionTeam:
    """Record the team decision of a campaign; once visits have started, only its lead or the chairman."""
    permissions.check_change_team(user, plan)
    team = InspectionTeam.objects.filter(plan=plan).first() or InspectionTeam(plan=plan)
    team.name, team.decision_number, team.decision_date = name.strip(), decision_number.strip(), decision_date
    team.save()
    return team


@transaction.atomic
def group_save(
    *, team: InspectionTeam, user, name: str, areas, group: TeamGroup | None = None, order: int | None = None
) -> TeamGroup:
    """Add or change a group of the team and the review areas it covers (same rule as the team decision)."""
    permissions.check_change_team(user, team.plan)
    group = group or TeamGroup(team=team)
    if TeamGroup.objects.filter(team=team, name=name.strip()).exclude(pk=group.pk).exists():
        raise ValidationError({"name": _("Another group of this team has that name.")})
    if any(a.criteria_set_id != team.plan.criteria_set_id for a in areas):
        raise ValidationError({"areas": _("A review area belongs to another criteria set.")})
    group.name = name.strip()
    if order is not None:
        group.order = order
    elif group.pk is None:
        group.order = (team.groups.aggregate(m=Max("order"))["m"] or 0) + 1
    group.save()
    group.areas.set(areas)
    return group


@transaction.atomic
def group_delete(*, group: TeamGroup, user) -> None:
    """Remove a group; its members stay on the team without a group (same rule as the team decision)."""
    permissions.check_change_team(user, group.team.plan)
    group.delete()


@transaction.atomic
def member_save(
    *,
    team: InspectionTeam,
    user,
    member_user,
    role: str,
    department=None,
    position: str = "",
    group: TeamGroup | None = None,
    member: TeamMember | None = None,
) -> TeamMember:
    """Add a person to the team or change his department, role, position or group (same rule as the decision)."""
    permissions.check_change_team(user, team.plan)
    member = member or TeamMember(team=team)
    if TeamMember.objects.filter(team=team, user=member_user).exclude(pk=member.pk).exists():
        raise ValidationError({"user": _("This person is already on the team.")})
    # A commune's people may sit on the team (they never judge their own commune); nobody from elsewhere may.
    if not selectors.team_candidate_list(plan=team.plan, team=team).filter(pk=member_user.pk).exists():
        raise ValidationError({"user": str(selectors.NOT_A_CANDIDATE)})
    if role == TeamMember.Role.LEAD and team.members.filter(role=role).exclude(pk=member.pk).exists():
        raise ValidationError({"role": _("The team already has a lead.")})
    if group is not None and group.team_id != team.pk:
        raise ValidationError({"group": _("The group belongs to another team.")})
    if department is not None and department.authority_id != team.plan.authority_id:
        raise ValidationError({"department": _("The department belongs to another authority.")})
    member.user, member.role, member.department = member_user, role, department
    member.position, member.group = position.strip(), group
    if member.pk is None:
        member.order = (team.members.aggregate(m=Max("order"))["m"] or 0) + 1
    member.save()
    return member


@transaction.atomic
def member_remove(*, member: TeamMember, user) -> None:
    """Take a person off the team (same rule as the team decision)."""
    permissions.check_change_team(user, member.team.plan)
    member.delete()


# The schedule ----------------------------------------------------------------------------


@transaction.atomic
def visit_schedule(
    *,
    plan: InspectionPlan,
    user,
    unit: AdministrativeUnit,
    scheduled_on: dt.date | None,
    scheduled_time=None,
    place: str = "",
    visit: Visit | None = None,
) -> Visit:
    """Add a commune to the schedule or move its visit; a new visit receives the commune's open findings."""
    from .carry_over import finding_carry_over

    permissions.check_set_up_plan(user, plan)
    under_authority = unit.parent_id == plan.authority_id or (
        unit.parent is not None and unit.parent.parent_id == plan.authority_id
    )
    if not unit.is_commune_level or not under_authority:
        raise ValidationError({"unit": _("Only communes, wards and townships under this authority are inspected.")})
    if Visit.objects.filter(plan=plan, unit=unit).exclude(pk=visit.pk if visit else None).exists():
        raise ValidationError({"unit": _("This commune is already on the schedule.")})
    if scheduled_on and not (plan.round_start <= scheduled_on <= plan.round_end):
        raise ValidationError(
            {
                "scheduled_on": _("The visit must fall within the round (%(start)s – %(end)s).")
                % {"start": plan.round_start.strftime("%d/%m/%Y"), "end": plan.round_end.strftime("%d/%m/%Y")}
            }
        )
    created = visit is None
    moved = not created and visit.scheduled_on != scheduled_on
    visit = visit or Visit(plan=plan, status=Visit.Status.SCHEDULED)
    visit.unit, visit.scheduled_on, visit.scheduled_time, visit.place = (
        unit,
        scheduled_on,
        scheduled_time,
        place.strip(),
    )
    visit.save()
    if created:
        finding_carry_over(plan=plan, user=user, visits=[visit])
    if created or moved:
        events.visit_scheduled(visit)
    return visit


@transaction.atomic
def visit_unschedule(*, visit: Visit, user) -> None:
    """Take a commune off the schedule before anything was recorded for it."""
    permissions.check_set_up_plan(user, visit.plan)
    if visit.scores.exists() or visit.findings.filter(carried_from__isnull=True).exists():
        raise ValidationError(_("Scores or findings are recorded for this visit: it cannot be removed."))
    visit.delete()


def next_working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, otherwise the next working day."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


@transaction.atomic
def criteria_set_import(*, user, authority: AdministrativeUnit, year: int, name: str, total_max: Decimal, file):
    """Create a draft criteria set from an .xlsx sheet (code, title, maximum, evidence expected, guidance).

    Raises ValidationError with one message per bad row; a bad sheet leaves nothing behind.
    """
    from ..xlsx import criteria_sheet_parse

    permissions.check_set_up(user, authority.pk)
    sheet = criteria_sheet_parse(file)
    leaf_total = sum(
        (c.max_score for c in sheet.criteria if not any(o.parent_code == c.code for o in sheet.criteria)), Decimal(0)
    )
    if not sheet.survey_weight and leaf_total != total_max:
        raise ValidationError(
            _("The criteria of the sheet add up to %(sum)s points but the set's total is %(total)s.")
            % {"sum": score_text(leaf_total), "total": score_text(total_max)}
        )
    if sheet.survey_weight and leaf_total + sheet.survey_weight != total_max:
        raise ValidationError(
            _(
                "The criteria of the sheet add up to %(sum)s points and its survey to %(survey)s, "
                "but the set's total is %(total)s."
            )
            % {"sum": score_text(leaf_total), "survey": score_text(sheet.survey_weight), "total": score_text(total_max)}
        )
    if sheet.survey_weight >= total_max:
        raise ValidationError(_("The survey weight must lie from 0 to below the total."))
    if sheet.bands and min(b["min_percent"] for b in sheet.bands) != 0:
        raise ValidationError(_("The lowest band must start at zero per cent, so that every result gets a grade."))
    criteria_set = criteria_set_create(user=user, authority=authority, year=year, name=name, total_max=total_max)
    criteria_set.survey_weight = sheet.survey_weight
    criteria_set.bonus_cap, criteria_set.penalty_cap = sheet.bonus_cap, sheet.penalty_cap
    criteria_set.save(update_fields=["survey_weight", "bonus_cap", "penalty_cap"])
    if sheet.items or sheet.indices:
        scoring_method_replace(criteria_set=criteria_set, user=user, items=sheet.items, indices=sheet.indices)
    if sheet.bands:
        bands_replace(criteria_set=criteria_set, user=user, bands=sheet.bands)
    areas = {}
    for position, area in enumerate(sheet.areas):
        areas[area.key] = ReviewArea.objects.create(
            criteria_set=criteria_set, code=area.code, number=area.number, title=area.title, order=position
        )
    created = {}
    for criterion in sheet.criteria:
        created[criterion.code] = Criterion.objects.create(
            criteria_set=criteria_set,
            area=areas[criterion.area_key],
            parent=created.get(criterion.parent_code),
            code=criterion.code,
            title=criterion.title,
            max_score=criterion.max_score,
            guidance=criterion.guidance,
            expected_evidence=criterion.expected_evidence,
            may_be_not_applicable=criterion.may_be_not_applicable,
            order=criterion.order,
        )
    _renumber(criteria_set.pk)
    return criteria_set
