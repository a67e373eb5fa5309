"""The commune's side of the appeal: the team's published appraisal, contests, the declaration not to contest."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from ... import permissions, selectors, uploads
from ...forms.portal import ContestForm
from ...models import Criterion, CriterionScore, Evidence, ScoreContest
from ...services import appeal as service
from ...services.portal import rights
from .common import add_errors, flash_errors, post_action

PAGE = "inspections/portal/appraisal_result.html"


def appraisal_result_url(visit, criterion_id: int | None = None) -> str:
    url = reverse("inspections:appraisal_result", args=[visit.pk])
    return f"{url}#contest-{criterion_id}" if criterion_id else url


def result_page(request, pk, criterion_pk: int | None = None) -> str:
    """The appraisal result page of a visit the user sees (404 otherwise)."""
    return appraisal_result_url(selectors.visit_get_for_user(request.user, pk), criterion_pk)


@dataclass
class ResultRow:
    """One scored criterion: the commune's score, the team's (when visible), and its contest."""

    criterion: Criterion
    score: CriterionScore | None
    contest: ScoreContest | None
    evidence: list[Evidence] = field(default_factory=list)
    form: ContestForm | None = None

    @property
    def self_score(self):
        return self.score.self_score if self.score else None


def _rows(request, visit, *, visible: bool, can_contest: bool, bound: dict | None = None) -> list[ResultRow]:
    bound = bound or {}
    criteria = list(
        Criterion.objects.filter(criteria_set_id=visit.plan.criteria_set_id, children__isnull=True)
        .select_related("area")
        .order_by("area__order", "area__number", "order", "code")
    )
    scores = {s.criterion_id: s for s in selectors.score_list_for_user(request.user, visit=visit)}
    contests = {c.criterion_id: c for c in selectors.contest_list_for_user(request.user, visit=visit)}
    evidence = selectors.contest_evidence_for_user(request.user, visit=visit)
    rows = []
    for criterion in criteria:
        contest = contests.get(criterion.pk)
        row = ResultRow(
            criterion=criterion,
            score=scores.get(criterion.pk),
            contest=contest,
            evidence=evidence.get(contest.pk, []) if contest else [],
        )
        open_to_change = contest is None or contest.is_draft
        if visible and can_contest and open_to_change and row.score and row.score.appraised_score is not None:
            initial = {"explanation": contest.explanation} if contest else {}
            row.form = bound.get(criterion.pk) or ContestForm(prefix=f"k{criterion.pk}", initial=initial)
        rows.append(row)
    return rows


def _page(request, visit, *, bound: dict | None = None, status: int = 200):
    visible = selectors.appraisal_visible_to_user(request.user, visit)
    window = service.appeal_window(visit=visit)
    can_lead = rights.can_lead_commune(request.user, visit)
    can_work = rights.can_work_for_commune(request.user, visit)
    rows = _rows(request, visit, visible=visible, can_contest=can_work and window.is_open, bound=bound)
    context = {
        "visit": visit,
        "visible": visible,
        "window": window,
        "rows": rows,
        "can_lead": can_lead,
        "can_work": can_work,
        "may_open_workspace": permissions.can_open_workspace(request.user, visit),
        "pending": sum(1 for row in rows if row.contest and row.contest.is_pending),
        "drafts": sum(1 for row in rows if row.contest and row.contest.is_draft),
    }
    return render(request, PAGE, context, status=status)


@login_required
def appraisal_result(request, pk):
    """The team's appraisal as the commune sees it: its own scores, the team's once published, and contests."""
    visit = selectors.visit_get_for_user(request.user, pk)
    return _page(request, visit)


# The streaming upload handler must be in place before anything reads the body, and the
# CSRF check reads it: so the check is made by csrf_protect inside, after the handler is set.
@login_required
@post_action(result_page)
@csrf_exempt
def score_contest(request, pk, criterion_pk):
    """Contest one criterion's appraised score: the commune lead files it, the commune's staff save a draft for him."""
    visit = selectors.visit_get_for_user(request.user, pk)
    criterion = selectors.criterion_score_get_for_user(request.user, visit=visit, criterion_pk=criterion_pk)
    rights.require(rights.can_work_for_commune(request.user, visit))
    if not uploads.install_upload_guard(request):
        messages.error(request, uploads.too_large_error().messages[0])
        return redirect(appraisal_result_url(visit, criterion.pk))
    return _score_contest(request, visit, criterion)


@csrf_protect
def _score_contest(request, visit, criterion):
    form = ContestForm(
        request.POST,
        request.FILES,
        prefix=f"k{criterion.pk}",
        refused_names=getattr(request, "upload_refusals", ()),
    )
    if form.is_valid():
        data = form.cleaned_data
        files = rights.can_lead_commune(request.user, visit)
        act = service.score_contest_file if files else service.score_contest_prepare
        try:
            act(
                visit=visit,
                criterion_id=criterion.pk,
                user=request.user,
                explanation=data["explanation"],
                upload=data["file"],
                document_number=data["document_number"],
                document_date=data["document_date"],
                page_reference=data["page_reference"],
                description=data["description"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) in {"window", "twice"}:
                flash_errors(request, error)
                return redirect(appraisal_result_url(visit, criterion.pk))
            add_errors(form, error, "file")
        else:
            if files:
                done = _("Criterion %(code)s is contested. The inspection team will decide it in its second appraisal.")
            else:
                done = _("The contest of criterion %(code)s is saved as a draft; the commune lead files it.")
            messages.success(request, done % {"code": criterion.code})
            return redirect(appraisal_result_url(visit, criterion.pk))
    return _page(request, visit, bound={criterion.pk: form})


@login_required
@post_action(result_page)
def appeal_waive(request, pk):
    """The commune lead declares that the commune will not contest the appraisal (further)."""
    visit = selectors.visit_get_for_user(request.user, pk)
    try:
        service.appeal_waive(visit=visit, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Your declaration is recorded: the commune will not contest the appraisal."))
    return redirect(appraisal_result_url(visit))
