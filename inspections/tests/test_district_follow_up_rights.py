"""Re-check, answer and verify follow the area rule of editing a finding, through the screens, as each role."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from inspections.models import Finding, Remedy, TeamMember
from inspections.tests.factories import FindingFactory, RemedyFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

# Group 1 appraises area 1 (the world's inspector), group 2 area 2 (inspector_2); the lead every area.
PERSONAS = ("secretariat", "lead", "inspector", "inspector_2", "viewer", "commune_a", "commune_a_lead", "commune_b")


@pytest.fixture
def people(world):
    user = UserFactory(username="inspector_2", full_name="Võ Văn Hai")
    MembershipFactory(user=user, unit=world.district, role=Membership.Role.INSPECTOR)
    TeamMemberFactory(team=world.team, user=user, role=TeamMember.Role.MEMBER, group=world.groups[1])
    return {**world.users, "inspector_2": user}


def _carried(world, area, *, reported=True):
    old = FindingFactory(visit=world.visit_b, kind=Finding.Kind.SHORTCOMING, status=Finding.Status.CARRIED_OVER)
    status = Finding.Status.REPORTED if reported else Finding.Status.OPEN
    finding = FindingFactory(
        visit=world.visit_a, kind=Finding.Kind.SHORTCOMING, area=area, carried_from=old, status=status
    )
    remedy = RemedyFactory(finding=finding, status=Remedy.Status.REPORTED if reported else Remedy.Status.DRAFT)
    return finding, remedy


def _post(client, user, name, pk, data):
    client.force_login(user)
    return client.post(reverse(f"inspections:{name}", args=[pk]), data)


# Who may act on a finding of area 2 (group 2's): 200/302 acts, 403 refused, 404 does not see it.
AREA_2_RIGHTS = {
    "secretariat": 403,
    "lead": 302,
    "inspector": 403,
    "inspector_2": 302,
    "viewer": 403,
    "commune_a": 403,
    "commune_a_lead": 403,
    "commune_b": 404,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_recheck_of_another_groups_finding_is_refused_and_changes_nothing(world, people, client, persona):
    finding, remedy = _carried(world, world.areas[1])
    response = _post(client, people[persona], "finding_recheck", finding.pk, {"remedied": "yes"})
    assert response.status_code == AREA_2_RIGHTS[persona], persona
    finding.refresh_from_db()
    remedy.refresh_from_db()
    if AREA_2_RIGHTS[persona] == 302:
        assert finding.status == Finding.Status.REMEDIED and finding.rechecked_by == people[persona]
        # The remedy the commune reported is verified with the finding, never left "reported".
        assert remedy.status == Remedy.Status.VERIFIED and remedy.verified_by == people[persona]
    else:
        assert finding.status == Finding.Status.REPORTED and finding.rechecked_by is None
        assert remedy.status == Remedy.Status.REPORTED


def test_recheck_still_open_sends_the_reported_remedy_back_with_a_reason(world, people, client):
    finding, remedy = _carried(world, world.areas[0])
    response = _post(client, people["inspector"], "finding_recheck", finding.pk, {"remedied": "no"})
    assert response.status_code == 302
    finding.refresh_from_db()
    remedy.refresh_from_db()
    assert finding.status == Finding.Status.OPEN
    assert remedy.status == Remedy.Status.RETURNED and remedy.return_reason


@pytest.mark.parametrize("persona", PERSONAS)
def test_answer_to_a_question_of_another_groups_area_is_refused(world, people, client, persona):
    question = FindingFactory(
        visit=world.visit_a, kind=Finding.Kind.QUESTION, area=world.areas[1], text="Hỏi về một cửa điện tử?"
    )
    response = _post(client, people[persona], "finding_answer", question.pk, {"answer": "Trả lời"})
    assert response.status_code == AREA_2_RIGHTS[persona], persona
    question.refresh_from_db()
    answered = AREA_2_RIGHTS[persona] == 302
    assert (question.answer == "Trả lời") is answered
    assert (question.status == Finding.Status.ANSWERED) is answered


@pytest.mark.parametrize("persona", PERSONAS)
def test_verify_of_a_remedy_of_another_groups_area_is_refused(world, people, client, persona):
    finding = FindingFactory(
        visit=world.visit_a, kind=Finding.Kind.SHORTCOMING, area=world.areas[1], status=Finding.Status.REPORTED
    )
    remedy = RemedyFactory(finding=finding, status=Remedy.Status.REPORTED)
    response = _post(client, people[persona], "remedy_verify", remedy.pk, {})
    assert response.status_code == AREA_2_RIGHTS[persona], persona
    remedy.refresh_from_db()
    finding.refresh_from_db()
    verified = AREA_2_RIGHTS[persona] == 302
    assert (remedy.status == Remedy.Status.VERIFIED) is verified
    assert (finding.status == Finding.Status.REMEDIED) is verified


@pytest.mark.parametrize("persona", PERSONAS)
def test_sending_back_a_remedy_of_another_groups_area_is_refused(world, people, client, persona):
    finding = FindingFactory(
        visit=world.visit_a, kind=Finding.Kind.SHORTCOMING, area=world.areas[1], status=Finding.Status.REPORTED
    )
    remedy = RemedyFactory(finding=finding, status=Remedy.Status.REPORTED)
    response = _post(client, people[persona], "remedy_return", remedy.pk, {"reason": "Thiếu biên bản"})
    assert response.status_code == AREA_2_RIGHTS[persona], persona
    remedy.refresh_from_db()
    assert (remedy.status == Remedy.Status.RETURNED) is (AREA_2_RIGHTS[persona] == 302)


def test_the_workspace_offers_re_check_answer_and_edit_only_on_the_groups_areas(world, people, client):
    mine, _remedy = _carried(world, world.areas[0], reported=False)
    other, _remedy = _carried(world, world.areas[1], reported=False)
    question = FindingFactory(visit=world.visit_a, kind=Finding.Kind.QUESTION, area=world.areas[1], text="Hỏi?")
    client.force_login(people["inspector"])
    body = client.get(reverse("inspections:visit_workspace", args=[world.visit_a.pk])).content.decode()
    assert reverse("inspections:finding_recheck", args=[mine.pk]) in body
    assert reverse("inspections:finding_recheck", args=[other.pk]) not in body
    assert reverse("inspections:finding_answer", args=[question.pk]) not in body
    client.force_login(people["inspector_2"])
    body = client.get(reverse("inspections:visit_workspace", args=[world.visit_a.pk])).content.decode()
    assert reverse("inspections:finding_recheck", args=[other.pk]) in body
    assert reverse("inspections:finding_answer", args=[question.pk]) in body


def test_the_remedy_page_offers_verification_only_to_the_areas_team_members(world, people, client):
    finding = FindingFactory(
        visit=world.visit_a, kind=Finding.Kind.SHORTCOMING, area=world.areas[1], status=Finding.Status.REPORTED
    )
    remedy = RemedyFactory(finding=finding, status=Remedy.Status.REPORTED)
    verify = reverse("inspections:remedy_verify", args=[remedy.pk])
    page = reverse("inspections:finding_remedy", args=[finding.pk])
    for persona, offered in (("inspector", False), ("secretariat", False), ("inspector_2", True), ("lead", True)):
        client.force_login(people[persona])
        assert (verify in client.get(page).content.decode()) is offered, persona
