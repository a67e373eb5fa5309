"""Closing a visit: minutes, the lead's sign-off (which locks the visit), reopening, the conclusion notice."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Membership
from communes.folding import dictionary_order

from .. import events, permissions
from ..models import (
    ConclusionNotice,
    Criterion,
    CriterionScore,
    Finding,
    Minutes,
    SurveyIndex,
    SurveyResult,
    Visit,
)
from ..scoring import leaf_criteria, visit_result_snapshot
from ..workdays import conclusion_deadline
from .appeal import signing_blocked_reason


def minutes_summary_draft(*, visit: Visit, findings: list[Finding]) -> str:
    """A first text of the minutes' summary drawn from the findings, grouped by kind."""
    sections = []
    for kind, heading in (
        (Finding.Kind.STRENGTH, _("Strengths")),
        (Finding.Kind.SHORTCOMING, _("Limitations and shortcomings")),
        (Finding.Kind.RECOMMENDATION, _("Recommendations")),
        (Finding.Kind.QUESTION, _("Questions answered")),
    ):
        lines = []
        for finding in findings:
            if finding.kind != kind:
                continue
            line = f"- {finding.text}"
            if finding.recommendation:
                line += f" {_('Recommendation')}: {finding.recommendation}"
            if kind == Finding.Kind.QUESTION and finding.answer:
                line += f" {_('Answer')}: {finding.answer}"
            lines.append(line)
        if lines:
            sections.append(f"{heading}:\n" + "\n".join(lines))
    return "\n\n".join(sections)


def commune_attendees_draft(*, visit: Visit) -> list[dict]:
    """The commune's people as the minutes list them first: its chairman, then its civil servants.

    Read from the commune's active memberships; the secretariat or lead edits the list before signing.
    """
    memberships = (
        Membership.objects.filter(unit=visit.unit, is_active=True, role__in=Membership.COMMUNE_ROLES)
        .select_related("user")
        .order_by(dictionary_order("user__full_name"), "user_id")
    )
    leads, staff, seen = [], [], set()
    for membership in memberships:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        user = membership.user
        if membership.role == Membership.Role.COMMUNE_LEAD:
            position = user.position or _("Chairman of the People's Committee of %(unit)s") % {
                "unit": visit.unit.name_in_sentence
            }
            leads.append({"name": user.get_full_name(), "position": position})
        else:
            staff.append({"name": user.get_full_name(), "position": user.position or _("civil servant").capitalize()})
    return leads + staff


def archive_line(authority) -> str:
    """The last recipient of the authority's documents: "Lưu: VT, NV." (clerical office, drafting unit)."""
    code = (authority.drafting_unit_code or "").strip().rstrip(".")
    if code:
        return _("Archive: VT, %(code)s.") % {"code": code}
    return _("Archive: VT.")


def conclusion_recipients_draft(*, visit: Visit) -> str:
    """The recipients of a conclusion notice, one a line: the commune, the team members' offices, the archive."""
    lines = [_("PC of %(unit)s") % {"unit": visit.unit.name_in_sentence}]
    team = getattr(visit.plan, "team", None)
    if team is not None:
        for member in team.members.select_related("department").order_by("order", "id"):
            if member.department and member.department.name not in lines:
                lines.append(member.department.name)
    return "\n".join(f"{line};" for line in lines) + "\n" + archive_line(visit.plan.authority)


def visit_unappraised_criteria(*, visit: Visit) -> list[Criterion]:
    """The scored criteria of the visit that have no appraised score yet, in the order of the set.

    A criterion accepted as not applicable needs none; one merely declared so waits for the team's decision.
    """
    appraised = CriterionScore.objects.filter(
        Q(appraised_score__isnull=False) | Q(not_applicable=CriterionScore.NotApplicable.ACCEPTED), visit=visit
    ).values("criterion_id")
    return list(
        leaf_criteria(visit.plan.criteria_set)
        .exclude(pk__in=appraised)
        .select_related("area")
        .order_by("area__order", "area__number", "order", "code")
    )


def visit_missing_survey(*, visit: Visit) -> list[str]:
    """The codes of the survey sub-indices of the visit's set that have no imported result for it yet."""
    if not visit.plan.criteria_set.survey_weight:
        return []
    imported = SurveyResult.objects.filter(visit=visit).values("index_id")
    return list(
        SurveyIndex.objects.filter(criteria_set=visit.plan.criteria_set_id)
        .exclude(pk__in=imported)
        .order_by("order", "code")
        .values_list("code", flat=True)
    )


