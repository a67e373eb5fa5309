"""Appraisal at a visit: scores with conflict detection, findings, re-checks and answers."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from .. import events, permissions
from ..models import Criterion, CriterionScore, Finding, Remedy, ReviewArea, Visit
from ..score_text import score_range_message
from .appeal import contest_refuses_appraisal

# How far after the round a finding's due date may lie.
FINDING_DUE_YEARS = 3

# A visit enters appraisal with the first appraised score; the commune's own steps come before.
_ENTERS_APPRAISAL = {Visit.Status.SCHEDULED, Visit.Status.SUBMITTED}


# The columns an appraisal writes.
_APPRAISED_FIELDS = [
    "appraised_score",
    "appraised_comment",
    "explanation_requested",
    "explanation_request",
    "appraised_by",
    "appraised_at",
    "version",
]


class ScoreConflict(ValidationError):
    """Someone else saved the score since the form was loaded; `current` is the row as it now is."""

    def __init__(self, message, *, current: CriterionScore):
        super().__init__(message, code="conflict")
        self.current = current


def _score_label(value: Decimal | None) -> str:
    return "—" if value is None else number_format(value, decimal_pos=None, use_l10n=True)


def score_appraise(
    *,
    visit: Visit,
    criterion: Criterion,
    user,
    appraised_score: Decimal | None,
    comment: str = "",
    explanation_requested: bool = False,
    explanation_request: str = "",
    expected_version: int,
) -> CriterionScore:
    """Save the appraised score, comment and explanation request of one criterion at a visit.

    `expected_version` is the version the inspector's form was loaded with (0 when no
    row existed): if another save came in between, ScoreConflict is raised with the
    other value and nothing is written. Raises PermissionDenied outside the user's
    group, on a locked visit or while the commune may still change its self-assessment,
    ValidationError for a score outside 0..maximum or of a contested criterion (its
    score changes only by deciding the contest).
    """
    if criterion.criteria_set_id != visit.plan.criteria_set_id or (
        not getattr(criterion, "read_as_leaf", False) and criterion.children.exists()
    ):
        raise ValidationError(_("This criterion is not scored at this visit."))
    permissions.check_appraise(user, visit, criterion.area_id)
    contested = contest_refuses_appraisal(visit=visit, criterion=criterion)
    if contested:
        raise ValidationError(contested, code="contested")
    if appraised_score is not None and not (0 <= appraised_score <= criterion.max_score):
        raise ValidationError(score_range_message(criterion.max_score))
    if explanation_requested and not explanation_request.strip():
        raise ValidationError(_("Write the question the commune should answer."))
    try:
        with transaction.atomic():
            score = (
                CriterionScore.objects.select_for_update(of=("self",))
                .select_related("appraised_by")
                .filter(visit=visit, criterion=criterion)
                # One row at most: the default order would join the visit, its plan and unit and the criterion.
                .order_by()
                .first()
            )
            current_version = score.version if score else 0
            if current_version != expected_version:
                raise ScoreConflict(
                    _(
                        "%(who)s saved this score as %(value)s while you were editing. Your value was not saved: "
                        "compare and save again to replace it."
                    )
                    % {
                        "who": (score.appraised_by or _("Someone")) if score else _("Someone"),
                        "value": _score_label(score.appraised_score if score else None),
                    },
                    current=score,
                )
            if score is None:
                score = CriterionScore(visit=visit, criterion=criterion, max_score=criterion.max_score, version=0)
            if score.not_applicable == CriterionScore.NotApplicable.ACCEPTED and appraised_score is not None:
                raise ValidationError(
                    _("This criterion was accepted as not applicable: refuse the declaration before scoring it.")
                )
            score.appraised_score = appraised_score
            score.appraised_comment = comment.strip()
            newly_requested = explanation_requested and (
                not score.explanation_requested or score.explanation_request != explanation_request.strip()
            )
            score.explanation_requested = explanation_requested
            score.explanation_request = explanation_request.strip() if explanation_requested else ""
            score.appraised_by = user
            score.appraised_at = timezone.now()
            score.version += 1
            if score.pk is None:
                score.save()
            else:
                # Only what the team writes: the commune's fields stay as they are in the row.
                score.save(update_fields=_APPRAISED_FIELDS)
            if visit.status in _ENTERS_APPRAISAL:
                visit.status = Visit.Status.APPRAISING
                visit.save(update_fields=["status"])
            if newly_requested:
                events.explanation_requested(visit, criterion)
    except IntegrityError:
        # Two first saves of the same criterion at once: the loser sees the winner's value.
        current = CriterionScore.objects.select_related("appraised_by").get(visit=visit, criterion=criterion)
        raise ScoreConflict(
            _("%(who)s saved this score as %(value)s while you were editing. Your value was not saved.")
            % {"who": current.appraised_by or _("Someone"), "value": _score_label(current.appraised_score)},
            current=current,
        ) from None
    return score


def _check_finding_fields(*, visit: Visit, kind: str, area: ReviewArea | None, criterion: Criterion | None, due_date):
    errors = {}
    if area is not None and area.criteria_set_id != visit.plan.criteria_set_id:
        errors["area"] = _("The review area belongs to another criteria set.")
    if criterion is not None and (area is None or criterion.area_id != area.pk):
        errors["criterion"] = _("The criterion is not in the chosen review area.")
    if kind not in Finding.ACTIONABLE_KINDS and due_date:
        errors["due_date"] = _("Only shortcomings and recommendations have a due date.")
    elif due_date:
        earliest = visit.scheduled_on or visit.plan.round_start
        # A remedy is due within months, at most a few years; 01/01/1900 or 2099 is a typing slip.
        latest = (visit.plan.round_end or earliest) + dt.timedelta(days=365 * FINDING_DUE_YEARS)
        if (earliest and due_date < earliest) or due_date > latest:
            errors["due_date"] = _("The due date must lie between %(earliest)s (the visit) and %(latest)s.") % {
                "earliest": date_format(earliest, "SHORT_DATE_FORMAT") if earliest else "—",
                "latest": date_format(latest, "SHORT_DATE_FORMAT"),
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finding_record(
    *,
    visit: Visit,
    user,
    kind: str,
    text: str,
    area: ReviewArea | None = None,
    criterion: Criterion | None = None,
    recommendation: str = "",
    due_date: dt.date | None = None,
) -> Finding:
    """Record a strength, shortcoming, recommendation or question at a visit.

    Raises PermissionDenied outside the user's group areas, on a locked visit, or while the
    commune may still change its self-assessment.
    """
    permissions.check_record_finding(user, visit, area.pk if area else None)
    permissions.check_appraisal_open(visit)
    _check_finding_fields(visit=visit, kind=kind, area=area, criterion=criterion, due_date=due_date)
    status = Finding.Status.OPEN if kind != Finding.Kind.STRENGTH else Finding.Status.NOTED
    return Finding.objects.create(
        visit=visit,
        kind=kind,
        area=area,
        criterion=criterion,
        text=text.strip(),
        recommendation=recommendation.strip(),
        due_date=due_date,
        status=status,
        created_by=user,
    )


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    user,
    kind: str,
    text: str,
    area: ReviewArea | None = None,
    criterion: Criterion | None = None,
    recommendation: str = "",
    due_date: dt.date | None = None,
) -> Finding:
    """Change a finding recorded at a visit; same rules as recording it."""
    visit = finding.visit
    permissions.check_record_finding(user, visit, finding.area_id)
    permissions.check_record_finding(user, visit, area.pk if area else None)
    permissions.check_appraisal_open(visit)
    _check_finding_fields(visit=visit, kind=kind, area=area, criterion=criterion, due_date=due_date)
    if kind not in Finding.ACTIONABLE_KINDS and finding.status not in {Finding.Status.OPEN, Finding.Status.NOTED}:
        raise ValidationError(_("A finding that is being remedied stays a shortcoming or a recommendation."))
    finding.kind, finding.area, finding.criterion = kind, area, criterion
    finding.text, finding.recommendation, finding.due_date = text.strip(), recommendation.strip(), due_date
    if kind == Finding.Kind.STRENGTH:
        finding.status = Finding.Status.NOTED
    elif finding.status == Finding.Status.NOTED:
        finding.status = Finding.Status.OPEN
    finding.save()
    return finding


@transaction.atomic
def finding_recheck(*, finding: Finding, user, remedied: bool) -> Finding:
    """Mark a finding carried from last year as remedied, or confirm it is still open.

    A still-open finding stays open and is carried into the commune's next visit. The
    same area rule as editing a finding applies. The finding's reported remedy follows
    the verdict: verified when the finding is remedied, sent back when it is still open.
    """
    permissions.check_record_finding(user, finding.visit, finding.area_id)
    if finding.carried_from_id is None or not finding.is_actionable:
        raise ValidationError(_("Only findings carried over from the previous round are re-checked."))
    if finding.status not in Finding.UNRESOLVED_STATUSES | {Finding.Status.REMEDIED}:
        raise ValidationError(_("This finding is no longer followed up."))
    now = timezone.now()
    finding.status = Finding.Status.REMEDIED if remedied else Finding.Status.OPEN
    finding.resolved_at = now if remedied else None
    finding.rechecked_by = user
    finding.rechecked_at = now
    finding.save(update_fields=["status", "resolved_at", "rechecked_by", "rechecked_at"])
    remedy = finding.remedies.filter(status=Remedy.Status.REPORTED).order_by("-created_at", "-id").first()
    if remedy is not None and remedied:
        remedy.status, remedy.verified_by, remedy.verified_at = Remedy.Status.VERIFIED, user, now
        remedy.save(update_fields=["status", "verified_by", "verified_at"])
    elif remedy is not None:
        remedy.status = Remedy.Status.RETURNED
        remedy.return_reason = _("Re-checked at the visit: the finding is still open.")
        remedy.save(update_fields=["status", "return_reason"])
    return finding


@transaction.atomic
def finding_answer(*, finding: Finding, user, answer: str) -> Finding:
    """Answer a question raised by the commune; the answer is recorded with who and when."""
    permissions.check_answer_question(user, finding.visit, finding.area_id)
    permissions.check_unlocked(finding.visit)
    if finding.kind != Finding.Kind.QUESTION:
        raise ValidationError(_("Only questions are answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    finding.answer = answer.strip()
    finding.answered_by = user
    finding.answered_at = timezone.now()
    finding.status = Finding.Status.ANSWERED
    finding.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    events.question_answered(finding)
    return finding
