"""Two appraisal rounds and an appeal (phúc tra).

1. The team appraises every criterion, then publishes its first-round appraisal: only from
   then on does the commune see the team's scores and comments, and the appeal window of
   the plan's number of working days opens (weekends and Vietnamese holidays skipped).
2. Within the window the commune contests a criterion, with an explanation and new evidence:
   its staff prepare the contest, the commune lead files it (as he submits the
   self-assessment); or he declares that the commune will not contest (further).
3. The team's second appraisal decides each contest: the score is kept or changed, with a
   reason. The decision is final (no second contest of the same criterion) and becomes the
   criterion's appraised score; the score row's history keeps both rounds.

The minutes are signed only when no contest awaits its decision and the window has closed or
the commune has declared it will not contest. Minutes of a visit whose appraisal was never
published (both sides sign them together at the visit) follow the rules of before.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import events, permissions
from ..models import CriterionScore, Minutes, ScoreContest, Visit
from ..score_text import score_range_message
from ..workdays import add_working_days
from .portal import rights
from .portal.evidence import evidence_add_for_contest
from .portal.self_assessment import leaf_criterion


def _date(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _lock_visit(visit: Visit) -> Visit:
    list(Visit.objects.select_for_update().filter(pk=visit.pk).values_list("pk", flat=True))
    visit.refresh_from_db()
    return visit


def appraisal_visible_to_commune(visit: Visit) -> bool:
    """The commune sees the team's scores and comments once published, or once the minutes are signed."""
    return visit.appraisal_published or visit.is_locked


@dataclass(frozen=True)
class AppealWindow:
    """Where the appeal of a visit stands on a given day."""

    published: bool
    deadline: dt.date | None
    waived: bool
    is_open: bool
    reason: str

    @property
    def closed(self) -> bool:
        return self.published and not self.is_open


def appeal_window(*, visit: Visit, today: dt.date | None = None) -> AppealWindow:
    """Whether the commune may contest now, and if not, why (a sentence with the date where there is one)."""
    today = today or timezone.localdate()
    deadline = visit.appeal_deadline
    waived = visit.appeal_waived_at is not None
    if not visit.appraisal_published:
        reason = _("The inspection team has not published its appraisal yet.")
    elif visit.is_locked:
        reason = _("The minutes of this visit are signed: the appraisal can no longer be contested.")
    elif waived:
        reason = _("On %(date)s the commune declared that it will not contest the appraisal.") % {
            "date": _date(timezone.localdate(visit.appeal_waived_at))
        }
    elif deadline is not None and today > deadline:
        reason = _("The time to contest the appraisal ended on %(date)s.") % {"date": _date(deadline)}
    else:
        reason = ""
    return AppealWindow(
        published=visit.appraisal_published, deadline=deadline, waived=waived, is_open=not reason, reason=reason
    )


def can_publish(user, visit: Visit) -> bool:
    """Those who appraise every review area of the visit (the lead, a deputy without a group) publish its appraisal."""
    areas = permissions.appraisal_area_ids(user, visit.plan)
    if not areas:
        return False
    return permissions.plan_area_ids(visit.plan) <= areas and not rights.works_in_commune(user, visit.unit_id)


@transaction.atomic
def appraisal_publish(*, visit: Visit, user) -> Visit:
    """Publish the team's first-round appraisal to the commune and open its appeal window.

    Only once every criterion has an appraised score. Raises PermissionDenied for anyone
    but those who appraise every area, on a locked visit or the user's own commune;
    ValidationError when criteria are unappraised or the appraisal is already published.
    """
    from .closing import visit_unappraised_criteria

    permissions.check_not_own_commune(user, visit)
    if not can_publish(user, visit):
        raise PermissionDenied(_("Only the team lead, or a deputy who appraises every area, publishes the appraisal."))
    visit = _lock_visit(visit)
    permissions.check_unlocked(visit)
    permissions.check_appraisal_open(visit)
    if visit.appraisal_published:
        raise ValidationError(
            _("The appraisal was already published on %(date)s.")
            % {"date": _date(timezone.localdate(visit.appraisal_published_at))},
            code="published",
        )
    unappraised = visit_unappraised_criteria(visit=visit)
    if unappraised:
        codes = ", ".join(c.code for c in unappraised[:12])
        raise ValidationError(
            ngettext(
                "Criterion %(codes)s has no appraised score yet. Every criterion is appraised before the "
                "appraisal is published.",
                "%(count)d criteria have no appraised score yet (%(codes)s). Every criterion is appraised before "
                "the appraisal is published.",
                len(unappraised),
            )
            % {"count": len(unappraised), "codes": codes + ("…" if len(unappraised) > 12 else "")},
            code="unappraised",
        )
    now = timezone.now()
    visit.appraisal_published_at = now
    visit.appraisal_published_by = user
    visit.appeal_deadline = add_working_days(timezone.localdate(now), visit.plan.appeal_working_days)
    visit._change_reason = _("First-round appraisal published")
    visit.save(update_fields=["appraisal_published_at", "appraisal_published_by", "appeal_deadline"])
    events.appraisal_published(visit)
    return visit


