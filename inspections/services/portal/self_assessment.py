"""The commune's self-assessment: per-criterion saves, submission, withdrawal and the deadline.

Before its deadline a commune scores and explains each criterion and attaches evidence;
the commune lead submits, and may withdraw and resubmit until the deadline. After the
deadline the server refuses every change; only the secretariat can extend the deadline
of one commune. Saving is per criterion, so an interrupted session loses nothing.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ... import events
from ...models import Criterion, CriterionScore, Evidence, Visit
from ...score_text import score_range_message, score_text
from . import rights

EDITABLE_STATUSES = frozenset({Visit.Status.SCHEDULED, Visit.Status.SELF_ASSESSMENT})
# While the team appraises, the commune may still answer a request for explanation.
ANSWERING_STATUSES = frozenset({Visit.Status.SUBMITTED, Visit.Status.APPRAISING})
EXTENDABLE_STATUSES = frozenset({Visit.Status.SCHEDULED, Visit.Status.SELF_ASSESSMENT, Visit.Status.SUBMITTED})


@dataclass(frozen=True)
class SelfAssessmentState:
    """Where a visit's self-assessment stands today, and why it may or may not change."""

    status: str
    deadline: dt.date | None
    extended: bool
    days_left: int | None
    editable: bool
    submitted: bool
    reason: str

    @property
    def deadline_passed(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def can_submit(self) -> bool:
        return self.editable

    @property
    def can_withdraw(self) -> bool:
        return self.submitted and self.status == Visit.Status.SUBMITTED and not self.deadline_passed

    @property
    def can_extend(self) -> bool:
        return self.status in EXTENDABLE_STATUSES


def date_text(value: dt.date) -> str:
    """A date as the user's language writes it (dd/mm/yyyy in Vietnamese)."""
    return date_format(value, "SHORT_DATE_FORMAT")


def self_assessment_state(*, visit: Visit, today: dt.date | None = None) -> SelfAssessmentState:
    """Compute the state of the visit's self-assessment on `today` (the local date by default)."""
    today = today or timezone.localdate()
    deadline = visit.effective_deadline
    days_left = (deadline - today).days if deadline else None
    passed = days_left is not None and days_left < 0
    extended = bool(visit.self_assessment_deadline) and (
        visit.self_assessment_deadline != visit.plan.self_assessment_deadline
    )
    status = visit.status
    submitted = status not in EDITABLE_STATUSES
    if status == Visit.Status.SUBMITTED:
        reason = _(
            "The self-assessment was submitted. Until the deadline the commune lead can withdraw it to make changes."
        )
        if passed:
            reason = _("The self-assessment was submitted and its deadline (%(date)s) has passed.") % {
                "date": date_text(deadline)
            }
    elif status not in EDITABLE_STATUSES:
        reason = _("The inspection team is appraising or has concluded this visit; the self-assessment is closed.")
    elif passed:
        reason = _(
            "The deadline for the self-assessment was %(date)s. Changes are no longer accepted. If your commune "
            "needs more time, ask the district secretariat (Home Affairs office) to extend its deadline."
        ) % {"date": date_text(deadline)}
    else:
        reason = ""
    return SelfAssessmentState(
        status=status,
        deadline=deadline,
        extended=extended,
        days_left=days_left,
        editable=status in EDITABLE_STATUSES and not passed,
        submitted=submitted,
        reason=reason,
    )


def _lock_visit(visit: Visit) -> Visit:
    """Lock the visit's row for the rest of the transaction and reload it, so two saves cannot interleave."""
    # One read locks the row and reloads it with its plan; only the visit's row is locked, not the plan's.
    visit.refresh_from_db(from_queryset=Visit.objects.select_for_update(of=("self",)).select_related("plan"))
    return visit


def leaf_criterion(*, visit: Visit, criterion_id, known: Criterion | None = None) -> Criterion:
    """The scored (leaf) criterion of the visit's criteria set, or ValidationError.

    `known` is the criterion as a scoped selector already read it as a leaf in this request: it is not read again.
    """
    if (
        known is not None
        and getattr(known, "read_as_leaf", False)
        and known.pk == criterion_id
        and known.criteria_set_id == visit.plan.criteria_set_id
    ):
        return known
    children = Criterion.objects.filter(parent=OuterRef("pk"))
    criterion = (
        Criterion.objects.filter(pk=criterion_id, criteria_set_id=visit.plan.criteria_set_id)
        .exclude(Exists(children))
        .first()
    )
    if criterion is None:
        raise ValidationError(_("This criterion is not scored in this campaign's criteria set."), code="criterion")
    return criterion


def validate_self_score(*, criterion: Criterion, value: Decimal | None) -> None:
    """Refuse a score outside 0..maximum, or not one of the criterion's fixed options."""
    if value is None:
        return
    if value < 0 or value > criterion.max_score:
        raise ValidationError(score_range_message(criterion.max_score), code="range")
    if criterion.scoring_options:
        allowed = {Decimal(str(option["score"])) for option in criterion.scoring_options}
        if value not in allowed:
            raise ValidationError(
                _("Choose one of the scores the guidance allows: %(options)s.")
                % {"options": ", ".join(_number(v) for v in sorted(allowed))},
                code="option",
            )


def _number(value: Decimal) -> str:
    return score_text(value)


@transaction.atomic
def score_save_self(
    *,
    visit: Visit,
    criterion_id: int,
    user,
    self_score: Decimal | None,
    explanation: str,
    version: int | None,
    not_applicable: bool = False,
    criterion: Criterion | None = None,
) -> CriterionScore:
    """Save the commune's score and explanation of one criterion.

    Creates the score row when missing. While the self-assessment is open both may
    change; once submitted, only the explanation of a criterion the team asked about.
    `criterion`, when the caller's selector read it already, spares reading it again.
    Raises PermissionDenied for people outside the commune, ValidationError (code
    "locked", "conflict", "range", "option") when the save is refused; a conflict
    means someone else saved the criterion since the form was shown.
    """
    rights.require(rights.can_work_for_commune(user, visit))
    visit = _lock_visit(visit)
    state = self_assessment_state(visit=visit)
    criterion = leaf_criterion(visit=visit, criterion_id=criterion_id, known=criterion)
    score, _created = CriterionScore.objects.select_for_update().get_or_create(
        visit=visit, criterion=criterion, defaults={"max_score": criterion.max_score, "version": 0}
    )
    explanation = (explanation or "").strip()
    declared = score.not_applicable == CriterionScore.NotApplicable.DECLARED
    answering = (
        not state.editable
        and visit.status in ANSWERING_STATUSES
        and score.explanation_requested
        and self_score == score.self_score
        and not_applicable == declared
    )
    if not state.editable and not answering:
        raise ValidationError(state.reason, code="locked")
    if version is not None and version != score.version:
        unchanged = (
            score.self_score == self_score and score.self_explanation == explanation and not_applicable == declared
        )
        if not unchanged:
            who = score.self_by.get_full_name() if score.self_by else _("someone else")
            raise ValidationError(
                _(
                    "%(who)s saved this criterion while you were editing it (score %(score)s). Your entries are "
                    "kept below: check them and save again to replace the other version."
                )
                % {"who": who, "score": _number(score.self_score) if score.self_score is not None else "—"},
                code="conflict",
            )
    if not_applicable:
        if not criterion.may_be_not_applicable:
            raise ValidationError(_("The criteria set does not allow this criterion to be declared not applicable."))
        if self_score is not None:
            raise ValidationError(
                _("A criterion declared not applicable has no score: clear the score or untick the box."),
                code="not_applicable",
            )
        if not explanation:
            raise ValidationError(
                _("Say why the criterion does not apply to the commune (for example: no such case arose in the year)."),
                code="not_applicable",
            )
    else:
        validate_self_score(criterion=criterion, value=self_score)
    if score.self_score == self_score and score.self_explanation == explanation and not_applicable == declared:
        return score
    score.self_score = self_score
    score.self_explanation = explanation
    if not_applicable != declared:
        score.not_applicable = (
            CriterionScore.NotApplicable.DECLARED if not_applicable else CriterionScore.NotApplicable.NO
        )
    score.not_applicable_reason = explanation if not_applicable else ""
    score.self_by = user
    score.self_at = timezone.now()
    score.version += 1
    score.save(
        update_fields=[
            "self_score",
            "self_explanation",
            "not_applicable",
            "not_applicable_reason",
            "self_by",
            "self_at",
            "version",
        ]
    )
    if answering and explanation:
        events.explanation_given(visit, criterion)
    if visit.status == Visit.Status.SCHEDULED:
        # The first saved criterion opens the self-assessment.
        visit.status = Visit.Status.SELF_ASSESSMENT
        visit.save(update_fields=["status"])
    return score


@dataclass(frozen=True)
class Gaps:
    """What keeps a self-assessment from being submitted."""

    unscored: list[str]
    unexplained: list[str]

    def __bool__(self) -> bool:
        return bool(self.unscored or self.unexplained)


def self_assessment_gaps(*, visit: Visit) -> Gaps:
    """The codes of leaf criteria without a score, and of scored ones with neither evidence nor explanation."""
    children = Criterion.objects.filter(parent=OuterRef("pk"))
    leaves = list(
        Criterion.objects.filter(criteria_set_id=visit.plan.criteria_set_id)
        .exclude(Exists(children))
        .order_by("order", "code")
        .values_list("id", "code")
    )
    scores = {
        row["criterion_id"]: row
        for row in CriterionScore.objects.filter(visit=visit)
        .order_by()
        .values("criterion_id", "self_score", "self_explanation", "not_applicable")
    }
    evidenced = set(
        Evidence.objects.filter(visit=visit, deleted_at__isnull=True).values_list("criterion_id", flat=True)
    )
    unscored, unexplained = [], []
    for criterion_id, code in leaves:
        row = scores.get(criterion_id)
        if row is not None and row["not_applicable"] != CriterionScore.NotApplicable.NO:
            # Declared not applicable: the reason is its explanation, required when declaring.
            continue
        if row is None or row["self_score"] is None:
            unscored.append(code)
        elif criterion_id not in evidenced and not row["self_explanation"].strip():
            unexplained.append(code)
    return Gaps(unscored=unscored, unexplained=unexplained)


def _codes(codes: list[str], limit: int = 12) -> str:
    shown = ", ".join(codes[:limit])
    if len(codes) > limit:
        shown += " " + _("and %(count)s more") % {"count": len(codes) - limit}
    return shown


@transaction.atomic
def self_assessment_submit(*, visit: Visit, user) -> Visit:
    """Submit the commune's self-assessment to the inspection team.

    Only the commune lead, only before the deadline, and only when every criterion is
    scored and each score has evidence or an explanation. Raises PermissionDenied or
    ValidationError (codes "locked", "incomplete").
    """
    rights.require(
        rights.can_lead_commune(user, visit),
        _("Only the commune lead (Chairman of the People's Committee) can submit the self-assessment."),
    )
    visit = _lock_visit(visit)
    state = self_assessment_state(visit=visit)
    if not state.editable:
        raise ValidationError(state.reason, code="locked")
    gaps = self_assessment_gaps(visit=visit)
    if gaps:
        messages = []
        if gaps.unscored:
            messages.append(_("Criteria not yet scored: %(codes)s.") % {"codes": _codes(gaps.unscored)})
        if gaps.unexplained:
            messages.append(
                _("Criteria that need an explanation or evidence: %(codes)s.") % {"codes": _codes(gaps.unexplained)}
            )
        messages.insert(0, _("The self-assessment cannot be submitted yet."))
        raise ValidationError([ValidationError(message, code="incomplete") for message in messages])
    visit.status = Visit.Status.SUBMITTED
    visit.self_submitted_at = timezone.now()
    visit.self_submitted_by = user
    visit.save(update_fields=["status", "self_submitted_at", "self_submitted_by"])
    events.self_assessment_sent(visit, withdrawn=False)
    return visit


@transaction.atomic
def self_assessment_withdraw(*, visit: Visit, user) -> Visit:
    """Take a submitted self-assessment back so the commune can change it; only the lead, only before the deadline.

    Raises PermissionDenied or ValidationError (code "locked").
    """
    rights.require(
        rights.can_lead_commune(user, visit),
        _("Only the commune lead (Chairman of the People's Committee) can withdraw the self-assessment."),
    )
    visit = _lock_visit(visit)
    state = self_assessment_state(visit=visit)
    if not state.can_withdraw:
        if visit.status != Visit.Status.SUBMITTED:
            raise ValidationError(
                _("Only a submitted self-assessment can be withdrawn, before the team starts appraising."),
                code="locked",
            )
        raise ValidationError(state.reason, code="locked")
    visit.status = Visit.Status.SELF_ASSESSMENT
    visit.self_submitted_at = None
    visit.self_submitted_by = None
    visit.save(update_fields=["status", "self_submitted_at", "self_submitted_by"])
    events.self_assessment_sent(visit, withdrawn=True)
    return visit


@transaction.atomic
def visit_deadline_extend(*, visit: Visit, user, deadline: dt.date, reason: str = "") -> Visit:
    """Give one commune a later self-assessment deadline (the secretariat's decision).

    The reason, if any, is kept in the visit's history. Raises PermissionDenied, or
    ValidationError when the date is past or the team already appraises the visit.
    """
    rights.require(
        rights.can_extend_deadline(user, visit),
        _("Only the secretariat can extend a commune's self-assessment deadline."),
    )
    visit = _lock_visit(visit)
    if visit.status not in EXTENDABLE_STATUSES:
        raise ValidationError(
            _("The team is already appraising this visit; its self-assessment deadline can no longer change."),
            code="locked",
        )
    if deadline < timezone.localdate():
        raise ValidationError(_("The new deadline cannot be in the past."), code="past")
    visit.self_assessment_deadline = deadline
    visit._change_reason = (reason or _("Self-assessment deadline extended")).strip()[:100]
    visit.save(update_fields=["self_assessment_deadline"])
    events.deadline_extended(visit)
    return visit
