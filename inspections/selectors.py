"""Reads scoped to a user: every view, form choice and task goes through these.

Commune people reach only their own commune (and the units it succeeded);
inspectors the campaigns whose team they sit on; secretariat, team lead and
viewers the campaigns of their authority and the units below it.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from accounts.access import scope_for
from communes.folding import dictionary_order

from .models import (
    CriteriaSet,
    CriterionScore,
    Evidence,
    Finding,
    InspectionPlan,
    Remedy,
    ScoreContest,
    TeamMember,
    Visit,
)

# Access filters test team membership with EXISTS rather than joining the team's members: a join
# repeats each row once per member and then needs DISTINCT over every column to drop the copies.


def _on_team(user, plan_path: str) -> Exists:
    """The user sits on the team of the plan at `plan_path` (a path to a plan id in the outer query)."""
    return Exists(TeamMember.objects.filter(team__plan_id=OuterRef(plan_path), user=user))


def _plan_q(user, prefix: str = "") -> Q | None:
    """A filter on InspectionPlan (reached through `prefix`) for what the user may see; None means all."""
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    q = Q(pk__in=[])
    if scope.authority_unit_ids:
        q |= Q(**{f"{prefix}authority_id__any_of": scope.authority_unit_ids})
    if user.is_authenticated:
        q |= Q(_on_team(user, f"{prefix}pk"))
    return q


def _visit_q(user, prefix: str = "") -> Q | None:
    """A filter on Visit (reached through `prefix`) for what the user may see; None means all.

    Every branch follows single-valued relations only, so no row is repeated and no DISTINCT is needed.
    """
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    q = Q(pk__in=[])
    if scope.authority_unit_ids:
        q |= Q(**{f"{prefix}plan__authority_id__any_of": scope.authority_unit_ids})
    if user.is_authenticated:
        q |= Q(_on_team(user, f"{prefix}plan_id"))
    if scope.commune_unit_ids:
        q |= Q(**{f"{prefix}unit_id__any_of": scope.commune_unit_ids})
    return q


def _scoped(qs: QuerySet, q: Q | None) -> QuerySet:
    if q is None:
        return qs
    return qs.filter(q)


def visit_seen_by_scope(user, visit: Visit) -> bool:
    """Whether what is already known of the user shows that he sees the visit, without a query.

    His scope (superuser, the visit's authority above, his own commune) or his seat on the team
    when the request has read it already. False means "not known", never "not seen": the caller
    then filters as usual. Rows read within one visit are all seen or all hidden, so a read of a
    visit known to be seen needs no access filter (nor the joins and the list of units it costs).
    """
    if not isinstance(visit, Visit):
        return False
    scope = scope_for(user)
    if scope.is_superuser or visit.unit_id in scope.commune_unit_ids:
        return True
    if not Visit.plan.is_cached(visit):
        return False
    plan = visit.plan
    if scope.oversees(plan.authority_id):
        return True
    # permissions.team_member's per-request cache: the same test as _on_team's EXISTS.
    return user.is_authenticated and plan.__dict__.get("_team_member_cache", {}).get(user.pk) is not None


def _scoped_to_visit(qs: QuerySet, user, visit: Visit, prefix: str = "") -> QuerySet:
    """Rows of one visit (reached through `prefix`), filtered by access only when the visit is not known to be seen."""
    qs = qs.filter(**{f"{prefix}visit": visit})
    if visit_seen_by_scope(user, visit):
        return qs
    return _scoped(qs, _visit_q(user, f"{prefix}visit__"))


def _get_or_404(qs: QuerySet, pk):
    # No ordering: one row by its key needs none, and a model's default one joins tables to sort it.
    try:
        return qs.order_by().get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def plan_list_for_user(user) -> QuerySet[InspectionPlan]:
    """Campaigns the user may see: his authority's, his team's, or those visiting his commune."""
    scope = scope_for(user)
    qs = InspectionPlan.objects.select_related("authority", "criteria_set", "team")
    if scope.is_superuser:
        return qs
    q = _plan_q(user)
    if scope.commune_unit_ids:
        q |= Q(Exists(Visit.objects.filter(plan=OuterRef("pk"), unit_id__in=scope.commune_unit_ids)))
    return qs.filter(q)


def plan_seen_by_scope(user, plan: InspectionPlan) -> bool:
    """Whether what is already known of the user shows that he sees the campaign and every visit of it.

    His scope (superuser, the campaign's authority or one above it) or his seat on the team when the
    request has read it already. False means "not known": the caller then filters as usual.
    """
    scope = scope_for(user)
    if scope.is_superuser or scope.oversees(plan.authority_id):
        return True
    # permissions.team_member's per-request cache: the same test as _on_team's EXISTS.
    return user.is_authenticated and plan.__dict__.get("_team_member_cache", {}).get(user.pk) is not None


def _scoped_to_plan(qs: QuerySet, user, plan: InspectionPlan, prefix: str = "") -> QuerySet:
    """Rows of one campaign's visits (`prefix` leads to the visit), filtered by access only when needed.

    Whoever sees the campaign by his scope or his seat sees each of its visits (`plan_seen_by_scope`).
    """
    qs = qs.filter(**{f"{prefix}plan": plan})
    if plan_seen_by_scope(user, plan):
        return qs
    return _scoped(qs, _visit_q(user, prefix))


def plan_get_for_user(user, pk) -> InspectionPlan:
    """One campaign the user may see, or 404.

    Read by its key, then told visible by the user's scope or team seat as `visit_get_for_user` does;
    only when neither tells does the access filter decide (a commune's people, say).
    """
    from . import permissions

    plan = _get_or_404(InspectionPlan.objects.select_related("authority", "criteria_set", "team"), pk)
    if plan_seen_by_scope(user, plan) or permissions.team_member(user, plan) is not None:
        return plan
    return _get_or_404(plan_list_for_user(user), pk)


def visit_list_for_user(user, *, plan=None) -> QuerySet[Visit]:
    """Visits the user may see, optionally within one campaign."""
    qs = Visit.objects.select_related("plan", "plan__authority", "unit")
    if isinstance(plan, InspectionPlan):
        return _scoped_to_plan(qs, user, plan)
    if plan is not None:
        qs = qs.filter(plan=plan)
    return _scoped(qs, _visit_q(user))


def visit_get_for_user(user, pk) -> Visit:
    """One visit the user may see, or 404 (never 403, so other communes' visits are not revealed).

    Read by its key; whether he sees it is then told by his scope or his seat on the team (which the
    permission checks of the request read anyway), without the access filter and its list of units.
    Only when neither tells does the filter decide.
    """
    from . import permissions

    # The criteria set too: the pages and saves of a visit add up its scores by the set's method.
    visit = _get_or_404(Visit.objects.select_related("plan", "plan__authority", "plan__criteria_set", "unit"), pk)
    if visit_seen_by_scope(user, visit) or permissions.team_member(user, visit.plan) is not None:
        return visit
    return _get_or_404(visit_list_for_user(user), pk)


def score_list_for_user(user, *, visit=None) -> QuerySet[CriterionScore]:
    """Criterion scores of the visits the user may see."""
    qs = CriterionScore.objects.select_related("criterion", "criterion__area", "visit")
    if visit is not None:
        return _scoped_to_visit(qs, user, visit)
    return _scoped(qs, _visit_q(user, "visit__"))


def appraisal_visible_to_user(user, visit) -> bool:
    """Whether the user may read the team's appraised scores and comments of a visit he sees.

    The district side always; the commune only once the team has published its first-round
    appraisal, or once the minutes are signed.
    """
    from . import permissions

    if visit.appraisal_published or visit.is_locked:
        return True
    if visit.unit_id not in scope_for(user).commune_unit_ids:
        # Not his own commune's visit: he sees it from the district side, with no query per visit.
        return True
    return permissions.can_read_visit(user, visit)


def contest_list_for_user(user, *, visit=None, filed_only: bool = False) -> QuerySet[ScoreContest]:
    """Contested scores of the visits the user may see; `filed_only` leaves out the commune's unfiled drafts."""
    qs = ScoreContest.objects.select_related(
        "visit", "visit__unit", "visit__plan", "criterion", "criterion__area", "contested_by", "decided_by"
    )
    if filed_only:
        qs = qs.exclude(status=ScoreContest.Status.DRAFT)
    if visit is not None:
        return _scoped_to_visit(qs, user, visit)
    return _scoped(qs, _visit_q(user, "visit__"))


def contest_pending_by_visit_for_user(user, *, plan) -> list[dict]:
    """Per commune of the campaign the user sees: how many contested criteria await the team's decision."""
    from django.db.models import Count

    qs = _scoped_to_plan(ScoreContest.objects.filter(status=ScoreContest.Status.PENDING), user, plan, "visit__")
    return list(
        qs.order_by()
        .values("visit_id", "visit__unit__name")
        .annotate(count=Count("id", distinct=True))
        .order_by(dictionary_order("visit__unit__name"))
    )


def contest_get_for_user(user, pk, *, filed_only: bool = False) -> ScoreContest:
    """One contested score the user may see, or 404."""
    return _get_or_404(contest_list_for_user(user, filed_only=filed_only), pk)


def contest_evidence_for_user(user, *, visit, filed_only: bool = False) -> dict:
    """The live evidence filed with the visit's contests, keyed by contest id."""
    grouped = {}
    rows = visit_evidence_for_user(user, visit=visit).filter(contest__isnull=False)
    if filed_only:
        rows = rows.exclude(contest__status=ScoreContest.Status.DRAFT)
    for evidence in rows.order_by("uploaded_at", "id"):
        grouped.setdefault(evidence.contest_id, []).append(evidence)
    return grouped


def finding_list_for_user(user, *, visit=None) -> QuerySet[Finding]:
    """Findings of the visits the user may see."""
    qs = Finding.objects.select_related("visit", "visit__unit", "visit__plan", "area", "criterion")
    if visit is not None:
        return _scoped_to_visit(qs, user, visit)
    return _scoped(qs, _visit_q(user, "visit__"))


def finding_get_for_user(user, pk) -> Finding:
    """One finding the user may see, or 404."""
    return _get_or_404(finding_list_for_user(user), pk)


def remedy_list_for_user(user) -> QuerySet[Remedy]:
    """Remedies of the findings the user may see."""
    qs = Remedy.objects.select_related("finding", "finding__visit")
    return _scoped(qs, _visit_q(user, "finding__visit__"))


def evidence_list_for_user(user, *, include_deleted: bool = False) -> QuerySet[Evidence]:
    """Evidence files the user may open: those of visits he sees, and proofs of their remedies."""
    qs = Evidence.objects.select_related("unit", "visit", "criterion", "remedy")
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    visit_q = _visit_q(user, "visit__")
    if visit_q is None:
        return qs
    remedy_q = _visit_q(user, "remedy__finding__visit__")
    # A contest the commune has not filed yet is its own draft: only the commune's people open its files.
    others_drafts = Q(contest__status=ScoreContest.Status.DRAFT) & ~Q(unit_id__in=scope_for(user).commune_unit_ids)
    return qs.filter(visit_q | remedy_q).exclude(others_drafts)


def visit_evidence_for_user(user, *, visit) -> QuerySet[Evidence]:
    """The live evidence files of one visit that the user may open, without joining their visit, unit or criterion."""
    if not visit_seen_by_scope(user, visit):
        return evidence_list_for_user(user).filter(visit=visit).select_related(None)
    # As evidence_list_for_user once the visit is seen: another commune's unfiled contest draft stays hidden.
    others_drafts = Q(contest__status=ScoreContest.Status.DRAFT) & ~Q(unit_id__in=scope_for(user).commune_unit_ids)
    return Evidence.objects.filter(visit=visit, deleted_at__isnull=True).exclude(others_drafts)


def evidence_get_for_user(user, pk) -> Evidence:
    """One evidence file the user may open, or 404."""
    return _get_or_404(evidence_list_for_user(user), pk)


def criteria_set_list_for_user(user) -> QuerySet[CriteriaSet]:
    """Criteria sets of the authorities the user oversees or inspects for; communes see those of their campaigns."""
    scope = scope_for(user)
    qs = CriteriaSet.objects.select_related("authority")
    if scope.is_superuser:
        return qs
    plan_ids = plan_list_for_user(user).values("criteria_set_id")
    q = Q(id__in=plan_ids)
    if scope.authority_unit_ids:
        q |= Q(authority_id__any_of=scope.authority_unit_ids)
    return qs.filter(q)


def plan_home_list_for_user(user) -> QuerySet[InspectionPlan]:
    """Campaigns for the home page, newest first (their visits: `home_visits_by_plan`)."""
    return plan_list_for_user(user).order_by("-year", "-round_start", "-pk")


def home_visits_by_plan(user, plans) -> dict[int, list[tuple[int, str]]]:
    """The visits the user may see in each of these campaigns, as (visit id, commune name), by date then name.

    One query for the page's campaigns; a province's lead sees some five hundred visits there, read as
    values rather than as visits and communes.
    """
    by_plan: dict[int, list[tuple[int, str]]] = {plan.pk: [] for plan in plans}
    if not by_plan:
        return by_plan
    rows = (
        visit_list_for_user(user)
        .filter(plan_id__any_of=list(by_plan))
        .order_by("scheduled_on", dictionary_order("unit__name"), "pk")
        .values_list("plan_id", "pk", "unit__name")
    )
    for plan_id, pk, name in rows:
        by_plan[plan_id].append((pk, name))
    return by_plan


def criterion_score_get_for_user(user, *, visit, criterion_pk):
    """A scored (leaf) criterion of the visit's criteria set, if the user sees the visit; 404 otherwise."""
    from .models import Criterion

    qs = Criterion.objects.filter(criteria_set_id=visit.plan.criteria_set_id, children__isnull=True).select_related(
        "area", "parent"
    )
    criterion = _get_or_404(qs, criterion_pk)
    # Read as a leaf of the set: the services that score it in this request need not ask again.
    criterion.read_as_leaf = True
    return criterion


@dataclass
class WorkspaceCriteria:
    """The criteria a workspace shows, read once for the rows and the finding form."""

    # The review areas given, in the order of the set.
    areas: list
    # Every criterion of those areas, by order and code: the finding form's choices.
    criteria: list
    # The scored (leaf) criteria of the visit's criteria set, area by area, with their area and parent attached.
    scored: list


def workspace_criteria(*, visit, area_ids) -> WorkspaceCriteria:
    """The criteria of the given areas of the visit's criteria set, in the order of the set.

    Two queries whatever the number of criteria; each area and parent is one object however
    many criteria share it (a parent of another area is read apart, when there is one).
    """
    from .models import Criterion, ReviewArea

    areas = list(ReviewArea.objects.filter(pk__in=area_ids).order_by("order", "number"))
    if not areas:
        return WorkspaceCriteria(areas=[], criteria=[], scored=[])
    criteria = list(
        Criterion.objects.filter(area_id__in=area_ids)
        .annotate(has_children=Exists(Criterion.objects.filter(parent=OuterRef("pk"))))
        .order_by("order", "code")
    )
    rank = {area.pk: index for index, area in enumerate(areas)}
    by_area = {area.pk: area for area in areas}
    by_id = {criterion.pk: criterion for criterion in criteria}
    set_id = visit.plan.criteria_set_id
    # A stable sort by the areas' order keeps the order and code within each area.
    scored = sorted(
        (c for c in criteria if not c.has_children and c.criteria_set_id == set_id), key=lambda c: rank[c.area_id]
    )
    missing = {c.parent_id for c in scored if c.parent_id is not None and c.parent_id not in by_id}
    if missing:
        by_id.update((parent.pk, parent) for parent in Criterion.objects.filter(pk__in=missing))
    for criterion in scored:
        criterion.area = by_area[criterion.area_id]
        if criterion.parent_id is not None:
            criterion.parent = by_id[criterion.parent_id]
    return WorkspaceCriteria(areas=areas, criteria=criteria, scored=scored)


def workspace_scores_by_criterion(user, *, visit, criterion_ids=None) -> dict:
    """The visit's score rows keyed by criterion id, with who appraised them; only `criterion_ids`' when given.

    The page holds the visit and the criteria already: the rows are read without joining them again.
    An inspector's page shows his group's criteria: the other groups' rows are not read.
    """
    # No ordering: a dict by criterion; the scores' default one would join the visit, plan and unit to sort.
    rows = score_list_for_user(user, visit=visit).select_related(None).select_related("appraised_by").order_by()
    if criterion_ids is not None:
        rows = rows.filter(criterion_id__any_of=criterion_ids)
    return {s.criterion_id: s for s in rows}


def workspace_evidence_by_criterion(user, *, visit, criterion_pk: int | None = None) -> dict:
    """The visit's live evidence files keyed by criterion id (without joining the visit, unit or criterion).

    With `criterion_pk`, only that criterion's files (a saved row needs no others).
    """
    grouped = {}
    # The commune's unfiled contest drafts are not the team's to read yet.
    rows = visit_evidence_for_user(user, visit=visit).exclude(contest__status=ScoreContest.Status.DRAFT)
    if criterion_pk is not None:
        rows = rows.filter(criterion_id=criterion_pk)
    for evidence in rows.order_by("uploaded_at", "id"):
        grouped.setdefault(evidence.criterion_id, []).append(evidence)
    return grouped


def workspace_evidence(user, *, visit) -> tuple[dict, dict]:
    """The workspace's files in one read: by criterion id, and (those of filed contests) by contest id.

    The commune's unfiled contest drafts are in neither: they are not the team's to read yet.
    """
    by_criterion, by_contest = {}, {}
    rows = visit_evidence_for_user(user, visit=visit).exclude(contest__status=ScoreContest.Status.DRAFT)
    for evidence in rows.order_by("uploaded_at", "id"):
        by_criterion.setdefault(evidence.criterion_id, []).append(evidence)
        if evidence.contest_id is not None:
            by_contest.setdefault(evidence.contest_id, []).append(evidence)
    return by_criterion, by_contest


def question_list_for_user(user, *, visit) -> QuerySet[Finding]:
    """The questions a commune asked on a visit the user may see, oldest first."""
    return (
        finding_list_for_user(user, visit=visit)
        .filter(kind=Finding.Kind.QUESTION)
        .select_related("created_by", "answered_by")
        .order_by("created_at", "id")
    )


def question_get_for_user(user, pk) -> Finding:
    """One question the user may see, or 404."""
    qs = finding_list_for_user(user).filter(kind=Finding.Kind.QUESTION).select_related("created_by", "answered_by")
    return _get_or_404(qs, pk)


def finding_to_remedy_list_for_user(user) -> QuerySet[Finding]:
    """Shortcomings and recommendations addressed to communes the user sees, except those carried over.

    A finding carried into a later visit is followed through its copy there.
    """
    return (
        finding_list_for_user(user)
        .filter(kind__in=Finding.ACTIONABLE_KINDS)
        .exclude(status=Finding.Status.CARRIED_OVER)
        .select_related("carried_from__visit__plan")
        .order_by("-visit__plan__year", dictionary_order("visit__unit__name"), "due_date", "id")
    )


def remedy_get_for_user(user, pk) -> Remedy:
    """One remedy the user may see, or 404."""
    qs = remedy_list_for_user(user).select_related("finding__visit__plan", "finding__visit__unit")
    return _get_or_404(qs, pk)


def setup_authority_list_for_user(user) -> list:
    """The inspecting authorities (districts, provinces) for which the user sets up rounds."""
    from accounts.models import Membership
    from communes.models import AdministrativeUnit

    scope = scope_for(user)
    units = AdministrativeUnit.objects.filter(level__lt=AdministrativeUnit.Level.COMMUNE).order_by(
        "level", dictionary_order("name")
    )
    if scope.is_superuser:
        return list(units)
    ids = Membership.objects.filter(
        user=user, is_active=True, role__in=[Membership.Role.SECRETARIAT, Membership.Role.ADMIN]
    ).values_list("unit_id", flat=True)
    return list(units.filter(pk__in=ids))


def criteria_set_get_for_user(user, pk) -> CriteriaSet:
    """One criteria set the user may see, or 404."""
    return _get_or_404(criteria_set_list_for_user(user), pk)


def criterion_get_for_user(user, pk):
    """One criterion of a set the user may see, or 404."""
    from .models import Criterion

    sets = criteria_set_list_for_user(user).values("id")
    return _get_or_404(Criterion.objects.filter(criteria_set_id__in=sets).select_related("criteria_set", "area"), pk)


def area_get_for_user(user, pk):
    """One review area of a set the user may see, or 404."""
    from .models import ReviewArea

    sets = criteria_set_list_for_user(user).values("id")
    return _get_or_404(ReviewArea.objects.filter(criteria_set_id__in=sets).select_related("criteria_set"), pk)


def team_group_get_for_user(user, pk):
    """One team group of a campaign the user may see, or 404."""
    from .models import TeamGroup

    plans = plan_list_for_user(user).values("id")
    return _get_or_404(TeamGroup.objects.filter(team__plan_id__in=plans).select_related("team__plan"), pk)


def team_member_get_for_user(user, pk):
    """One team member of a campaign the user may see, or 404."""
    from .models import TeamMember

    plans = plan_list_for_user(user).values("id")
    return _get_or_404(TeamMember.objects.filter(team__plan_id__in=plans).select_related("team__plan", "user"), pk)


# The memberships that put a candidate in the team picker, kept on each one for its label.
CANDIDATE_MEMBERSHIPS = "roles_in_scope"
# Why someone outside `team_candidate_list` is refused, by the member form and by the service.
NOT_A_CANDIDATE = gettext_lazy(
    "Only people who work for this authority or in one of its communes, wards or townships can sit on its team."
)


def team_candidate_list(*, plan, team=None) -> QuerySet:
    """The people who may sit on the plan's team, in dictionary order of their names.

    Active users with an active role in the plan's authority or one of its communes, and whoever already sits
    on the team (so that a seat whose holder has left can still be edited). Each carries those roles, with
    their unit and department, in the attribute named by `CANDIDATE_MEMBERSHIPS` (one more query).
    """
    from accounts.models import Membership, User
    from accounts.selectors import commune_list_for_authority

    units = Q(unit_id=plan.authority_id) | Q(unit_id__in=commune_list_for_authority(plan.authority).values("pk"))
    roles = Membership.objects.filter(units, is_active=True)
    eligible = Q(Exists(roles.filter(user_id=OuterRef("pk"))), is_active=True)
    if team is not None:
        eligible |= Q(Exists(TeamMember.objects.filter(team=team, user_id=OuterRef("pk"))))
    held = roles.select_related("unit", "department").order_by("unit__level", dictionary_order("unit__name"), "role")
    return (
        User.objects.filter(eligible)
        .prefetch_related(Prefetch("memberships", queryset=held, to_attr=CANDIDATE_MEMBERSHIPS))
        .order_by(dictionary_order("full_name"), "username")
    )


def department_list_for_user(user, *, authority=None):
    """Departments of the authorities the user works for or oversees (with the units below), or of one of them.

    Inspectors hold no overseeing role, yet read the departments of the authority they inspect for.
    """
    from accounts.models import Membership
    from communes.models import Department

    scope = scope_for(user)
    qs = Department.objects.select_related("authority")
    if authority is not None:
        qs = qs.filter(authority=authority)
    if scope.is_superuser:
        return qs
    if not user.is_authenticated:
        return qs.none()
    q = Q(
        Exists(
            Membership.objects.filter(
                user=user, is_active=True, role__in=Membership.AUTHORITY_ROLES, unit_id=OuterRef("authority_id")
            )
        )
    )
    if scope.authority_unit_ids:
        q |= Q(authority_id__any_of=scope.authority_unit_ids)
    return qs.filter(q)


def department_get_for_user(user, pk):
    """One department the user may read, or 404."""
    return _get_or_404(department_list_for_user(user), pk)