def _check_commune_lead(user, visit: Visit, message: str) -> None:
    rights.require(rights.can_lead_commune(user, visit), message)


def _contest_to_change(*, visit: Visit, criterion_id: int) -> tuple:
    """The criterion, its score row and its draft contest (or None), once the window and earlier contests allow."""
    window = appeal_window(visit=visit)
    if not window.is_open:
        raise ValidationError(window.reason, code="window")
    criterion = leaf_criterion(visit=visit, criterion_id=criterion_id)
    existing = ScoreContest.objects.select_for_update().filter(visit=visit, criterion=criterion).first()
    if existing is not None and not existing.is_draft:
        raise ValidationError(
            _("Criterion %(code)s was already contested on %(date)s; the team's second appraisal of it is final.")
            % {"code": criterion.code, "date": _date(timezone.localdate(existing.contested_at))},
            code="twice",
        )
    score = CriterionScore.objects.filter(visit=visit, criterion=criterion).first()
    if score is None or score.appraised_score is None:
        raise ValidationError(_("This criterion has no appraised score to contest."), code="unappraised")
    return criterion, score, existing


def _attach(contest: ScoreContest, user, upload, **details) -> None:
    if upload is not None:
        evidence_add_for_contest(contest=contest, user=user, upload=upload, **details)


@transaction.atomic
def score_contest_prepare(
    *,
    visit: Visit,
    criterion_id: int,
    user,
    explanation: str,
    upload=None,
    **details,
) -> ScoreContest:
    """Commune staff prepare (or correct) a contest of one criterion: its explanation and new evidence.

    The draft is not seen by the team; the commune lead files it. Within the appeal window,
    for a criterion not contested yet. Raises PermissionDenied for people outside the commune,
    ValidationError (codes "window", "twice", "required", and those of evidence) otherwise;
    when the file is refused nothing is kept.
    """
    rights.require(rights.can_work_for_commune(user, visit))
    visit = _lock_visit(visit)
    criterion, score, draft = _contest_to_change(visit=visit, criterion_id=criterion_id)
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError({"explanation": _("Explain why the commune contests this score.")}, code="required")
    if draft is None:
        draft = ScoreContest(visit=visit, criterion=criterion, status=ScoreContest.Status.DRAFT)
    draft.explanation = explanation
    draft.prepared_by = user
    draft.first_score, draft.first_comment = score.appraised_score, score.appraised_comment
    draft.save()
    _attach(draft, user, upload, **details)
    return draft


@transaction.atomic
def score_contest_file(
    *,
    visit: Visit,
    criterion_id: int,
    user,
    explanation: str,
    upload=None,
    **details,
) -> ScoreContest:
    """The commune lead contests the published appraised score of one criterion, with an explanation and evidence.

    Files the staff's draft when there is one (with the explanation as the lead leaves it),
    else a new contest. Within the appeal window only, once per criterion. The file, when
    given, is checked as any evidence and kept with the contest; if it is refused nothing is
    kept. The first-round score and comment are copied at filing. Raises PermissionDenied
    for anyone but the commune lead, ValidationError (codes "window", "twice", "required",
    and those of evidence) otherwise.
    """
    _check_commune_lead(user, visit, _("Only the commune lead (Chairman of the People's Committee) files a contest."))
    visit = _lock_visit(visit)
    criterion, score, draft = _contest_to_change(visit=visit, criterion_id=criterion_id)
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError({"explanation": _("Explain why the commune contests this score.")}, code="required")
    contest = draft or ScoreContest(visit=visit, criterion=criterion, prepared_by=user)
    contest.explanation = explanation
    contest.first_score, contest.first_comment = score.appraised_score, score.appraised_comment
    contest.status = ScoreContest.Status.PENDING
    contest.contested_by = user
    contest.contested_at = timezone.now()
    contest.save()
    _attach(contest, user, upload, **details)
    events.contest_filed(contest)
    return contest


@transaction.atomic
def appeal_waive(*, visit: Visit, user) -> Visit:
    """The commune lead declares that the commune will not contest the appraisal (further).

    Contests already filed still wait for the team's decision; no new one is accepted.
    Raises PermissionDenied for anyone but the commune lead, ValidationError when the
    window is not open.
    """
    _check_commune_lead(
        user, visit, _("Only the commune lead (Chairman of the People's Committee) makes this declaration.")
    )
    visit = _lock_visit(visit)
    window = appeal_window(visit=visit)
    if not window.is_open:
        raise ValidationError(window.reason, code="window")
    visit.appeal_waived_at = timezone.now()
    visit.appeal_waived_by = user
    visit._change_reason = _("The commune declared it will not contest the appraisal")
    visit.save(update_fields=["appeal_waived_at", "appeal_waived_by"])
    return visit


