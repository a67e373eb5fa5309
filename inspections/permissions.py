"""Who may change what in the district workflow. Services call these before writing.

Seeing an object is the selectors' business (404 outside the user's scope); these
rules decide whether a user who sees it may change it (403 otherwise).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import scope_for
from accounts.models import Membership

from .models import InspectionPlan, TeamMember, Visit
from .services.portal import rights

Role = Membership.Role


def team_member(user, plan: InspectionPlan) -> TeamMember | None:
    """The user's seat on the campaign's team, cached on the plan for the request."""
    if not user.is_authenticated:
        return None
    cache = plan.__dict__.setdefault("_team_member_cache", {})
    if user.pk not in cache:
        # One read finds the seat, or none when the plan has no team; a plan read with its team
        # and known to have none needs no read at all.
        known_without_team = InspectionPlan.team.is_cached(plan) and not hasattr(plan, "team")
        member = (
            None
            if known_without_team
            else TeamMember.objects.filter(team__plan=plan, user=user)
            .select_related("group", "team")
            .order_by()
            .first()
        )
        if member is not None and not InspectionPlan.team.is_cached(plan):
            # The seat's team is the plan's: the pages that read it next (the team's history) need not ask.
            InspectionPlan.team.related.set_cached_value(plan, member.team)
        cache[user.pk] = member
    return cache[user.pk]


def _oversees(user, plan: InspectionPlan, *roles: str) -> bool:
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    if not scope.roles.intersection(roles):
        return False
    return scope.oversees(plan.authority_id)


def can_set_up(user, authority_id: int) -> bool:
    """The secretariat (or an administrator) of the authority sets up rounds: criteria, plan, team, schedule."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    return bool(scope.roles & {Role.SECRETARIAT, Role.ADMIN}) and scope.oversees(authority_id)


def can_set_up_plan(user, plan: InspectionPlan) -> bool:
    """Set-up rights on one campaign."""
    return can_set_up(user, plan.authority_id)


def is_team_lead(user, plan: InspectionPlan) -> bool:
    """The team's lead, or a team-lead role holder of the authority when the team names none."""
    if scope_for(user).is_superuser:
        return True
    member = team_member(user, plan)
    if member is not None and member.role == TeamMember.Role.LEAD:
        return True
    has_named_lead = hasattr(plan, "team") and plan.team.members.filter(role=TeamMember.Role.LEAD).exists()
    return not has_named_lead and _oversees(user, plan, Role.TEAM_LEAD)


def can_view_dashboard(user, plan: InspectionPlan) -> bool:
    """The lead, the secretariat, viewers and the team read a campaign's dashboard; communes do not."""
    return _oversees(user, plan, Role.SECRETARIAT, Role.TEAM_LEAD, Role.VIEWER, Role.ADMIN) or (
        team_member(user, plan) is not None
    )


def can_open_workspace(user, visit: Visit) -> bool:
    """Members of the campaign's team, and its set-up staff, open the appraisal workspace."""
    return team_member(user, visit.plan) is not None or _oversees(
        user, visit.plan, Role.SECRETARIAT, Role.TEAM_LEAD, Role.ADMIN
    )


def can_read_visit(user, visit: Visit) -> bool:
    """Those who open the workspace, and the authority's viewers, read a visit's minutes, notice and history."""
    return can_open_workspace(user, visit) or _oversees(user, visit.plan, Role.VIEWER)


def plan_area_ids(plan: InspectionPlan) -> set[int]:
    """Every review area of the campaign's criteria set, read once per request (kept on the plan object)."""
    cache = plan.__dict__.get("_all_area_ids")
    if cache is None:
        # Unordered: the areas' default order would join the criteria set to sort a set.
        cache = set(plan.criteria_set.areas.order_by().values_list("id", flat=True))
        plan.__dict__["_all_area_ids"] = cache
    return set(cache)


