"""The self-assessment sheet of a visit: the criteria tree with scores, evidence, forms and progress.

Built in four queries whatever the number of criteria, so templates trigger none.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ... import selectors, uploads
from ...forms.portal import EvidenceForm, FreshScoreForm, SelfScoreForm
from ...models import Criterion, CriterionScore, Evidence, ReviewArea, Visit
from ...services.portal import rights
from ...services.portal.self_assessment import ANSWERING_STATUSES, SelfAssessmentState, self_assessment_state

ZERO = Decimal("0")


@dataclass
class LeafRow:
    """One scored criterion: the commune's score and explanation, its evidence and the forms to change them."""

    criterion: Criterion
    score: CriterionScore | None
    evidence: list[Evidence]
    form: SelfScoreForm | None = None
    upload_form: EvidenceForm | None = None
    # The empty upload fields, drawn once for the page and given this criterion's prefix.
    upload_html: SafeString | None = None
    can_edit: bool = False
    can_upload: bool = False
    can_delete: bool = False
    answering: bool = False
    saved: bool = False
    problems: list[str] = field(default_factory=list)
    # The card written in Python (sheet_html) for an ordinary row; None: the template writes it.
    html: SafeString | None = None

    @property
    def self_score(self):
        return self.score.self_score if self.score else None

    @property
    def explanation(self) -> str:
        return self.score.self_explanation if self.score else ""

    @property
    def not_applicable(self) -> str:
        """The commune's declaration that the criterion does not apply, and the team's decision on it ("" for none)."""
        return self.score.not_applicable if self.score else ""

    @property
    def not_applicable_label(self) -> str:
        return self.score.get_not_applicable_display() if self.score and self.score.not_applicable else ""

    @property
    def is_scored(self) -> bool:
        return self.self_score is not None or bool(self.not_applicable)

    @property
    def is_evidenced(self) -> bool:
        return bool(self.evidence)

    @property
    def needs_explanation(self) -> bool:
        """Scored, but with neither evidence nor a written explanation (the Ministry's guidance asks for one)."""
        return self.is_scored and not self.is_evidenced and not self.explanation.strip()

    @property
    def is_complete(self) -> bool:
        return self.is_scored and not self.needs_explanation

    @property
    def explanation_request(self) -> str:
        if self.score and self.score.explanation_requested:
            return self.score.explanation_request
        return ""


@dataclass
class Node:
    """A line of the tree: a parent criterion as a heading, or a leaf with its row."""

    criterion: Criterion
    leaf: LeafRow | None


@dataclass
class AreaBlock:
    area: ReviewArea
    nodes: list[Node] = field(default_factory=list)

    @property
    def leaves(self) -> list[LeafRow]:
        return [node.leaf for node in self.nodes if node.leaf]

    @property
    def max_score(self) -> Decimal:
        return sum((row.criterion.max_score for row in self.leaves), ZERO)

    @property
    def self_score(self) -> Decimal:
        return sum((row.self_score or ZERO for row in self.leaves), ZERO)

    @property
    def scored(self) -> int:
        return sum(1 for row in self.leaves if row.is_scored)


@dataclass
class Progress:
    """How far the commune has come: criteria scored, evidenced, and still needing an explanation."""

    total: int
    scored: int
    evidenced: int
    complete: int
    needs_explanation: int
    self_score: Decimal
    max_score: Decimal

    @staticmethod
    def _percent(part: int, whole: int) -> int:
        return round(part * 100 / whole) if whole else 0

    @property
    def scored_percent(self) -> int:
        return self._percent(self.scored, self.total)

    @property
    def complete_percent(self) -> int:
        return self._percent(self.complete, self.total)

    @property
    def ready(self) -> bool:
        return self.total > 0 and self.complete == self.total

    @classmethod
    def of(cls, leaves) -> "Progress":
        """The progress of every scored criterion's row, counted in one pass."""
        scored = evidenced = complete = needs_explanation = 0
        self_score = max_score = ZERO
        for row in leaves:
            scored += row.is_scored
            evidenced += row.is_evidenced
            needs_explanation += row.needs_explanation
            complete += row.is_complete
            self_score += row.self_score or ZERO
            max_score += row.criterion.max_score
        return cls(
            total=len(leaves),
            scored=scored,
            evidenced=evidenced,
            complete=complete,
            needs_explanation=needs_explanation,
            self_score=self_score,
            max_score=max_score,
        )


@dataclass
class Sheet:
    visit: Visit
    state: SelfAssessmentState
    areas: list[AreaBlock]
    rows: dict[int, LeafRow]
    progress: Progress
    can_work: bool
    can_lead: bool
    can_extend: bool


def _score_initial(score) -> dict:
    initial = {"version": score.version if score else 0}
    if score is not None:
        initial.update(
            self_score=score.self_score,
            self_explanation=score.self_explanation,
            not_applicable=score.not_applicable != CriterionScore.NotApplicable.NO,
        )
    return initial


