"""Setting up a round: the plan, the team decision, groups, members, the visit schedule, next year's campaign."""

import calendar
import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.authority import authority_chosen, redirect_to_choose
from accounts.models import Membership
from communes.folding import dictionary_order
from communes.models import AdministrativeUnit, Department

from ... import permissions, selectors
from ...audit import team_history
from ...forms.setup import GroupForm, MemberForm, NewCampaignForm, PlanForm, TeamForm, VisitScheduleForm
from ...models import CriteriaSet, InspectionTeam, TeamGroup
from ...services import carry_over, setup
from .common import add_service_errors

PLAN_FIELDS = [
    "year",
    "number",
    "issued_on",
    "title",
    "criteria_set",
    "purpose",
    "scope",
    "forms",
    "round_start",
    "round_end",
    "self_assessment_deadline",
    "appeal_working_days",
    "status",
]


# The latest changes of the team shown under it.
TEAM_HISTORY_SHOWN = 30


def _plan_for_setup(request, pk):
    plan = selectors.plan_get_for_user(request.user, pk)
    if not permissions.can_set_up_plan(request.user, plan):
        raise PermissionDenied
    return plan


def _plan_for_team(request, pk):
    """The campaign whose team the user changes: the secretariat before the visits start, the lead or chairman after."""
    plan = selectors.plan_get_for_user(request.user, pk)
    permissions.check_change_team(request.user, plan)
    return plan


def _criteria_sets(authority_id):
    return CriteriaSet.objects.filter(authority_id=authority_id).order_by("-year", "name")