def appraisal_area_ids(user, plan: InspectionPlan) -> set[int]:
    """The review areas the user appraises in this campaign: his group's; every area for the lead and deputy."""
    all_areas = None
    if scope_for(user).is_superuser:
        all_areas = True
    member = team_member(user, plan)
    if member is not None and member.role in {TeamMember.Role.LEAD, TeamMember.Role.DEPUTY} and not member.group_id:
        all_areas = True
    if all_areas:
        return plan_area_ids(plan)
    if member is None or member.group_id is None:
        return set()
    cache = member.__dict__.get("_area_ids")
    if cache is None:
        cache = set(member.group.areas.order_by().values_list("id", flat=True))
        member.__dict__["_area_ids"] = cache
    return set(cache)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def check_unlocked(visit: Visit) -> None:
    """Raise PermissionDenied while the minutes of the visit are signed."""
    if visit.is_locked:
        raise PermissionDenied(
            _("The minutes of this visit are signed: scores and findings are locked until the team lead reopens them.")
        )


# While the commune may still change its self-assessment, the team does not appraise it.
SELF_ASSESSING = frozenset({Visit.Status.SCHEDULED, Visit.Status.SELF_ASSESSMENT})


def appraisal_closed_reason(visit: Visit, today: dt.date | None = None) -> str:
    """Why the team cannot appraise the visit yet, or "" once the commune has submitted or its deadline has passed."""
    if visit.status not in SELF_ASSESSING:
        return ""
    deadline = visit.effective_deadline
    today = today or timezone.localdate()
    if deadline is not None and deadline < today:
        return ""
    if deadline is None:
        return _(
            "The commune is still assessing itself. Appraisal opens when the commune lead submits the self-assessment."
        )
    return _(
        "The commune is still assessing itself. Appraisal opens when the commune lead submits the "
        "self-assessment, or after its deadline (%(date)s)."
    ) % {"date": date_format(deadline, "SHORT_DATE_FORMAT")}


def appraisal_blocked_reason(user, visit: Visit) -> str:
    """Why the user cannot appraise the visit now (his own commune, or appraisal not open yet), or ""."""
    if rights.works_in_commune(user, visit.unit_id):
        return rights.own_commune_message()
    return appraisal_closed_reason(visit)


def check_appraisal_open(visit: Visit) -> None:
    """Raise PermissionDenied while the commune may still change its self-assessment."""
    reason = appraisal_closed_reason(visit)
    _require(not reason, reason)


def check_not_own_commune(user, visit: Visit) -> None:
    """Raise PermissionDenied when the user works in the inspected commune (conflict of interest)."""
    _require(not rights.works_in_commune(user, visit.unit_id), rights.own_commune_message())


def check_appraise(user, visit: Visit, area_id: int) -> None:
    """Raise PermissionDenied unless the user may appraise this area at this visit now."""
    _require(
        area_id in appraisal_area_ids(user, visit.plan),
        _("You appraise only the review areas of your group."),
    )
    check_not_own_commune(user, visit)
    check_unlocked(visit)
    check_appraisal_open(visit)


def check_record_finding(user, visit: Visit, area_id: int | None) -> None:
    """Raise PermissionDenied unless the user may record or change a finding of this area at this visit."""
    areas = appraisal_area_ids(user, visit.plan)
    _require(bool(areas), _("Only members of the inspection team record findings."))
    if area_id is not None:
        _require(area_id in areas, _("You record findings only in the review areas of your group."))
    check_not_own_commune(user, visit)
    check_unlocked(visit)


def check_answer_question(user, visit: Visit, area_id: int | None = None) -> None:
    """Raise PermissionDenied unless the user may answer this question: the same area rule as editing a finding."""
    areas = appraisal_area_ids(user, visit.plan)
    _require(bool(areas), _("Only members of the inspection team answer the commune's questions."))
    if area_id is not None:
        _require(area_id in areas, _("You answer only the questions on the review areas of your group."))