@transaction.atomic
def score_contest_decide(*, contest: ScoreContest, user, decided_score: Decimal, reason: str) -> ScoreContest:
    """The team's second appraisal of a contested criterion: keep or change the score, with a reason. Final.

    The criterion's appraised score becomes the decided one (its history keeps the first
    round). Only those who appraise the criterion's area, never at their own commune, not
    on signed minutes. Raises PermissionDenied or ValidationError.
    """
    visit = contest.visit
    permissions.check_appraise(user, visit, contest.criterion.area_id)
    list(ScoreContest.objects.select_for_update().filter(pk=contest.pk).values_list("pk", flat=True))
    contest.refresh_from_db()
    if contest.is_draft:
        raise ValidationError(_("The commune has not filed this contest yet."), code="draft")
    if not contest.is_pending:
        raise ValidationError(
            _("This contest was decided on %(date)s; the decision is final.")
            % {"date": _date(timezone.localdate(contest.decided_at))},
            code="decided",
        )
    errors = {}
    if decided_score is None:
        errors["decided_score"] = _("Give the score the team decides.")
    elif not (0 <= decided_score <= contest.criterion.max_score):
        errors["decided_score"] = score_range_message(contest.criterion.max_score)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Give the reason for the decision, so that the commune understands it.")
    if errors:
        raise ValidationError(errors)
    score = CriterionScore.objects.select_for_update().get(visit=visit, criterion=contest.criterion)
    now = timezone.now()
    score.appraised_score = decided_score
    score.appraised_comment = reason
    score.appraised_by = user
    score.appraised_at = now
    score.version += 1
    score._change_reason = _("Second appraisal after a contest")
    score.save()
    contest.status = ScoreContest.Status.KEPT if decided_score == contest.first_score else ScoreContest.Status.CHANGED
    contest.decided_score = decided_score
    contest.decision_reason = reason
    contest.decided_by = user
    contest.decided_at = now
    contest.save(update_fields=["status", "decided_score", "decision_reason", "decided_by", "decided_at"])
    events.contest_decided(contest)
    return contest


def pending_contests(*, visit: Visit) -> list[ScoreContest]:
    """The visit's contests that still wait for the team's decision, in the order of the set."""
    return list(
        ScoreContest.objects.filter(visit=visit, status=ScoreContest.Status.PENDING)
        .select_related("criterion")
        .order_by("criterion__order", "criterion__code")
    )


def signing_blocked_reason(*, visit: Visit, today: dt.date | None = None) -> str:
    """Why the minutes cannot be signed yet because of the appeal, or "".

    A contest awaiting its decision blocks signing; so does an open window the commune has
    not waived, since the commune may still contest.
    """
    pending = pending_contests(visit=visit)
    if pending:
        return ngettext(
            "Criterion %(codes)s is contested by the commune and awaits the team's decision. "
            "Decide it before signing the minutes.",
            "Criteria %(codes)s are contested by the commune and await the team's decision. "
            "Decide them before signing the minutes.",
            len(pending),
        ) % {"codes": ", ".join(c.criterion.code for c in pending)}
    window = appeal_window(visit=visit, today=today)
    if window.is_open:
        return _(
            "The commune may contest the appraisal until %(date)s. The minutes are signed after that day, or "
            "once the commune lead declares that the commune will not contest."
        ) % {"date": _date(window.deadline)}
    return ""


def appraisal_frozen_reason(*, visit: Visit) -> str:
    """Why the team's first-round scores no longer change directly, or "".

    What the commune was shown is what it may contest: once published, a score changes
    only by deciding a contest, until the lead reopens signed minutes to correct them.
    """
    if not visit.appraisal_published or visit.is_locked:
        return ""
    if Minutes.objects.filter(visit=visit, signed_at__isnull=True).exclude(reopen_reason="").exists():
        return ""
    return _(
        "The first-round appraisal was published to the commune on %(date)s: its scores change only by deciding "
        "the commune's contests."
    ) % {"date": _date(timezone.localdate(visit.appraisal_published_at))}


def contest_refuses_appraisal(*, visit: Visit, criterion) -> str:
    """Why the team may not change a criterion's score directly (contested, or published), or ""."""
    if not visit.appraisal_published:
        # Contests are filed only while the appeal window is open, which publishing opens, and a publication
        # stays: before it no contest can exist, and nothing is frozen (appraisal_frozen_reason).
        return ""
    # One row at most: the default order would join the visit, its plan and unit and the criterion.
    contest = (
        ScoreContest.objects.filter(visit=visit, criterion=criterion)
        .exclude(status=ScoreContest.Status.DRAFT)
        .order_by()
        .first()
    )
    if contest is None:
        return appraisal_frozen_reason(visit=visit)
    if contest.is_pending:
        return _("The commune contests this score: change it by deciding the contest, with a reason.")
    return _("The team's second appraisal of this contested score is final.")