@login_required
def plan_create(request):
    """A new campaign's plan, for the secretariat."""
    authorities = selectors.setup_authority_list_for_user(request.user)
    if not authorities:
        raise PermissionDenied
    authority = authority_chosen(request, authorities)
    if authority is None:
        return redirect_to_choose(request)
    form = PlanForm(request.POST or None, criteria_sets=_criteria_sets(authority.pk))
    if request.method == "POST" and form.is_valid():
        try:
            plan = setup.plan_save(user=request.user, authority=authority, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Plan saved. Now record the team decision."))
            return redirect("inspections:team_edit", pk=plan.pk)
    return render(request, "inspections/district/setup_form.html", {"form": form, "title": _("New inspection plan")})


@login_required
def plan_edit(request, pk):
    """Change a campaign's plan."""
    plan = _plan_for_setup(request, pk)
    form = PlanForm(
        request.POST or None,
        initial={f: getattr(plan, f) for f in PLAN_FIELDS},
        criteria_sets=_criteria_sets(plan.authority_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            setup.plan_save(user=request.user, authority=plan.authority, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(
        request, "inspections/district/setup_form.html", {"form": form, "title": _("Edit plan"), "plan": plan}
    )


def _conflicts_of_interest(plan, members, visits):
    """(member, visit) pairs where a team member also works in the inspected commune."""
    user_ids = {m.user_id for m in members}
    unit_ids = {v.unit_id for v in visits}
    works_in = defaultdict(set)
    for user_id, unit_id in Membership.objects.filter(
        user_id__in=user_ids, unit_id__in=unit_ids, is_active=True
    ).values_list("user_id", "unit_id"):
        works_in[user_id].add(unit_id)
    return [(m, v) for m in members for v in visits if v.unit_id in works_in[m.user_id]]


def _own_commune_text(member, visit) -> str:
    return _(
        "%(person)s works at %(commune)s, which the team inspects: he or she stays on the team but does not "
        "appraise that commune, re-check its findings or verify its remedies."
    ) % {"person": member.user, "commune": visit.unit}


def _member_form(plan, team, data=None, initial=None):
    return MemberForm(
        data,
        initial=initial,
        users=selectors.team_candidate_list(plan=plan, team=team),
        departments=Department.objects.filter(authority_id=plan.authority_id).order_by("order", "name"),
        groups=TeamGroup.objects.filter(team=team).order_by("order", "name") if team else TeamGroup.objects.none(),
    )


@login_required
def team_edit(request, pk):
    """The team decision, its groups and the areas they cover, its members; conflicts of interest flagged.

    Once the visits have started, the secretariat reads the team and only the lead or the chairman changes it.
    """
    plan = selectors.plan_get_for_user(request.user, pk)
    may_change = permissions.can_change_team(request.user, plan)
    if not may_change and not permissions.can_set_up_plan(request.user, plan):
        raise PermissionDenied
    if request.method == "POST" and not may_change:
        permissions.check_change_team(request.user, plan)
    team = InspectionTeam.objects.filter(plan=plan).first()
    initial = (
        {"name": team.name, "decision_number": team.decision_number, "decision_date": team.decision_date}
        if team
        else {"name": _("Administrative reform inspection team %(year)s") % {"year": plan.year}}
    )
    form = TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup.team_save(plan=plan, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Team decision saved."))
            return redirect("inspections:team_edit", pk=plan.pk)
    groups = list(team.groups.prefetch_related("areas").order_by("order", "name")) if team else []
    members = list(team.members.select_related("user", "department", "group").order_by("order", "id")) if team else []
    visits = list(plan.visits.select_related("unit"))
    return render(
        request,
        "inspections/district/team.html",
        {
            "plan": plan,
            "team": team,
            "form": form,
            "groups": groups,
            "members": members,
            "conflicts": _conflicts_of_interest(plan, members, visits),
            "may_change": may_change,
            "may_set_up": permissions.can_set_up_plan(request.user, plan),
            "has_departments": selectors.department_list_for_user(request.user, authority=plan.authority).exists(),
            "started": permissions.plan_has_started(plan),
            "changes": team_history(plan=plan)[:TEAM_HISTORY_SHOWN],
        },
    )


@login_required
def group_edit(request, pk, group_pk=None):
    """Add or change a group of the team and its areas."""
    plan = _plan_for_team(request, pk)
    team = InspectionTeam.objects.filter(plan=plan).first()
    if team is None:
        messages.error(request, _("Record the team decision first."))
        return redirect("inspections:team_edit", pk=plan.pk)
    group = None
    if group_pk is not None:
        group = selectors.team_group_get_for_user(request.user, group_pk)
        if group.team_id != team.pk:
            raise PermissionDenied
    initial = {"name": group.name, "areas": list(group.areas.all())} if group else None
    form = GroupForm(request.POST or None, initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            setup.group_save(team=team, user=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Group saved."))
            return redirect("inspections:team_edit", pk=plan.pk)
    return render(request, "inspections/district/setup_form.html", {"form": form, "title": _("Group"), "plan": plan})


@login_required
@require_POST
def group_delete(request, pk):
    """Remove a group; its members stay on the team."""
    group = selectors.team_group_get_for_user(request.user, pk)
    setup.group_delete(group=group, user=request.user)
    messages.success(request, _("Group removed."))
    return redirect("inspections:team_edit", pk=group.team.plan_id)


@login_required
def member_edit(request, pk, member_pk=None):
    """Add a person to the team or change his department, role, position or group."""
    plan = _plan_for_team(request, pk)
    team = InspectionTeam.objects.filter(plan=plan).first()
    if team is None:
        messages.error(request, _("Record the team decision first."))
        return redirect("inspections:team_edit", pk=plan.pk)
    member = None
    if member_pk is not None:
        member = selectors.team_member_get_for_user(request.user, member_pk)
        if member.team_id != team.pk:
            raise PermissionDenied
    initial = (
        {
            "user": member.user_id,
            "department": member.department_id,
            "role": member.role,
            "position": member.position,
            "group": member.group_id,
        }
        if member
        else None
    )
    form = _member_form(plan, team, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["member_user"] = data.pop("user")
        try:
            saved = setup.member_save(team=team, user=request.user, member=member, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Team member saved."))
            for person, visit in _conflicts_of_interest(plan, [saved], plan.visits.select_related("unit")):
                messages.warning(request, _own_commune_text(person, visit))
            return redirect("inspections:team_edit", pk=plan.pk)
    return render(
        request, "inspections/district/setup_form.html", {"form": form, "title": _("Team member"), "plan": plan}
    )


@login_required
@require_POST
def member_delete(request, pk):
    """Take a person off the team."""
    member = selectors.team_member_get_for_user(request.user, pk)
    setup.member_remove(member=member, user=request.user)
    messages.success(request, _("Team member removed."))
    return redirect("inspections:team_edit", pk=member.team.plan_id)


def _communes(plan):
    """The communes under the plan's authority that existed in the plan's year (merged ones end in 2025)."""
    from django.db.models import Q

    year_start, year_end = dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31)
    return (
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=year_start))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=year_end))
        .filter(models_q_under(plan.authority_id))
    )


def models_q_under(authority_id):
    from django.db.models import Q

    return Q(parent_id=authority_id) | Q(parent__parent_id=authority_id)


def _calendar(plan, visits):
    """Weeks (Monday first) from the round's first to last month, each day with its visits."""
    by_day = defaultdict(list)
    for visit in visits:
        if visit.scheduled_on:
            by_day[visit.scheduled_on].append(visit)
    months = []
    month = dt.date(plan.round_start.year, plan.round_start.month, 1)
    while month <= plan.round_end:
        weeks = [
            [(day, by_day.get(day, []), day.month == month.month) for day in week]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
        ]
        months.append((month, weeks))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@login_required
def schedule(request, pk):
    """The visit schedule of a campaign as a list and as a calendar by day; the secretariat adds communes."""
    plan = selectors.plan_get_for_user(request.user, pk)
    if not permissions.can_view_dashboard(request.user, plan):
        raise PermissionDenied
    can_edit = permissions.can_set_up_plan(request.user, plan)
    visits = list(
        selectors.visit_list_for_user(request.user, plan=plan).order_by(
            "scheduled_on", "scheduled_time", dictionary_order("unit__name")
        )
    )
    scheduled = {v.unit_id for v in visits}
    form = VisitScheduleForm(
        request.POST or None, units=_communes(plan).exclude(pk__in=scheduled).order_by(dictionary_order("name"))
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                setup.visit_schedule(plan=plan, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Visit added to the schedule."))
                return redirect("inspections:schedule", pk=plan.pk)
    members = list(plan.team.members.select_related("user")) if hasattr(plan, "team") else []
    return render(
        request,
        "inspections/district/schedule.html",
        {
            "plan": plan,
            "visits": visits,
            "months": _calendar(plan, visits),
            "form": form,
            "can_edit": can_edit,
            "conflicts": _conflicts_of_interest(plan, members, visits),
        },
    )


@login_required
def visit_schedule_edit(request, pk):
    """Move a commune's visit to another day, time or place."""
    visit = selectors.visit_get_for_user(request.user, pk)
    if not permissions.can_set_up_plan(request.user, visit.plan):
        raise PermissionDenied
    form = VisitScheduleForm(
        request.POST or None,
        initial={
            "unit": visit.unit_id,
            "scheduled_on": visit.scheduled_on,
            "scheduled_time": visit.scheduled_time,
            "place": visit.place,
        },
        units=_communes(visit.plan).filter(pk=visit.unit_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            setup.visit_schedule(plan=visit.plan, user=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Visit moved."))
            return redirect("inspections:schedule", pk=visit.plan_id)
    return render(
        request,
        "inspections/district/setup_form.html",
        {"form": form, "title": _("Visit of %(unit)s") % {"unit": visit.unit}, "plan": visit.plan},
    )


@login_required
@require_POST
def visit_unschedule(request, pk):
    """Take a commune off the schedule."""
    visit = selectors.visit_get_for_user(request.user, pk)
    try:
        setup.visit_unschedule(visit=visit, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Visit removed from the schedule."))
    return redirect("inspections:schedule", pk=visit.plan_id)


def _next_year(day):
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@login_required
def plan_next(request, pk):
    """Next year's campaign from this one: structure on request, unresolved findings always carried."""
    previous = _plan_for_setup(request, pk)
    year = previous.year + 1
    form = NewCampaignForm(
        request.POST or None,
        initial={
            "year": year,
            "title": previous.title.replace(str(previous.year), str(year)),
            "issued_on": _next_year(previous.issued_on),
            "round_start": _next_year(previous.round_start),
            "round_end": _next_year(previous.round_end),
            "self_assessment_deadline": _next_year(previous.self_assessment_deadline),
        },
        # Last year's set (or an older one) would be refused for the new year: the default copies it instead.
        criteria_sets=_criteria_sets(previous.authority_id).filter(year__gt=previous.year),
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = carry_over.plan_create_from_previous(previous=previous, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            carried = plan.visits.filter(findings__carried_from__isnull=False).distinct().count()
            messages.success(
                request,
                _("Campaign %(year)s created; findings carried into %(count)s visits.")
                % {"year": plan.year, "count": carried},
            )
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(
        request,
        "inspections/district/setup_form.html",
        {"form": form, "title": _("New campaign from %(plan)s") % {"plan": previous.title}, "plan": previous},
    )
