"""Scoped reads: each persona sees exactly what his role reaches, from every selector."""

import pytest
from django.http import Http404

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from communes.tests.factories import CommuneFactory, DistrictFactory, SuccessionFactory
from inspections import selectors
from inspections.tests.factories import EvidenceFactory, PlanFactory, RemedyFactory, VisitFactory

pytestmark = pytest.mark.django_db

DISTRICT_SIDE = ["secretariat", "lead", "inspector", "viewer"]


def visible_units(user):
    return {v.unit.name for v in selectors.visit_list_for_user(user)}


@pytest.mark.parametrize("persona", DISTRICT_SIDE)
def test_the_district_side_sees_every_commune_of_its_campaign(world, persona):
    user = world.users[persona]
    assert visible_units(user) == {"Thạnh Đông A", "Tân Hội"}
    assert list(selectors.plan_list_for_user(user)) == [world.plan]
    assert selectors.evidence_list_for_user(user).count() == 2
    assert selectors.finding_list_for_user(user).count() == 2
    assert selectors.remedy_list_for_user(user).count() == 2
    assert selectors.score_list_for_user(user).count() == 8


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        ("commune_a", "visit_a", "visit_b"),
        ("commune_a_lead", "visit_a", "visit_b"),
        ("commune_b", "visit_b", "visit_a"),
    ],
)
def test_commune_people_see_only_their_own_commune(world, persona, own, other):
    user = world.users[persona]
    own_visit, other_visit = getattr(world, own), getattr(world, other)
    assert visible_units(user) == {own_visit.unit.name}
    assert selectors.visit_get_for_user(user, own_visit.pk) == own_visit
    with pytest.raises(Http404):
        selectors.visit_get_for_user(user, other_visit.pk)
    other_evidence = other_visit.evidence.get()
    with pytest.raises(Http404):
        selectors.evidence_get_for_user(user, other_evidence.pk)
    with pytest.raises(Http404):
        selectors.finding_get_for_user(user, other_visit.findings.get().pk)
    assert {s.visit_id for s in selectors.score_list_for_user(user)} == {own_visit.pk}
    assert {r.finding.visit_id for r in selectors.remedy_list_for_user(user)} == {own_visit.pk}
    assert list(selectors.plan_list_for_user(user)) == [world.plan]


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not selectors.visit_list_for_user(anonymous).exists()
    assert not selectors.plan_list_for_user(anonymous).exists()
    assert not selectors.evidence_list_for_user(anonymous).exists()


def test_an_inspector_sees_only_campaigns_whose_team_he_is_on(world):
    other_plan = PlanFactory(criteria_set__authority=DistrictFactory())
    VisitFactory(plan=other_plan)
    stranger = UserFactory()
    MembershipFactory(user=stranger, unit=other_plan.authority, role=Membership.Role.INSPECTOR)
    assert not selectors.visit_list_for_user(stranger).exists()
    assert visible_units(world.users["inspector"]) == {"Thạnh Đông A", "Tân Hội"}


def test_a_province_secretariat_oversees_the_districts_below(world):
    official = UserFactory()
    MembershipFactory(user=official, unit=world.province, role=Membership.Role.SECRETARIAT)
    assert visible_units(official) == {"Thạnh Đông A", "Tân Hội"}


def test_a_merged_commune_sees_the_visits_of_the_communes_it_succeeded(world):
    merged = CommuneFactory(name="Tân Hiệp mới", parent=world.district)
    SuccessionFactory(successor=merged, predecessor=world.commune_a)
    clerk = UserFactory()
    MembershipFactory(user=clerk, unit=merged, role=Membership.Role.COMMUNE_STAFF)
    assert visible_units(clerk) == {"Thạnh Đông A"}


def test_deleted_evidence_is_hidden_unless_asked_for(world):
    from django.utils import timezone

    evidence = world.visit_a.evidence.get()
    evidence.deleted_at = timezone.now()
    evidence.save()
    user = world.users["commune_a"]
    assert not selectors.evidence_list_for_user(user).exists()
    assert selectors.evidence_list_for_user(user, include_deleted=True).get() == evidence


def test_remedy_proof_follows_the_commune_of_its_finding(world):
    remedy = RemedyFactory(finding=world.visit_b.findings.get())
    proof = EvidenceFactory(visit=None, criterion=None, remedy=remedy, unit=world.commune_b)
    with pytest.raises(Http404):
        selectors.evidence_get_for_user(world.users["commune_a"], proof.pk)
    assert selectors.evidence_get_for_user(world.users["commune_b"], proof.pk) == proof
    assert selectors.evidence_get_for_user(world.users["inspector"], proof.pk) == proof


# Reads within one visit: the access filter is left out only when the visit is known to be seen ------------

ALL_PERSONAS = ["secretariat", "lead", "inspector", "viewer", "commune_a", "commune_a_lead", "commune_b"]


def _filtered(queryset, user, visit):
    """The rows of the visit as the access filter alone lets the user read them."""
    q = selectors._visit_q(user, "visit__")
    return set(queryset.filter(visit=visit).filter(q).values_list("pk", flat=True))


