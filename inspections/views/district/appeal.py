"""The team's side of the appeal: publishing the first-round appraisal, deciding contests in the second."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ... import permissions, selectors
from ...forms.appraisal import ContestDecisionForm
from ...services import appeal as service
from .common import add_service_errors, evidence_url, visit_for_workspace


def _workspace_url(visit, anchor: str = "appeal") -> str:
    return f"{reverse('inspections:visit_workspace', args=[visit.pk])}#{anchor}"


def appeal_context(request, visit, *, bound: dict | None = None, contest_files: dict | None = None) -> dict:
    """What the workspace shows of the appeal: publication, the window, and each contest with its decision form.

    `contest_files`: the filed contests' evidence keyed by contest id, when the caller has read it already.
    """
    bound = bound or {}
    user = request.user
    area_ids = permissions.appraisal_area_ids(user, visit.plan)
    may_decide = bool(area_ids) and not permissions.appraisal_blocked_reason(user, visit) and not visit.is_locked
    if contest_files is None:
        contest_files = selectors.contest_evidence_for_user(user, visit=visit, filed_only=True)
    contests = list(
        selectors.contest_list_for_user(user, visit=visit, filed_only=True)
        .select_related(None)
        .select_related("criterion", "contested_by", "decided_by")
        .order_by("criterion__order", "criterion__code")
    )
    for contest in contests:
        contest.visit = visit
        contest.files = contest_files.get(contest.pk, [])
        for item in contest.files:
            item.url = evidence_url(item)
        contest.form = None
        if contest.is_pending and may_decide and contest.criterion.area_id in area_ids:
            contest.form = bound.get(contest.pk) or ContestDecisionForm(
                prefix=f"d{contest.pk}", criterion=contest.criterion, initial={"decided_score": contest.first_score}
            )
    return {
        "appeal_window": service.appeal_window(visit=visit),
        "contests": contests,
        "contests_pending": sum(1 for c in contests if c.is_pending),
        "frozen_reason": service.appraisal_frozen_reason(visit=visit),
        "may_publish": not visit.appraisal_published and not visit.is_locked and service.can_publish(user, visit),
    }


@login_required
@require_POST
def appraisal_publish(request, pk):
    """Publish the first-round appraisal to the commune; its appeal window opens."""
    visit = visit_for_workspace(request, pk)
    try:
        visit = service.appraisal_publish(visit=visit, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The appraisal is published to the commune. It may contest a criterion until %(date)s.")
            % {"date": date_format(visit.appeal_deadline, "SHORT_DATE_FORMAT")},
        )
    return redirect(_workspace_url(visit))


@login_required
@require_POST
def contest_decide(request, pk):
    """The team's second appraisal of a contested criterion: keep or change the score, with a reason."""
    contest = selectors.contest_get_for_user(request.user, pk, filed_only=True)
    visit = visit_for_workspace(request, contest.visit_id)
    permissions.check_appraise(request.user, visit, contest.criterion.area_id)
    form = ContestDecisionForm(request.POST, prefix=f"d{contest.pk}", criterion=contest.criterion)
    if form.is_valid():
        try:
            contest = service.score_contest_decide(
                contest=contest,
                user=request.user,
                decided_score=form.cleaned_data["decided_score"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "decided":
                messages.error(request, error.messages[0])
                return redirect(_workspace_url(visit, f"contest-{contest.pk}"))
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The contest of criterion %(code)s is decided: %(outcome)s.")
                % {"code": contest.criterion.code, "outcome": contest.get_status_display()},
            )
            return redirect(_workspace_url(visit, f"contest-{contest.pk}"))
    from .workspace import _workspace_context

    context = _workspace_context(request, visit, appeal_bound={contest.pk: form})
    return render(request, "inspections/district/workspace.html", context)