def unappraised_message(criteria: list[Criterion]) -> str:
    """A sentence saying how many criteria are still unappraised, and in which review areas."""
    areas = []
    for criterion in criteria:
        label = f"{criterion.area.number}. {criterion.area.title}"
        if label not in areas:
            areas.append(label)
    return ngettext(
        "%(count)d criterion has no appraised score yet (review areas: %(areas)s). "
        "Every criterion must be appraised before the minutes are signed.",
        "%(count)d criteria have no appraised score yet (review areas: %(areas)s). "
        "Every criterion must be appraised before the minutes are signed.",
        len(criteria),
    ) % {"count": len(criteria), "areas": "; ".join(areas)}


@transaction.atomic
def minutes_save(
    *,
    visit: Visit,
    user,
    held_on: dt.date,
    opened_at: dt.time | None = None,
    closed_at: dt.time | None = None,
    number: str = "",
    place: str = "",
    team_attendees: list[dict],
    commune_attendees: list[dict],
    summary: str = "",
    commune_opinion: str = "",
) -> Minutes:
    """Create or change the minutes of a visit while they are not signed."""
    permissions.check_draft_minutes(user, visit)
    minutes = Minutes.objects.select_for_update().filter(visit=visit).first() or Minutes(visit=visit)
    if minutes.is_signed:
        raise ValidationError(_("The minutes are signed. The team lead must reopen them before they change."))
    for attendees in (team_attendees, commune_attendees):
        if any(not a.get("name") for a in attendees):
            raise ValidationError(_("Each attendee needs a name."))
    if opened_at and closed_at and closed_at <= opened_at:
        raise ValidationError({"closed_at": _("The minutes cannot close before they open.")})
    minutes.number, minutes.held_on, minutes.place = number.strip(), held_on, place.strip()
    minutes.opened_at, minutes.closed_at = opened_at, closed_at
    minutes.team_attendees, minutes.commune_attendees = team_attendees, commune_attendees
    minutes.summary, minutes.commune_opinion = summary.strip(), commune_opinion.strip()
    minutes.save()
    return minutes


@transaction.atomic
def minutes_sign(*, visit: Visit, user) -> Minutes:
    """The team lead signs the minutes: who and when are recorded, and the visit's scores and findings lock.

    The visit's result (totals, percentages, grade, criteria scores) is stored with the
    minutes; every page and document of the signed visit reads it from there.

    Raises PermissionDenied for anyone but the lead, ValidationError when the minutes
    are missing, already signed or lack attendees, while a scored criterion of the
    visit has no appraised score, or while the appeal is under way (a contest awaits its
    decision, or the commune may still contest: see services.appeal).
    """
    permissions.check_lead(user, visit.plan)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    minutes = Minutes.objects.filter(visit=visit).first()
    if minutes is None:
        raise ValidationError(_("Write the minutes before signing them."))
    if minutes.is_signed:
        raise ValidationError(_("The minutes are already signed."))
    if not minutes.team_attendees or not minutes.commune_attendees:
        raise ValidationError(_("The minutes need the attendees of both sides before they are signed."))
    if minutes.held_on > timezone.localdate():
        # Minutes may be drafted ahead of the meeting, but they record it: they are signed once it is held.
        raise ValidationError(
            _("The minutes are dated %(date)s, which has not come yet: they are signed once the meeting is held.")
            % {"date": date_format(minutes.held_on, "SHORT_DATE_FORMAT")},
            code="future",
        )
    unappraised = visit_unappraised_criteria(visit=visit)
    if unappraised:
        raise ValidationError(unappraised_message(unappraised), code="unappraised")
    appeal_blocked = signing_blocked_reason(visit=visit)
    if appeal_blocked:
        raise ValidationError(appeal_blocked, code="appeal")
    missing_survey = visit_missing_survey(visit=visit)
    if missing_survey:
        raise ValidationError(
            _(
                "The survey results of this commune are not imported yet (%(codes)s): "
                "the secretariat imports them before the minutes are signed."
            )
            % {"codes": ", ".join(missing_survey)},
            code="survey",
        )
    minutes.signed_by = user
    minutes.signed_at = timezone.now()
    # What was signed is stored, so that no later change to criteria, bands or scores alters it.
    minutes.result_snapshot = visit_result_snapshot(visit=visit)
    minutes.save(update_fields=["signed_by", "signed_at", "result_snapshot"])
    visit.status = Visit.Status.SIGNED
    visit.save(update_fields=["status"])
    events.minutes_signed(visit, minutes)
    return minutes