def check_follow_up(user, finding) -> None:
    """Raise PermissionDenied unless the user may verify or send back a remedy of this finding.

    The same area rule as editing a finding: a remedy is judged by the team members who
    appraise the finding's review area (the lead and deputy appraise every area).
    """
    areas = appraisal_area_ids(user, finding.visit.plan)
    _require(bool(areas), _("Only a member of the inspection team can verify a remedy."))
    if finding.area_id is not None:
        _require(
            finding.area_id in areas, _("You verify only the remedies of findings in the review areas of your group.")
        )


def can_follow_up(user, finding) -> bool:
    """Whether check_follow_up lets the user verify or send back this finding's remedy."""
    areas = appraisal_area_ids(user, finding.visit.plan)
    return bool(areas) and (finding.area_id is None or finding.area_id in areas)


def check_draft_minutes(user, visit: Visit) -> None:
    """The team lead or the secretariat draft the minutes of a visit before they are signed."""
    _require(
        is_team_lead(user, visit.plan) or can_set_up_plan(user, visit.plan),
        _("Only the team lead or the secretariat prepare the minutes."),
    )


def check_lead(user, plan: InspectionPlan) -> None:
    """Raise PermissionDenied unless the user leads the team: he signs, reopens and issues conclusions."""
    _require(is_team_lead(user, plan), _("Only the team lead may do this."))


def check_set_up(user, authority_id: int) -> None:
    """Raise PermissionDenied unless the user sets up rounds for this authority."""
    _require(can_set_up(user, authority_id), _("Only the secretariat sets up inspection rounds."))


# Once a visit is being appraised, the team decides who appraises, signs and reopens.
STARTED_STATUSES = frozenset({Visit.Status.APPRAISING, Visit.Status.SIGNED, Visit.Status.CONCLUDED})


def plan_has_started(plan: InspectionPlan) -> bool:
    """A visit of the campaign is being appraised, or signed, or concluded."""
    return plan.visits.filter(status__in=STARTED_STATUSES).exists()


def is_authority_chairman(user, plan: InspectionPlan) -> bool:
    """The chairman of the campaign's authority: a role in the authority itself marked by an administrator."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, is_active=True, unit_id=plan.authority_id, is_chairman=True).exists()


def can_change_team(user, plan: InspectionPlan) -> bool:
    """Before the visits start the secretariat sets up the team; after, only its lead or the authority's chairman."""
    if not plan_has_started(plan):
        return can_set_up_plan(user, plan)
    if scope_for(user).is_superuser:
        return True
    member = team_member(user, plan)
    return (member is not None and member.role == TeamMember.Role.LEAD) or is_authority_chairman(user, plan)


def check_change_team(user, plan: InspectionPlan) -> None:
    """Raise PermissionDenied unless the user may change the campaign's team now."""
    if plan_has_started(plan):
        _require(
            can_change_team(user, plan),
            _("The visits have started: only the team lead or the chairman of the authority changes the team."),
        )
    else:
        check_set_up_plan(user, plan)


def held_lead_seat_when(user, plan: InspectionPlan, moment) -> bool:
    """The user holds the team's lead seat now and already held it at `moment` (from the team's history)."""
    member = team_member(user, plan)
    if member is None or member.role != TeamMember.Role.LEAD:
        return False
    last = (
        TeamMember.history.filter(team_id=member.team_id, user_id=user.pk, history_date__lte=moment)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if last is None:
        # No record before that moment: the seat is unchanged only if it has no history at all
        # (a team set up before its changes were recorded).
        return not TeamMember.history.filter(team_id=member.team_id, user_id=user.pk).exists()
    return last.history_type != "-" and last.role == TeamMember.Role.LEAD


def check_set_up_plan(user, plan: InspectionPlan) -> None:
    """Raise PermissionDenied unless the user sets up this campaign."""
    check_set_up(user, plan.authority_id)
