"""Who is told of what happens in a campaign: each function is called by a service, inside its
transaction; the inbox lines are written with the change and the mail leaves from the worker after commit."""

import datetime as dt

from django.urls import reverse

from accounts.models import Membership
from accounts.notifications.kinds import Kind
from accounts.notifications.services import notify

from .models import Finding, Remedy, TeamMember, Visit


def date_text(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def commune_people(unit_id: int):
    """Active commune leads and staff of the unit."""
    return Membership.objects.filter(
        unit_id=unit_id, role__in=Membership.COMMUNE_ROLES, is_active=True, user__is_active=True
    ).values_list("user_id", flat=True)


def secretariat_of(authority_id: int):
    return Membership.objects.filter(
        unit_id=authority_id, role=Membership.Role.SECRETARIAT, is_active=True, user__is_active=True
    ).values_list("user_id", flat=True)


def team_groups_of(visit: Visit, area_id: int | None = None):
    """Members of the campaign's groups; of the group covering `area_id` when given (every group if none does)."""
    members = TeamMember.objects.filter(team__plan_id=visit.plan_id, group__isnull=False, user__is_active=True)
    if area_id is not None and members.filter(group__areas=area_id).exists():
        members = members.filter(group__areas=area_id)
    return members.values_list("user_id", flat=True)


def _visit_params(visit: Visit) -> dict:
    plan = visit.plan
    return {
        "commune": visit.unit.name,
        "visit": f"{plan.title} ({plan.number})" if plan.number else plan.title,
        "visit_date": date_text(visit.scheduled_on),
        "deadline": date_text(visit.effective_deadline),
    }


def _portal(visit: Visit) -> str:
    return reverse("inspections:self_assessment", kwargs={"pk": visit.pk})


def _workspace(visit: Visit) -> str:
    return reverse("inspections:visit_workspace", kwargs={"pk": visit.pk})


def visit_scheduled(visit: Visit) -> None:
    """The commune learns its inspection date and self-assessment deadline."""
    notify(
        kind=Kind.VISIT_SCHEDULED,
        user_ids=commune_people(visit.unit_id),
        params=_visit_params(visit),
        link=_portal(visit),
    )


def deadline_extended(visit: Visit) -> None:
    notify(
        kind=Kind.DEADLINE_EXTENDED,
        user_ids=commune_people(visit.unit_id),
        params=_visit_params(visit),
        link=_portal(visit),
    )


def self_assessment_sent(visit: Visit, *, withdrawn: bool) -> None:
    """The team's groups and the secretariat learn that the commune submitted or withdrew."""
    users = set(team_groups_of(visit)) | set(secretariat_of(visit.plan.authority_id))
    notify(
        kind=Kind.SELF_ASSESSMENT_SUBMITTED,
        user_ids=users,
        params={**_visit_params(visit), "action": "withdrawn" if withdrawn else "submitted"},
        link=_workspace(visit),
    )


def explanation_requested(visit: Visit, criterion) -> None:
    notify(
        kind=Kind.EXPLANATION_REQUESTED,
        user_ids=commune_people(visit.unit_id),
        params={**_visit_params(visit), "criterion": criterion.code},
        link=_portal(visit),
    )


def explanation_given(visit: Visit, criterion) -> None:
    notify(
        kind=Kind.EXPLANATION_GIVEN,
        user_ids=team_groups_of(visit, criterion.area_id),
        params={**_visit_params(visit), "criterion": criterion.code},
        link=_workspace(visit),
    )


def question_asked(finding: Finding) -> None:
    visit = finding.visit
    notify(
        kind=Kind.QUESTION_ASKED,
        user_ids=team_groups_of(visit, finding.area_id),
        params={**_visit_params(visit), "area": finding.area.title if finding.area else "—"},
        link=_workspace(visit),
    )


def question_answered(finding: Finding) -> None:
    visit = finding.visit
    notify(
        kind=Kind.QUESTION_ANSWERED,
        user_ids=commune_people(visit.unit_id),
        params=_visit_params(visit),
        link=reverse("inspections:question_list", kwargs={"pk": visit.pk}),
    )


def minutes_signed(visit: Visit, minutes) -> None:
    users = set(commune_people(visit.unit_id)) | set(secretariat_of(visit.plan.authority_id))
    notify(
        kind=Kind.MINUTES_SIGNED,
        user_ids=users,
        params={**_visit_params(visit), "date": date_text(minutes.held_on)},
        link=reverse("inspections:visit_detail", kwargs={"pk": visit.pk}),
    )


def notice_issued(visit: Visit, notice) -> None:
    users = set(commune_people(visit.unit_id)) | set(secretariat_of(visit.plan.authority_id))
    notify(
        kind=Kind.NOTICE_ISSUED,
        user_ids=users,
        params={
            **_visit_params(visit),
            "number": notice.number,
            "date": date_text(notice.issued_on),
            "deadline": date_text(notice.remedy_deadline),
        },
        link=reverse("inspections:visit_detail", kwargs={"pk": visit.pk}),
    )


def remedy_reported(remedy: Remedy) -> None:
    finding = remedy.finding
    visit = finding.visit
    notify(
        kind=Kind.REMEDY_REPORTED,
        user_ids=team_groups_of(visit, finding.area_id),
        params={**_visit_params(visit), "area": finding.area.title if finding.area else "—"},
        link=_workspace(visit),
    )


def remedy_decided(remedy: Remedy, *, verified: bool) -> None:
    finding = remedy.finding
    visit = finding.visit
    params = {**_visit_params(visit), "action": "verified" if verified else "returned"}
    if not verified:
        params["reason"] = remedy.return_reason
    notify(
        kind=Kind.REMEDY_DECIDED,
        user_ids=commune_people(visit.unit_id),
        params=params,
        link=reverse("inspections:finding_remedy", kwargs={"pk": finding.pk}),
    )


def _appraisal(visit: Visit) -> str:
    return reverse("inspections:appraisal_result", kwargs={"pk": visit.pk})


def appraisal_published(visit: Visit) -> None:
    """The commune learns that it may read the team's scores and until when it may contest one."""
    notify(
        kind=Kind.APPRAISAL_PUBLISHED,
        user_ids=commune_people(visit.unit_id),
        params={**_visit_params(visit), "appeal_deadline": date_text(visit.appeal_deadline)},
        link=_appraisal(visit),
    )


def contest_filed(contest) -> None:
    """The group appraising the criterion's area learns that the commune contests its score."""
    visit = contest.visit
    notify(
        kind=Kind.CONTEST_FILED,
        user_ids=team_groups_of(visit, contest.criterion.area_id),
        params={**_visit_params(visit), "criterion": contest.criterion.code},
        link=_workspace(visit),
    )


def contest_decided(contest) -> None:
    """The commune learns the team's final decision on its contest."""
    visit = contest.visit
    notify(
        kind=Kind.CONTEST_DECIDED,
        user_ids=commune_people(visit.unit_id),
        params={
            **_visit_params(visit),
            "criterion": contest.criterion.code,
            "score": format(contest.decided_score.normalize(), "f"),
        },
        link=_appraisal(visit),
    )
