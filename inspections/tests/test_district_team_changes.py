"""Once the visits have started, the team changes only by its lead or the authority's chairman, and is recorded;
nobody reopens minutes he did not sign unless he held the lead seat before the signature. Through the screens.
"""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from inspections.audit import visit_history
from inspections.models import CriterionScore, Minutes, TeamMember, Visit
from inspections.services import closing

pytestmark = pytest.mark.django_db

PERSONAS = ("secretariat", "lead", "inspector", "viewer", "commune_a", "commune_a_lead", "commune_b")


def _start(world):
    """Commune A's visit is being appraised: the campaign has started."""
    Visit.objects.filter(pk=world.visit_a.pk).update(status=Visit.Status.APPRAISING)


def _signed(world, client, signer=None):
    for score in CriterionScore.objects.filter(visit=world.visit_a):
        score.appraised_score = score.max_score
        score.save(update_fields=["appraised_score"])
    _start(world)
    closing.minutes_save(
        visit=world.visit_a,
        user=world.users["lead"],
        held_on=dt.date(2020, 10, 13),
        team_attendees=[{"name": "Lead", "position": "Trưởng đoàn"}],
        commune_attendees=[{"name": "Huỳnh Văn Tâm", "position": "Chủ tịch UBND xã"}],
    )
    client.force_login(signer or world.users["lead"])
    assert client.post(reverse("inspections:minutes_sign", args=[world.visit_a.pk])).status_code == 302
    assert Minutes.objects.get(visit=world.visit_a).is_signed


def _seat(world, username):
    return TeamMember.objects.get(team=world.team, user__username=username)


def _member_data(member, **changes):
    data = {"user": member.user_id, "role": member.role, "position": member.position, "group": member.group_id or ""}
    data["department"] = member.department_id or ""
    data.update(changes)
    return data


def _seats(world):
    return sorted(TeamMember.objects.filter(team=world.team).values_list("user__username", "role", "group_id"))


def test_the_secretariat_cannot_make_himself_lead_and_reopen_signed_minutes(world, client):
    _signed(world, client)
    before = _seats(world)
    client.force_login(world.users["secretariat"])
    lead_seat, own_seat = _seat(world, "lead"), _seat(world, "secretariat")
    assert client.post(reverse("inspections:member_delete", args=[lead_seat.pk])).status_code == 403
    url = reverse("inspections:member_edit", args=[world.plan.pk, own_seat.pk])
    assert client.post(url, _member_data(own_seat, role="lead")).status_code == 403
    reopen = reverse("inspections:minutes_reopen", args=[world.visit_a.pk])
    assert client.post(reopen, {"reason": "Tự sửa"}).status_code == 403
    assert _seats(world) == before
    assert Minutes.objects.get(visit=world.visit_a).is_signed


@pytest.mark.parametrize("persona", PERSONAS)
def test_after_the_start_only_the_lead_or_the_chairman_change_the_team(world, client, persona):
    _start(world)
    inspector_seat = _seat(world, "inspector")
    # The world's viewer holds the authority's viewer role marked as its chairman.
    allowed = persona in {"lead", "viewer"}
    client.force_login(world.users[persona])
    url = reverse("inspections:member_edit", args=[world.plan.pk, inspector_seat.pk])
    response = client.post(url, _member_data(inspector_seat, group=world.groups[1].pk))
    expected = 302 if allowed else 403
    assert response.status_code == expected, persona
    inspector_seat.refresh_from_db()
    assert (inspector_seat.group_id == world.groups[1].pk) is allowed
    response = client.post(reverse("inspections:team_edit", args=[world.plan.pk]), {"name": "Đoàn mới"})
    assert response.status_code == (302 if allowed else 403), persona


def test_before_the_start_the_secretariat_sets_up_the_team(world, client):
    client.force_login(world.users["secretariat"])
    seat = _seat(world, "inspector")
    url = reverse("inspections:member_edit", args=[world.plan.pk, seat.pk])
    assert client.post(url, _member_data(seat, position="Chuyên viên")).status_code == 302
    seat.refresh_from_db()
    assert seat.position == "Chuyên viên"


