"""The appraisal workspace of a visit: the inspector's criteria, scores saved in place, findings, re-checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from ... import gaps, permissions, scoring, selectors
from ...audit import visit_history
from ...forms.appraisal import AnswerForm, FindingForm, RecheckForm, ScoreForm
from ...forms.scoring_methods import AdjustmentForm
from ...history_html import history_table
from ...models import AdjustmentItem, Criterion, Finding, Minutes, ReviewArea, VisitAdjustment
from ...services import appraisal, scoring_methods
from ...workspace_html import AreaTotalsWriter, ScoreRowWriter, writes_plainly
from .appeal import appeal_context
from .common import add_service_errors, evidence_url, visit_for_reading, visit_for_workspace, visit_links

# The latest changes shown under the workspace (asked for from the history page's address); the page lists them all.
HISTORY_ON_WORKSPACE = 15


class CriterionRow:
    """One criterion on the page: the commune's claim, the evidence and the appraisal form."""

    def __init__(self, criterion, score, evidence, form, *, editable, conflict=None, saved=False):
        self.criterion, self.score, self.evidence, self.form = criterion, score, evidence, form
        self.editable, self.conflict, self.saved = editable, conflict, saved
        # The row's card when written in Python (workspace_html); None: the template writes it.
        self.html = None

    @property
    def gap(self):
        """appraised − self, once both are given."""
        return self.score.gap if self.score is not None else None

    @property
    def gap_is_large(self) -> bool:
        return gaps.is_large_gap(self.gap, self.criterion.max_score)


class WrittenRows:
    """Consecutive rows written in Python, put on the page as one piece: the template's loop runs once for them."""

    def __init__(self, html):
        self.parts = [html]

    def add(self, html):
        self.parts.append(html)

    @cached_property
    def html(self):
        # Bandit B308/B703 (mark_safe) reviewed: each part is a SafeString of ScoreRowWriter, which escapes every value.
        return mark_safe("".join(self.parts))  # nosec


def _score_form(criterion, score, data=None):
    initial = {"version": score.version if score else 0}
    if score is not None:
        initial.update(
            appraised_score=score.appraised_score,
            appraised_comment=score.appraised_comment,
            explanation_requested=score.explanation_requested,
            explanation_request=score.explanation_request,
        )
    return ScoreForm(data, criterion=criterion, initial=initial)


def _attach_urls(evidence_by_criterion):
    for files in evidence_by_criterion.values():
        for evidence in files:
            evidence.url = evidence_url(evidence)
    return evidence_by_criterion


def _area_totals(visit, area_ids):
    result = scoring.visit_results(
        visits=[visit], criteria_set=visit.plan.criteria_set, read_unsigned=not visit.is_locked
    )[visit.pk]
    # Each area result carries the area's number and title (as signed, once the minutes are).
    totals = [(area, area) for area in result.ordered_areas if area.area_id in area_ids]
    return result, totals


def _finding_forms(request, visit, area_ids, data=None):
    areas = ReviewArea.objects.filter(pk__in=area_ids).order_by("order", "number")
    criteria = Criterion.objects.filter(area_id__in=area_ids).order_by("order", "code")
    return FindingForm(data, areas=areas, criteria=criteria, prefix="finding")


def _empty_finding_form(request, visit, area_ids, page_criteria):
    """The finding form of the page, its choices from the criteria the page has read."""
    form = _finding_forms(request, visit, area_ids)
    form.offer(areas=page_criteria.areas, criteria=page_criteria.criteria)
    return form