@transaction.atomic
def minutes_snapshot_missing() -> int:
    """Store the result of signed minutes that were signed before results were stored; return how many.

    Minutes signed since then already hold theirs and are left alone, so running it twice
    changes nothing the second time.
    """
    missing = list(
        Minutes.objects.select_for_update()
        .filter(signed_at__isnull=False, result_snapshot__isnull=True)
        .select_related("visit__plan__criteria_set")
    )
    for minutes in missing:
        minutes.result_snapshot = visit_result_snapshot(visit=minutes.visit)
        minutes.save(update_fields=["result_snapshot"])
    return len(missing)


@transaction.atomic
def minutes_reopen(*, visit: Visit, user, reason: str) -> Minutes:
    """The team lead reopens signed minutes, with a reason: the visit's scores and findings unlock.

    A visit whose conclusion notice is issued is not reopened. Only the lead who signed,
    or who already held the lead seat when they were signed, reopens them: a seat taken
    afterwards does not undo another's signature.
    """
    permissions.check_lead(user, visit.plan)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    if visit.status == Visit.Status.CONCLUDED:
        raise ValidationError(_("The conclusion notice has been issued: this visit can no longer be reopened."))
    minutes = Minutes.objects.filter(visit=visit).first()
    if minutes is None or not minutes.is_signed:
        raise ValidationError(_("The minutes are not signed."))
    if minutes.signed_by_id != user.pk and not permissions.held_lead_seat_when(user, visit.plan, minutes.signed_at):
        raise PermissionDenied(
            _(
                "Only the team lead who signed these minutes, or who already held the lead seat when they were "
                "signed, may reopen them."
            )
        )
    minutes.signed_by = None
    minutes.signed_at = None
    minutes.reopen_reason = reason.strip()
    # The signed result is discarded (its history keeps it); signing again takes a new one.
    minutes.result_snapshot = None
    minutes.save(update_fields=["signed_by", "signed_at", "reopen_reason", "result_snapshot"])
    visit.status = Visit.Status.APPRAISING
    visit.save(update_fields=["status"])
    return minutes


def _findings_take_deadline(*, visit: Visit, deadline: dt.date | None) -> None:
    """Give the notice's remedy deadline to the unresolved shortcomings and recommendations without their own."""
    if deadline is None:
        return
    Finding.objects.filter(
        due_date__isnull=True, visit=visit, kind__in=Finding.ACTIONABLE_KINDS, status__in=Finding.UNRESOLVED_STATUSES
    ).update(due_date=deadline)


@transaction.atomic
def conclusion_issue(
    *,
    visit: Visit,
    user,
    number: str,
    issued_on: dt.date,
    remedy_deadline: dt.date | None = None,
    summary: str = "",
    signer_name: str = "",
    signer_title: str = "",
    recipients: str = "",
) -> ConclusionNotice:
    """The team lead issues the conclusion notice of a visit whose minutes are signed.

    The notice must be dated within 15 Vietnamese working days of the round's end;
    the visit becomes concluded. Its unresolved shortcomings and recommendations without a
    due date of their own take the notice's remedy deadline. An issued notice is an official
    document and never changes. Raises ValidationError otherwise.
    """
    permissions.check_lead(user, visit.plan)
    visit = Visit.objects.select_for_update().select_related("plan").get(pk=visit.pk)
    if visit.status not in Visit.LOCKED_STATUSES:
        raise ValidationError(_("The minutes must be signed before the conclusion notice is issued."))
    if ConclusionNotice.objects.filter(visit=visit).exists():
        raise ValidationError(_("The conclusion notice has been issued; an issued notice no longer changes."))
    errors = {}
    deadline = conclusion_deadline(visit.plan.round_end)
    if issued_on > deadline:
        errors["issued_on"] = _(
            "The notice must be issued within 15 working days of the round's end, that is by %(date)s."
        ) % {"date": date_format(deadline, "SHORT_DATE_FORMAT")}
    if remedy_deadline is not None and remedy_deadline < issued_on:
        errors["remedy_deadline"] = _("The remedy deadline cannot be before the notice is issued.")
    if not number.strip():
        errors["number"] = _("Give the notice's number.")
    if errors:
        raise ValidationError(errors)
    notice = ConclusionNotice(visit=visit)
    _findings_take_deadline(visit=visit, deadline=remedy_deadline)
    notice.number, notice.issued_on, notice.remedy_deadline = number.strip(), issued_on, remedy_deadline
    notice.summary, notice.recipients = summary.strip(), recipients.strip()
    notice.signer = user
    notice.signer_name = signer_name.strip() or user.get_full_name()
    notice.signer_title = signer_title.strip() or getattr(user, "position", "")
    notice.save()
    visit.status = Visit.Status.CONCLUDED
    visit.save(update_fields=["status"])
    events.notice_issued(visit, notice)
    return notice
