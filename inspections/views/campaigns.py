from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import permissions, scoring, selectors
from ..dashboard import self_scored_visit_ids
from .district.common import visit_links


@login_required
def home(request):
    """The campaigns the user may see, newest first, with his visits in each."""
    plans = list(selectors.plan_home_list_for_user(request.user))
    memberships = request.user.memberships.filter(is_active=True).select_related("unit")
    return render(request, "inspections/home.html", {"plans": plans, "memberships": memberships})


@login_required
def plan_detail(request, pk):
    """One campaign: its plan, team and the visits the user may see."""
    plan = selectors.plan_get_for_user(request.user, pk)
    visits = list(selectors.visit_list_for_user(request.user, plan=plan).order_by("scheduled_on", "unit__name"))
    results = scoring.visit_results(visits=visits, criteria_set=plan.criteria_set)
    team = getattr(plan, "team", None)
    members = list(team.members.select_related("user", "department", "group").order_by("order", "id")) if team else []
    groups = list(team.groups.prefetch_related("areas").order_by("order")) if team else []
    self_scored = self_scored_visit_ids(v.pk for v in visits)
    rows = [
        (visit, _visible_result(request.user, visit, results.get(visit.pk)), visit.pk in self_scored)
        for visit in visits
    ]
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "team": team,
            "members": members,
            "groups": groups,
            "may_view_dashboard": permissions.can_view_dashboard(request.user, plan),
            "may_set_up": permissions.can_set_up_plan(request.user, plan),
        },
    )


class _SelfOnlyResult:
    """A visit's result before the team publishes its appraisal, as the commune sees it: its own score only."""

    appraised_count, appraised_score, percent, grade = 0, None, None, None

    def __init__(self, result):
        self.self_score, self.max_score = result.self_score, result.max_score


class _SelfOnlyScore:
    """A criterion score before the appraisal is published, as the commune sees it."""

    appraised_score = None

    def __init__(self, score):
        self.criterion, self.max_score, self.self_score = score.criterion, score.max_score, score.self_score


def _visible_result(user, visit, result):
    if result is None or selectors.appraisal_visible_to_user(user, visit):
        return result
    return _SelfOnlyResult(result)


class _SignedScore:
    """A criterion line of a signed result, shaped like a score row for the visit page."""

    def __init__(self, line):
        self.criterion = line
        self.max_score, self.self_score, self.appraised_score = line.max_score, line.self_score, line.appraised_score


@login_required
def visit_detail(request, pk):
    """One visit: its schedule, scores by area and findings."""
    visit = selectors.visit_get_for_user(request.user, pk)
    scores = list(
        selectors.score_list_for_user(request.user, visit=visit).order_by("criterion__order", "criterion__code")
    )
    findings = list(selectors.finding_list_for_user(request.user, visit=visit).order_by("kind", "created_at"))
    result = scoring.visit_results(visits=[visit], criteria_set=visit.plan.criteria_set).get(visit.pk)
    if result is not None and result.is_signed:
        # Signed minutes: the criteria and their final scores as signed.
        scores = [_SignedScore(line) for line in result.criteria]
    elif not selectors.appraisal_visible_to_user(request.user, visit):
        # The team's draft scores stay with the team until it publishes its first-round appraisal.
        scores = [_SelfOnlyScore(score) for score in scores]
        result = _visible_result(request.user, visit, result)
    return render(
        request,
        "inspections/visit_detail.html",
        {
            "visit": visit,
            "scores": scores,
            "findings": findings,
            "result": result,
            **visit_links(request.user, visit),
        },
    )