@pytest.mark.parametrize("with_department", [True, False], ids=["of a department", "without a department"])
def test_a_viewer_not_marked_chairman_is_not_the_chairman(world, client, with_department):
    from communes.tests.factories import DepartmentFactory

    _start(world)
    department = DepartmentFactory(authority=world.district) if with_department else None
    other = UserFactory(username="viewer_dept")
    MembershipFactory(user=other, unit=world.district, role=Membership.Role.VIEWER, department=department)
    client.force_login(other)
    seat = _seat(world, "inspector")
    response = client.post(reverse("inspections:member_delete", args=[seat.pk]))
    assert response.status_code == 403 and TeamMember.objects.filter(pk=seat.pk).exists()


def test_a_lead_seated_after_the_signature_does_not_reopen_it(world, client):
    _signed(world, client)
    newcomer = UserFactory(username="new_lead", full_name="Người mới")
    MembershipFactory(user=newcomer, unit=world.district, role=Membership.Role.TEAM_LEAD)
    # The chairman moves the lead seat: the old lead becomes a member, the newcomer the lead.
    client.force_login(world.users["viewer"])
    old = _seat(world, "lead")
    edit = reverse("inspections:member_edit", args=[world.plan.pk, old.pk])
    assert client.post(edit, _member_data(old, role="member")).status_code == 302
    add = reverse("inspections:member_add", args=[world.plan.pk])
    assert (
        client.post(
            add, {"user": newcomer.pk, "role": "lead", "position": "", "group": "", "department": ""}
        ).status_code
        == 302
    )
    reopen = reverse("inspections:minutes_reopen", args=[world.visit_a.pk])
    client.force_login(newcomer)
    assert client.post(reopen, {"reason": "Sửa"}).status_code == 403
    client.force_login(world.users["lead"])
    assert client.post(reopen, {"reason": "Sửa"}).status_code == 403
    assert Minutes.objects.get(visit=world.visit_a).is_signed
    # Every change of the team is in the history, with who made it.
    entries = [e for e in visit_history(visit=world.visit_a) if e.subject.startswith(("Team member", "Thành viên"))]
    assert any(e.who == world.users["viewer"] for e in entries)
    client.force_login(world.users["viewer"])
    page = client.get(reverse("inspections:team_edit", args=[world.plan.pk]))
    assert page.status_code == 200 and "Người mới" in page.content.decode()


def test_the_signer_reopens_and_a_lead_seated_before_the_signature_reopens_another_signers_minutes(world, client):
    _signed(world, client)
    reopen = reverse("inspections:minutes_reopen", args=[world.visit_a.pk])
    client.force_login(world.users["lead"])
    assert client.post(reopen, {"reason": "Sửa điểm"}).status_code == 302
    assert not Minutes.objects.get(visit=world.visit_a).is_signed
    # Signed by an administrator; the lead held the seat before, so he may reopen.
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.post(reverse("inspections:minutes_sign", args=[world.visit_a.pk])).status_code == 302
    client.force_login(world.users["lead"])
    assert client.post(reopen, {"reason": "Sửa lại"}).status_code == 302
    assert not Minutes.objects.get(visit=world.visit_a).is_signed


def test_a_members_move_to_another_department_is_in_the_teams_history(world):
    from communes.models import Department
    from inspections.services import setup

    office = Department.objects.create(authority=world.district, name="Văn phòng HĐND và UBND", short_name="Văn phòng")
    justice = Department.objects.create(authority=world.district, name="Phòng Tư pháp", short_name="Tư pháp")
    seat = TeamMember.objects.get(team=world.team, user=world.users["inspector"])
    for department in (office, justice):
        setup.member_save(
            team=world.team,
            user=world.users["secretariat"],
            member=seat,
            member_user=seat.user,
            role=seat.role,
            department=department,
            position=seat.position,
            group=seat.group,
        )
    entries = [e for e in visit_history(visit=world.visit_a) if e.subject.startswith(("Team member", "Thành viên"))]
    moves = [(c.old, c.new) for e in entries for c in e.changes if c.label in ("department", "phòng, ban")]
    assert ("Văn phòng", "Tư pháp") in moves
    assert ("—", "Văn phòng") in moves
