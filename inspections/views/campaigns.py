from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import scope_for
from accounts.models import Membership
from communes.folding import dictionary_order

from .. import gaps, permissions, scoring, selectors
from ..addresses import address_halves
from ..escaping import escape
from ..forms.filters import EvidenceFilterForm, VisitFilterForm
from ..results import self_scored_visit_ids
from .district.common import visit_links

# Campaigns on one page of the home page: a national administrator sees a hundred campaigns a year.
HOME_PAGE_SIZE = 10


class _HomeVisitLinks:
    """The home page's list of a campaign's visits, written in Python: a province's lead sees some five
    hundred, each a link made from one reversed address rather than reversed one by one."""

    def __init__(self, *, with_sheet: bool):
        self.detail = address_halves("inspections:visit_detail")
        self.sheet = address_halves("inspections:self_assessment") if with_sheet else None
        self.sheet_words = escape(_("self-assessment and evidence"))

    def write(self, visits: list[tuple[int, str]]) -> str:
        (head, tail), parts = self.detail, []
        for pk, name in visits:
            link = f'<a href="{escape(f"{head}{pk}{tail}")}">{escape(name)}</a>'
            if self.sheet is not None:
                sheet_url = escape(f"{self.sheet[0]}{pk}{self.sheet[1]}")
                link += f' (<a href="{sheet_url}" data-testid="self-assessment-link">{self.sheet_words}</a>)'
            parts.append(link)
        # Bandit B308/B703 (mark_safe) reviewed: the names and addresses above are escaped.
        return mark_safe(", ".join(parts))  # nosec


# The roles that wait for the secretariat's campaign, the most capable first: a person holding two is told of the first.
_WAITING_ROLES = (
    Membership.Role.TEAM_LEAD,
    Membership.Role.INSPECTOR,
    Membership.Role.VIEWER,
    Membership.Role.COMMUNE_LEAD,
    Membership.Role.COMMUNE_STAFF,
)


def _first_step(user) -> dict:
    """What a user who sees no campaign yet does next, told by the most capable role he holds.

    The secretariat sets the campaign up, so it is shown how (and whether its criteria set exists);
    everyone else waits for the secretariat, each in the words of his own part in the cycle.
    """
    scope = scope_for(user)
    if scope.has_role(Membership.Role.SECRETARIAT, Membership.Role.ADMIN):
        return {"first_step": "set_up", "has_criteria_set": selectors.criteria_set_list_for_user(user).exists()}
    for role in _WAITING_ROLES:
        if role in scope.roles:
            return {"first_step": role}
    return {"first_step": "none"}


@login_required
def home(request):
    """The campaigns the user may see, newest first, with his visits in each, a page at a time.

    Only the campaigns of the page are read with their visits; a page number past the end or not a
    number shows the last or the first page.
    """
    page = Paginator(selectors.plan_home_list_for_user(request.user), HOME_PAGE_SIZE).get_page(request.GET.get("page"))
    visits = selectors.home_visits_by_plan(request.user, page.object_list)
    links = _HomeVisitLinks(with_sheet=scope_for(request.user).is_commune_user)
    for plan in page.object_list:
        plan.visit_count = len(visits[plan.pk])
        plan.visit_links = links.write(visits[plan.pk])
    memberships = request.user.memberships.filter(is_active=True).select_related("unit")
    context = {"plans": page.object_list, "page": page, "memberships": memberships}
    if not page.paginator.count:
        context.update(_first_step(request.user))
    return render(request, "inspections/home.html", context)


@login_required
def plan_detail(request, pk):
    """One campaign: its plan, team and the visits the user may see, filtered by status and a group's work."""
    plan = selectors.plan_get_for_user(request.user, pk)
    team = getattr(plan, "team", None)
    members = list(team.members.select_related("user", "department", "group").order_by("order", "id")) if team else []
    groups = list(team.groups.prefetch_related("areas").order_by("order")) if team else []
    filters = VisitFilterForm(request.GET, groups=groups)
    for label in filters.ignored:
        messages.warning(request, _("The filter “%(name)s” was not understood and is ignored.") % {"name": label})
    visits, group_total = filters.apply(selectors.visit_list_for_user(request.user, plan=plan))
    visits = list(visits.order_by("scheduled_on", dictionary_order("unit__name")))
    results = scoring.visit_results(visits=visits, criteria_set=plan.criteria_set, criteria_lines=False)
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
            "filters": filters,
            "chosen_group": filters.chosen_group,
            "group_total": group_total,
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
    gap = None

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
        self.gap = gaps.criterion_gap(line.self_score, line.appraised_score)


@login_required
def visit_detail(request, pk):
    """One visit: its schedule, scores by area and findings."""
    visit = selectors.visit_get_for_user(request.user, pk)
    scores = list(
        selectors.score_list_for_user(request.user, visit=visit).order_by("criterion__order", "criterion__code")
    )
    findings = list(selectors.finding_list_for_user(request.user, visit=visit).order_by("kind", "created_at"))
    result = scoring.visit_results(
        visits=[visit], criteria_set=visit.plan.criteria_set, read_unsigned=not visit.is_locked
    ).get(visit.pk)
    if result is not None and result.is_signed:
        # Signed minutes: the criteria and their final scores as signed.
        scores = [_SignedScore(line) for line in result.criteria]
    elif not selectors.appraisal_visible_to_user(request.user, visit):
        # The team's draft scores stay with the team until it publishes its first-round appraisal.
        scores = [_SelfOnlyScore(score) for score in scores]
        result = _visible_result(request.user, visit, result)
    for score in scores:
        score.gap_is_large = gaps.is_large_gap(score.gap, score.max_score)
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


@login_required
@require_safe
def visit_evidence(request, pk):
    """Every evidence file of a visit the user sees, filtered by criterion in the URL."""
    visit = selectors.visit_get_for_user(request.user, pk)
    visible = selectors.evidence_list_for_user(request.user).filter(visit=visit)
    filters = EvidenceFilterForm(request.GET, evidence=visible)
    for label in filters.ignored:
        messages.warning(request, _("The filter “%(name)s” was not understood and is ignored.") % {"name": label})
    files = list(
        filters.apply(visible)
        .select_related("criterion", "uploaded_by")
        .order_by("criterion__order", "criterion__code", "uploaded_at", "id")
    )
    return render(request, "inspections/visit_evidence.html", {"visit": visit, "files": files, "filters": filters})