def _error_text(form) -> str:
    """A form's errors as a sentence: each message after its field's label, never the field's name."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        text = " ".join(errors)
        parts.append(f"{field.label}: {text}" if field is not None and field.label else text)
    return " ".join(parts)


def _workspace_context(request, visit, *, finding_form=None, appeal_bound=None, adjustment_form=None):
    user = request.user
    area_ids = permissions.appraisal_area_ids(user, visit.plan)
    page_criteria = selectors.workspace_criteria(visit=visit, area_ids=area_ids)
    scores = selectors.workspace_scores_by_criterion(
        user, visit=visit, criterion_ids=[c.pk for c in page_criteria.scored]
    )
    evidence, contest_files = selectors.workspace_evidence(user, visit=visit)
    _attach_urls(evidence)
    closed_reason = permissions.appraisal_blocked_reason(user, visit)
    editable = not visit.is_locked and not closed_reason
    appeal_part = appeal_context(request, visit, bound=appeal_bound, contest_files=contest_files)
    # Published scores change only through the commune's contests (services.appeal).
    scores_editable = editable and not appeal_part["frozen_reason"]
    contested = {contest.criterion_id for contest in appeal_part["contests"]}
    rows = [
        CriterionRow(
            c, scores.get(c.pk), evidence.get(c.pk, []), None, editable=scores_editable and c.pk not in contested
        )
        for c in page_criteria.scored
    ]
    writer = ScoreRowWriter(visit=visit, csrf_token=get_token(request))
    for row in rows:
        # Ordinary rows are written without a form; the others keep the template and their form.
        if writes_plainly(row):
            row.html = writer.write(row, visit)
        else:
            row.form = _score_form(row.criterion, row.score)
    grouped = {}
    for row in rows:
        area_rows = grouped.setdefault(row.criterion.area, [])
        if row.html is not None and area_rows and isinstance(area_rows[-1], WrittenRows):
            area_rows[-1].add(row.html)
        else:
            area_rows.append(WrittenRows(row.html) if row.html is not None else row)
    result, totals = _area_totals(visit, area_ids)
    findings = list(
        selectors.finding_list_for_user(user, visit=visit)
        .select_related(None)
        # Who answered or re-checked apart: joined too, they made PostgreSQL plan nine tables (2 ms) for a
        # few rows, and read apart they cost no query while no finding has them.
        .select_related("area", "criterion", "carried_from__visit__plan")
        .prefetch_related("answered_by", "rechecked_by")
        .order_by("kind", "created_at", "id")
    )
    for finding in findings:
        finding.visit = visit
        # The area rule of editing a finding: its re-check, answer and edit are offered only to those it allows.
        finding.may_act = bool(area_ids) and (finding.area_id is None or finding.area_id in area_ids)
    carried = [f for f in findings if f.carried_from_id and f.is_actionable]
    questions = [f for f in findings if f.kind == Finding.Kind.QUESTION]
    own = [f for f in findings if not f.carried_from_id and f.kind != Finding.Kind.QUESTION]
    minutes = Minutes.objects.filter(visit=visit).select_related("signed_by").first()
    may_record_adjustment = scoring_methods.can_record_adjustment(user, visit)
    has_items = AdjustmentItem.objects.filter(criteria_set_id=visit.plan.criteria_set_id).exists()
    return {
        "adjustments": list(
            VisitAdjustment.objects.filter(visit=visit)
            .select_related("item", "recorded_by")
            .order_by("item__kind", "item__order", "recorded_at")
        ),
        "may_record_adjustment": may_record_adjustment and has_items,
        "has_adjustment_items": has_items,
        "adjustment_form": adjustment_form
        or (
            AdjustmentForm(criteria_set_id=visit.plan.criteria_set_id) if may_record_adjustment and has_items else None
        ),
        "visit": visit,
        "grouped_rows": list(grouped.items()),
        "area_totals": totals,
        "result": result,
        "has_areas": bool(area_ids),
        "closed_reason": closed_reason,
        "editable": editable and bool(area_ids),
        "finding_form": finding_form or _empty_finding_form(request, visit, area_ids, page_criteria),
        "findings": own,
        "carried": carried,
        "questions": questions,
        "answer_form": AnswerForm(),
        "minutes": minutes,
        "is_lead": permissions.is_team_lead(user, visit.plan),
        **appeal_part,
        **visit_links(user, visit),
    }


@login_required
def visit_workspace(request, pk):
    """The visit's appraisal page for the team: only the criteria of the user's group."""
    visit = visit_for_workspace(request, pk)
    return render(request, "inspections/district/workspace.html", _workspace_context(request, visit))


@login_required
@require_POST
def score_save(request, pk, criterion_pk):
    """Save one appraised score; htmx gets the row and the area totals back, others a redirect."""
    visit = visit_for_workspace(request, pk)
    criterion = selectors.criterion_score_get_for_user(request.user, visit=visit, criterion_pk=criterion_pk)
    area_ids = permissions.appraisal_area_ids(request.user, visit.plan)
    if criterion.area_id not in area_ids or visit.is_locked:
        permissions.check_appraise(request.user, visit, criterion.area_id)
    closed_reason = permissions.appraisal_blocked_reason(request.user, visit)
    if closed_reason:
        # A page loaded before the rule applied: say why, and show the workspace as it now is.
        messages.error(request, closed_reason)
        if request.htmx:
            return HttpResponseClientRedirect(visit_workspace_url(visit))
        return redirect("inspections:visit_workspace", pk=visit.pk)
    form = ScoreForm(request.POST, criterion=criterion)
    conflict, saved, score = None, False, None
    # The first appraisal moves the visit on (submitted → appraising): the page's badge is sent again.
    status_before = visit.status
    if form.is_valid():
        data = form.cleaned_data
        try:
            score = appraisal.score_appraise(
                visit=visit,
                criterion=criterion,
                user=request.user,
                appraised_score=data["appraised_score"],
                comment=data["appraised_comment"],
                explanation_requested=data["explanation_requested"],
                explanation_request=data["explanation_request"],
                expected_version=data["version"],
            )
            saved = True
            # The row just saved is written from its score: a form is made only if the template needs one.
            form = None
        except appraisal.ScoreConflict as error:
            conflict = error
            score = error.current
            # Keep what the inspector typed; the new version lets a deliberate second save replace the other value.
            posted = request.POST.copy()
            posted["version"] = str(score.version if score else 0)
            form = ScoreForm(posted, criterion=criterion)
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
    if score is None:
        score = selectors.workspace_scores_by_criterion(request.user, visit=visit, criterion_ids=[criterion.pk]).get(
            criterion.pk
        )
    if not request.htmx:
        if saved:
            messages.success(request, _("Score saved."))
        elif conflict:
            messages.error(request, conflict.messages[0])
        else:
            messages.error(request, _("The score was not saved: %(errors)s") % {"errors": _error_text(form)})
        return redirect("inspections:visit_workspace", pk=visit.pk)
    files = selectors.workspace_evidence_by_criterion(request.user, visit=visit, criterion_pk=criterion.pk)
    evidence = _attach_urls(files).get(criterion.pk, [])
    row = CriterionRow(criterion, score, evidence, form, editable=True, conflict=conflict, saved=saved)
    if writes_plainly(row):
        row.html = ScoreRowWriter(visit=visit, csrf_token=get_token(request)).write(row, visit)
    elif row.form is None:
        row.form = _score_form(criterion, score)
    result, totals = _area_totals(visit, area_ids)
    totals_html = AreaTotalsWriter().write(totals, result, oob=True)
    return render(
        request,
        "inspections/district/_score_saved.html",
        {
            "row": row,
            "visit": visit,
            "totals_html": totals_html,
            "editable": True,
            "status_changed": visit.status != status_before,
        },
    )


@login_required
def finding_create(request, pk):
    """Record a finding from the workspace."""
    visit = visit_for_workspace(request, pk)
    if request.method != "POST":
        return redirect("inspections:visit_workspace", pk=visit.pk)
    area_ids = permissions.appraisal_area_ids(request.user, visit.plan)
    if not area_ids or visit.is_locked:
        permissions.check_record_finding(request.user, visit, None)
    closed_reason = permissions.appraisal_blocked_reason(request.user, visit)
    if closed_reason:
        messages.error(request, closed_reason)
        return redirect("inspections:visit_workspace", pk=visit.pk)
    form = _finding_forms(request, visit, area_ids, data=request.POST)
    if form.is_valid():
        try:
            appraisal.finding_record(visit=visit, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Finding recorded."))
            return redirect(f"{visit_workspace_url(visit)}#findings")
    context = _workspace_context(request, visit, finding_form=form)
    return render(request, "inspections/district/workspace.html", context, status=200)


def visit_workspace_url(visit) -> str:
    from django.urls import reverse

    return reverse("inspections:visit_workspace", args=[visit.pk])


def _finding_for_team(request, pk):
    finding = selectors.finding_get_for_user(request.user, pk)
    if not permissions.can_open_workspace(request.user, finding.visit):
        raise PermissionDenied
    return finding


@login_required
def finding_edit(request, pk):
    """Change a finding recorded at a visit."""
    finding = _finding_for_team(request, pk)
    visit = finding.visit
    area_ids = permissions.appraisal_area_ids(request.user, visit.plan)
    permissions.check_record_finding(request.user, visit, finding.area_id)
    initial = {
        "kind": finding.kind,
        "area": finding.area_id,
        "criterion": finding.criterion_id,
        "text": finding.text,
        "recommendation": finding.recommendation,
        "due_date": finding.due_date,
    }
    form = _finding_forms(request, visit, area_ids, data=request.POST if request.method == "POST" else None)
    if request.method != "POST":
        form.initial = initial
    elif form.is_valid():
        try:
            appraisal.finding_update(finding=finding, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Finding saved."))
            return redirect(f"{visit_workspace_url(visit)}#findings")
    return render(
        request,
        "inspections/district/finding_edit.html",
        {"finding": finding, "visit": visit, "form": form, **visit_links(request.user, visit)},
    )


@login_required
@require_POST
def finding_recheck(request, pk):
    """Record whether a finding carried from last year is now remedied."""
    finding = _finding_for_team(request, pk)
    form = RecheckForm(request.POST)
    if form.is_valid():
        try:
            appraisal.finding_recheck(finding=finding, user=request.user, remedied=form.cleaned_data["remedied"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Re-check recorded."))
    else:
        messages.error(request, _("Choose remedied or still open."))
    return redirect(f"{visit_workspace_url(finding.visit)}#carried")


@login_required
@require_POST
def finding_answer(request, pk):
    """Answer a question raised by the commune."""
    finding = _finding_for_team(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            appraisal.finding_answer(finding=finding, user=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Answer recorded."))
    else:
        messages.error(request, _("Write the answer."))
    return redirect(f"{visit_workspace_url(finding.visit)}#questions")


@login_required
def visit_history_page(request, pk):
    """Every recorded change of the visit: who, when, old value, new value."""
    visit = visit_for_reading(request, pk)
    if request.htmx and request.GET.get("part") == "latest":
        # The workspace's last section, asked for when it comes into view: a page reloaded to appraise
        # the criteria at its top does not read the visit's history each time.
        return HttpResponse(history_table(visit_history(visit=visit, latest=HISTORY_ON_WORKSPACE)))
    return render(
        request,
        "inspections/district/visit_history.html",
        {"visit": visit, "entries": visit_history(visit=visit), **visit_links(request.user, visit)},
    )