def _score_form(criterion, score, *, score_locked: bool) -> SelfScoreForm | FreshScoreForm:
    """The unbound score form of a card: a stand-in written from the page's prototype where it can be."""
    if criterion.scoring_options:
        return SelfScoreForm(criterion=criterion, initial=_score_initial(score), score_locked=score_locked)
    return FreshScoreForm(criterion, score_locked=score_locked, initial=_score_initial(score))


# The prefix the shared empty upload fields are drawn with, replaced by each criterion's own.
_UPLOAD_PREFIX = "e-criterion-"


class _EmptyUploadFields:
    """The empty upload fields of every criterion: rendered once, then given each criterion's prefix.

    They differ between criteria only by their prefix (e12-file, e13-file…); rendering them
    97 times was most of the sheet's cost.
    """

    # The same text for every request in a language and under one size limit: drawn once per process.
    # With DEBUG on it is drawn on each request, so that a changed template shows at once.
    _drawn: dict[tuple, str] = {}

    def __init__(self):
        self._html = None

    def _draw(self) -> str:
        key = (get_language(), uploads.max_upload_bytes())
        html = None if settings.DEBUG else self._drawn.get(key)
        if html is None:
            form = EvidenceForm(prefix=_UPLOAD_PREFIX[:-1])
            html = render_to_string("inspections/portal/_upload_fields.html", {"form": form})
            self._drawn[key] = html
        return html

    def for_criterion(self, criterion_id: int) -> SafeString:
        if self._html is None:
            self._html = self._draw()
        # Bandit B308/B703 (mark_safe) reviewed: the text is a rendered, autoescaped template of
        # the empty form; only the prefix changes, to one made of an integer id.
        return mark_safe(self._html.replace(_UPLOAD_PREFIX, f"e{int(criterion_id)}-"))  # nosec


def build_sheet(
    request,
    visit: Visit,
    *,
    bound: dict | None = None,
    saved_id: int | None = None,
    problems: dict[int, list[str]] | None = None,
) -> Sheet:
    """Assemble the sheet for the user.

    `bound` maps a criterion id to its forms bound to what the user typed, `saved_id`
    marks the criterion just saved, `problems` carries refusals to show on a criterion.
    """
    user = request.user
    bound = bound or {}
    problems = problems or {}
    state = self_assessment_state(visit=visit)
    can_work = rights.can_work_for_commune(user, visit)
    criteria = list(
        Criterion.objects.filter(criteria_set_id=visit.plan.criteria_set_id)
        .select_related("area")
        .order_by("area__order", "area__number", "order", "code")
    )
    parent_ids = {c.parent_id for c in criteria if c.parent_id}
    # The sheet holds the visit and the criteria already: scores and files are read without joining them again.
    # Unordered: the scores' default order would join the visit, plan and unit to sort a dict's rows.
    scores = {
        s.criterion_id: s for s in selectors.score_list_for_user(user, visit=visit).select_related(None).order_by()
    }
    evidence: dict[int, list[Evidence]] = {}
    for item in (
        selectors.visit_evidence_for_user(user, visit=visit)
        .filter(criterion__isnull=False)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    ):
        evidence.setdefault(item.criterion_id, []).append(item)
    areas: dict[int, AreaBlock] = {}
    rows: dict[int, LeafRow] = {}
    empty_upload = _EmptyUploadFields()
    for criterion in criteria:
        block = areas.setdefault(criterion.area_id, AreaBlock(area=criterion.area))
        if criterion.pk in parent_ids:
            block.nodes.append(Node(criterion=criterion, leaf=None))
            continue
        row = _leaf_row(
            visit,
            state,
            can_work,
            criterion,
            scores.get(criterion.pk),
            evidence.get(criterion.pk, []),
            saved=criterion.pk == saved_id,
            problems=problems.get(criterion.pk, []),
        )
        _give_forms(row, bound.get(criterion.pk, {}), empty_upload)
        rows[criterion.pk] = row
        block.nodes.append(Node(criterion=criterion, leaf=row))
    progress = Progress.of(list(rows.values()))
    ordered = sorted(areas.values(), key=lambda b: (b.area.order, b.area.number))
    return Sheet(
        visit=visit,
        state=state,
        areas=ordered,
        rows=rows,
        progress=progress,
        can_work=can_work,
        can_lead=rights.can_lead_commune(user, visit),
        can_extend=rights.can_extend_deadline(user, visit),
    )


def _leaf_row(visit, state, can_work: bool, criterion, score, evidence, *, saved: bool, problems: list) -> LeafRow:
    """One criterion's row: what the commune may still do with it follows the state and the team's question."""
    answering = (
        can_work
        and not state.editable
        and visit.status in ANSWERING_STATUSES
        and bool(score and score.explanation_requested)
    )
    return LeafRow(
        criterion=criterion,
        score=score,
        evidence=evidence,
        can_edit=can_work and (state.editable or answering),
        can_upload=can_work and (state.editable or answering),
        can_delete=can_work and state.editable,
        answering=answering,
        saved=saved,
        problems=problems,
    )


