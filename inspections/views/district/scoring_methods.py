"""The team's decisions on "not applicable", bonus and penalty points at a visit, and the round's survey results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.folding import dictionary_order

from ... import permissions, scoring, selectors
from ...forms.scoring_methods import AdjustmentForm, NotApplicableDecisionForm, SurveyImportForm
from ...models import SurveyIndex, SurveyResult, VisitAdjustment
from ...services import scoring_methods as service
from .common import add_service_errors, plan_for_dashboard, visit_for_workspace

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workspace_url(visit, anchor: str = "") -> str:
    return reverse("inspections:visit_workspace", args=[visit.pk]) + (f"#{anchor}" if anchor else "")


@login_required
@require_POST
def not_applicable_decide(request, pk, criterion_pk):
    """Accept or refuse the commune's declaration that a criterion does not apply; back to the workspace."""
    visit = visit_for_workspace(request, pk)
    criterion = selectors.criterion_score_get_for_user(request.user, visit=visit, criterion_pk=criterion_pk)
    permissions.check_appraise(request.user, visit, criterion.area_id)
    form = NotApplicableDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept or refuse the declaration."))
        return redirect(_workspace_url(visit, f"score-row-{criterion.pk}"))
    accept = form.cleaned_data["decision"] == "accept"
    try:
        service.score_decide_not_applicable(
            visit=visit, criterion=criterion, user=request.user, accept=accept, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if accept:
            messages.success(request, _("Criterion %(code)s accepted as not applicable.") % {"code": criterion.code})
        else:
            messages.success(
                request, _("Declaration refused: criterion %(code)s is scored.") % {"code": criterion.code}
            )
    return redirect(_workspace_url(visit, f"score-row-{criterion.pk}"))


@login_required
def adjustment_record(request, pk):
    """Record a bonus or penalty at a visit; a refused entry comes back on the workspace with what was typed."""
    visit = visit_for_workspace(request, pk)
    if request.method != "POST":
        return redirect(_workspace_url(visit, "adjustments"))
    service.check_record_adjustment(request.user, visit)
    form = AdjustmentForm(request.POST, criteria_set_id=visit.plan.criteria_set_id)
    if form.is_valid():
        try:
            service.adjustment_record(visit=visit, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Bonus or penalty recorded."))
            return redirect(_workspace_url(visit, "adjustments"))
    from .workspace import _workspace_context

    context = _workspace_context(request, visit, adjustment_form=form)
    return render(request, "inspections/district/workspace.html", context)


@login_required
@require_POST
def adjustment_delete(request, pk):
    """Remove a bonus or penalty recorded by mistake."""
    # Read through the visits the user may see: another commune's adjustment is a 404, never a 403.
    visible = VisitAdjustment.objects.filter(visit__in=selectors.visit_list_for_user(request.user).values("pk"))
    adjustment = get_object_or_404(visible.select_related("visit", "item"), pk=pk)
    visit = visit_for_workspace(request, adjustment.visit_id)
    try:
        service.adjustment_delete(adjustment=adjustment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Bonus or penalty removed."))
    return redirect(_workspace_url(visit, "adjustments"))


def _survey_page(request, plan, form, *, status=200):
    visits = list(
        selectors.visit_list_for_user(request.user, plan=plan)
        .select_related("unit")
        .order_by(dictionary_order("unit__name"))
    )
    indices = list(SurveyIndex.objects.filter(criteria_set=plan.criteria_set_id).order_by("order", "code"))
    values = {
        (row.visit_id, row.index_id): row.value
        for row in SurveyResult.objects.filter(visit__in=visits, index__in=indices).only(
            "visit_id", "index_id", "value"
        )
    }
    results = scoring.visit_results(visits=visits, criteria_set=plan.criteria_set, criteria_lines=False)
    rows = [
        {
            "visit": visit,
            "values": [values.get((visit.pk, index.pk)) for index in indices],
            "points": results[visit.pk].survey_points if results[visit.pk].has_survey else None,
        }
        for visit in visits
    ]
    return render(
        request,
        "inspections/district/survey.html",
        {
            "plan": plan,
            "form": form,
            "indices": indices,
            "rows": rows,
            "criteria_set": plan.criteria_set,
            "may_import": permissions.can_set_up_plan(request.user, plan),
        },
        status=status,
    )


@login_required
def survey_import(request, pk):
    """The round's survey results per commune; the secretariat imports them from an .xlsx sheet, all or nothing."""
    plan = plan_for_dashboard(request, pk)
    if request.method != "POST":
        return _survey_page(request, plan, SurveyImportForm())
    if not permissions.can_set_up_plan(request.user, plan):
        raise PermissionDenied
    form = SurveyImportForm(request.POST, request.FILES)
    if form.is_valid():
        visits = list(selectors.visit_list_for_user(request.user, plan=plan).select_related("unit"))
        try:
            count = service.survey_results_import(
                plan=plan, visits=visits, user=request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Survey results imported for %(count)s communes.") % {"count": count})
            return redirect("inspections:survey_import", pk=plan.pk)
    return _survey_page(request, plan, form)


@login_required
def survey_sheet_example(request, pk):
    """An example survey sheet of the round: its communes and one column per sub-index."""
    plan = plan_for_dashboard(request, pk)
    visits = list(
        selectors.visit_list_for_user(request.user, plan=plan)
        .select_related("unit")
        .order_by(dictionary_order("unit__name"))
    )
    response = HttpResponse(service.survey_sheet_template(plan=plan, visits=visits), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-ket-qua-khao-sat.xlsx"'
    return response