@pytest.mark.parametrize("persona", ALL_PERSONAS + ["stranger"])
@pytest.mark.parametrize("key", ["a", "b"])
def test_reads_within_a_visit_return_what_the_access_filter_returns(world, persona, key):
    from inspections import permissions
    from inspections.models import CriterionScore, Evidence, Finding, ScoreContest
    from inspections.tests.factories import ScoreContestFactory

    for visit, unit in ((world.visit_a, world.commune_a), (world.visit_b, world.commune_b)):
        filed = ScoreContestFactory(visit=visit, criterion=world.leaves[0], status=ScoreContest.Status.PENDING)
        draft = ScoreContestFactory(visit=visit, criterion=world.leaves[1], status=ScoreContest.Status.DRAFT)
        EvidenceFactory(visit=visit, unit=unit, criterion=world.leaves[0], contest=filed)
        EvidenceFactory(visit=visit, unit=unit, criterion=world.leaves[1], contest=draft)
    user = world.users.get(persona) or UserFactory(username="stranger")
    visit = selectors.visit_list_for_user(world.users["lead"]).get(pk=getattr(world, f"visit_{key}").pk)
    # The request has read the user's seat on the team, as the permission checks do.
    permissions.team_member(user, visit.plan)
    assert set(selectors.score_list_for_user(user, visit=visit).values_list("pk", flat=True)) == _filtered(
        CriterionScore.objects, user, visit
    )
    assert set(selectors.finding_list_for_user(user, visit=visit).values_list("pk", flat=True)) == _filtered(
        Finding.objects, user, visit
    )
    assert set(selectors.contest_list_for_user(user, visit=visit).values_list("pk", flat=True)) == _filtered(
        ScoreContest.objects, user, visit
    )
    expected_files = set(selectors.evidence_list_for_user(user).filter(visit=visit).values_list("pk", flat=True))
    assert set(selectors.visit_evidence_for_user(user, visit=visit).values_list("pk", flat=True)) == expected_files
    assert expected_files <= set(Evidence.objects.filter(visit=visit).values_list("pk", flat=True))


@pytest.mark.parametrize("persona", ALL_PERSONAS + ["stranger"])
@pytest.mark.parametrize("key", ["a", "b"])
def test_one_visit_is_found_exactly_when_the_visit_list_holds_it(world, persona, key):
    user = world.users.get(persona) or UserFactory(username="stranger")
    pk = getattr(world, f"visit_{key}").pk
    if selectors.visit_list_for_user(user).filter(pk=pk).exists():
        assert selectors.visit_get_for_user(user, pk).pk == pk
    else:
        with pytest.raises(Http404):
            selectors.visit_get_for_user(user, pk)


def test_a_visit_not_known_to_be_seen_is_read_through_the_access_filter(world):
    stranger = UserFactory(username="stranger")
    visit = selectors.visit_list_for_user(world.users["lead"]).get(pk=world.visit_a.pk)
    assert not selectors.visit_seen_by_scope(stranger, visit)
    assert not selectors.score_list_for_user(stranger, visit=visit).exists()
    assert "EXISTS" in str(selectors.score_list_for_user(stranger, visit=visit).query)
    # The lead's authority tells without a query; his reads carry no access filter.
    lead = world.users["lead"]
    assert selectors.visit_seen_by_scope(lead, visit)
    assert "EXISTS" not in str(selectors.score_list_for_user(lead, visit=visit).query)


@pytest.mark.parametrize("persona", ["lead", "inspector"])
def test_workspace_criteria_are_the_scored_criteria_of_the_areas_in_the_order_of_the_set(world, persona):
    from decimal import Decimal

    from inspections import permissions
    from inspections.models import Criterion
    from inspections.tests.factories import CriterionFactory

    area_1, area_2 = world.areas
    # A parent of another area than its child, and a parent without children (then scored).
    elsewhere = CriterionFactory(area=area_2, code="2.9", max_score=Decimal("0"), order=8)
    CriterionFactory(area=area_1, parent=elsewhere, code="1.9", max_score=Decimal("0"), order=9)
    CriterionFactory(area=area_1, code="1.3", max_score=Decimal("0"), order=4)
    area_ids = permissions.appraisal_area_ids(world.users[persona], world.plan)
    page = selectors.workspace_criteria(visit=world.visit_a, area_ids=area_ids)
    expected = list(
        Criterion.objects.filter(criteria_set_id=world.criteria_set.pk, area_id__in=area_ids, children__isnull=True)
        .select_related("area", "parent")
        .order_by("area__order", "area__number", "order", "code")
    )
    assert page.scored == expected
    assert [(c.area, c.parent) for c in page.scored] == [(c.area, c.parent) for c in expected]
    assert page.criteria == list(Criterion.objects.filter(area_id__in=area_ids).order_by("order", "code"))
    assert page.areas == [area for area in world.areas if area.pk in area_ids]