@dataclass
class Card:
    """One criterion's card after a save or an upload, with what else on the page the change may alter.

    The progress of the whole sheet, the sums of the criterion's area, and the state and rights the
    status card's badge and submit form follow (the first save opens the self-assessment).
    """

    visit: Visit
    row: LeafRow
    progress: Progress
    area: AreaBlock
    state: SelfAssessmentState
    can_work: bool
    can_lead: bool


# Read before a save: the score row is read unless the caller already holds it (None: there is none).
UNREAD = object()


class _Figures(NamedTuple):
    """What the progress needs of a criterion's score, read as values rather than as a score row."""

    self_score: Decimal | None
    self_explanation: str
    not_applicable: str


class _Maximum(NamedTuple):
    max_score: Decimal


# The progress asks only whether a criterion has files: this stands for "at least one".
_SOME_FILES = (None,)


def build_card(
    request,
    visit: Visit,
    criterion: Criterion,
    *,
    score=UNREAD,
    forms: dict | None = None,
    saved: bool = False,
    problems: list[str] | None = None,
) -> Card:
    """Assemble one criterion's card for an htmx answer, and the progress of every criterion.

    `score` is the criterion's score row as the caller holds it (just saved, say); `forms`
    the card's forms bound to what the user typed. The other criteria are read as figures
    for the progress only: no row, form or file of theirs is built.
    """
    user = request.user
    state = self_assessment_state(visit=visit)
    can_work = rights.can_work_for_commune(user, visit)
    if score is UNREAD:
        scores = selectors.score_list_for_user(user, visit=visit).select_related(None)
        score = scores.filter(criterion=criterion).order_by().first()
    elif score is not None:
        score = _as_stored(score)
    # The visit's files the user may open, its access filter made once for both reads below.
    visit_files = selectors.visit_evidence_for_user(user, visit=visit).filter(criterion__isnull=False)
    files = list(
        visit_files.filter(criterion=criterion)
        .select_related(None)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    )
    row = _leaf_row(visit, state, can_work, criterion, score, files, saved=saved, problems=problems or [])
    _give_forms(row, forms or {}, _EmptyUploadFields())
    figures = {
        criterion_id: _Figures(*values)
        for criterion_id, *values in selectors.score_list_for_user(user, visit=visit)
        .order_by()
        .values_list("criterion_id", "self_score", "self_explanation", "not_applicable")
    }
    evidenced = set(visit_files.order_by().values_list("criterion_id", flat=True))
    criteria = list(
        Criterion.objects.filter(criteria_set_id=visit.plan.criteria_set_id)
        .order_by()
        .values_list("pk", "parent_id", "max_score", "area_id")
    )
    parent_ids = {parent_id for _pk, parent_id, _maximum, _area_id in criteria if parent_id}
    leaves = []
    area = AreaBlock(area=criterion.area)
    for pk, _parent_id, maximum, area_id in criteria:
        if pk in parent_ids:
            continue
        leaf = (
            row
            if pk == criterion.pk
            else LeafRow(
                criterion=_Maximum(maximum),
                score=figures.get(pk),
                evidence=_SOME_FILES if pk in evidenced else [],
            )
        )
        leaves.append(leaf)
        if area_id == criterion.area_id:
            area.nodes.append(Node(criterion=leaf.criterion, leaf=leaf))
    return Card(
        visit=visit,
        row=row,
        progress=Progress.of(leaves),
        area=area,
        state=state,
        can_work=can_work,
        can_lead=rights.can_lead_commune(user, visit),
    )


def _as_stored(score: CriterionScore) -> CriterionScore:
    # A score just saved holds the number as typed (0.5); the database keeps two decimals (0.50), as a re-read shows it.
    if score.self_score is not None:
        score.self_score = score.self_score.quantize(Decimal("0.01"))
    return score


def _give_forms(row: LeafRow, forms: dict, empty_upload: _EmptyUploadFields) -> None:
    """The row's score and upload forms: those bound to what the user typed, else fresh ones."""
    if row.can_edit:
        row.form = forms.get("score") or _score_form(row.criterion, row.score, score_locked=row.answering)
        row.upload_form = forms.get("upload")
        if row.upload_form is None:
            row.upload_html = empty_upload.for_criterion(row.criterion.pk)
    else:
        # A save refused because the self-assessment closed meanwhile: show what was typed, with the reason.
        row.form, row.upload_form = forms.get("score"), forms.get("upload")


def bound_score_form(criterion: Criterion, data, *, score: CriterionScore | None, score_locked: bool) -> SelfScoreForm:
    """The score form of one criterion bound to the posted data; `score` is its row as just read (or None)."""
    initial = _locked_initial(score)
    if score_locked and "not_applicable" in initial:
        data = data.copy()
        data[f"c{criterion.pk}-not_applicable"] = "on" if initial["not_applicable"] else ""
    return SelfScoreForm(data, criterion=criterion, score_locked=score_locked, initial=initial)


def _locked_initial(score: CriterionScore | None) -> dict:
    # A disabled field takes its value from `initial`, never from the posted data.
    return {
        "self_score": score.self_score if score else None,
        "not_applicable": bool(score and score.not_applicable != CriterionScore.NotApplicable.NO),
    }
