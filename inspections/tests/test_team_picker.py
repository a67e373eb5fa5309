"""The team's person picker offers the authority's people and those of its communes, nobody else."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from communes.models import AdministrativeUnit, Department
from communes.tests.factories import CommuneFactory, DepartmentFactory, DistrictFactory
from inspections import selectors
from inspections.forms.setup import MemberForm
from inspections.models import TeamGroup, TeamMember
from inspections.services import setup
from inspections.tests.factories import CriteriaSetFactory, PlanFactory, TeamFactory
from tests.forms import form_with

REFUSED = (
    "Chỉ người làm việc tại cơ quan kiểm tra hoặc tại một xã, phường, thị trấn trực thuộc "
    "mới được cử vào Đoàn kiểm tra."
)


def _offered(client, world) -> list[str]:
    body = client.get(reverse("inspections:member_add", args=[world.plan.pk])).content.decode()
    return form_with(body, "user")["options"]["user"]


def _outsiders(world) -> dict:
    """A superuser with no role, a secretary of another district, a former commune official of this one."""
    other_district = DistrictFactory(name="Giồng Riềng", parent=world.province)
    elsewhere = UserFactory(username="elsewhere", full_name="Trần Thị Khác")
    MembershipFactory(user=elsewhere, unit=other_district, role=Membership.Role.SECRETARIAT)
    former = UserFactory(username="former", full_name="Lê Văn Cũ")
    MembershipFactory(user=former, unit=world.commune_a, role=Membership.Role.COMMUNE_STAFF, is_active=False)
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    return {"root": root, "elsewhere": elsewhere, "former": former}


def test_the_picker_offers_the_authoritys_people_and_its_communes_staff(world, persona_client):
    outsiders = _outsiders(world)
    offered = _offered(persona_client("secretariat"), world)
    for name in ("secretariat", "lead", "inspector", "viewer", "commune_a", "commune_a_lead", "commune_b"):
        assert str(world.users[name].pk) in offered, name
    for user in outsiders.values():
        assert str(user.pk) not in offered, user.username


def test_an_inactive_account_is_not_offered(world, persona_client):
    newcomer = UserFactory(username="left", is_active=False)
    MembershipFactory(user=newcomer, unit=world.district, role=Membership.Role.INSPECTOR)
    assert str(newcomer.pk) not in _offered(persona_client("secretariat"), world)


def test_the_options_name_the_person_and_the_roles_held_in_dictionary_order(world, persona_client):
    department = DepartmentFactory(authority=world.district, name="Phòng Nội vụ")
    oanh = UserFactory(username="oanh", full_name="Ông Thị Oanh")
    MembershipFactory(user=oanh, unit=world.district, role=Membership.Role.INSPECTOR, department=department)
    an = UserFactory(username="an", full_name="Đặng Văn An")
    MembershipFactory(user=an, unit=world.commune_b, role=Membership.Role.COMMUNE_STAFF)
    body = persona_client("secretariat").get(reverse("inspections:member_add", args=[world.plan.pk])).content.decode()
    assert "Ông Thị Oanh (oanh) — Phòng Nội vụ / Huyện Tân Hiệp</option>" in body
    assert "Đặng Văn An (an) — Công chức xã / Xã Tân Hội</option>" in body
    select = body[body.index('name="user"') : body.index("</select>", body.index('name="user"'))]
    # Dictionary order: Đ after D, Ô after O, both before V.
    names = ["Commune A", "Đặng Văn An", "Ông Thị Oanh", "Viewer"]
    assert sorted(names, key=select.index) == names


def test_the_picker_reads_its_people_and_their_roles_in_two_queries(world):
    department = DepartmentFactory(authority=world.district)
    for index in range(12):
        user = UserFactory(username=f"crowd{index}")
        MembershipFactory(user=user, unit=world.commune_a, role=Membership.Role.COMMUNE_STAFF)
        MembershipFactory(user=user, unit=world.district, role=Membership.Role.VIEWER, department=department)
    form = MemberForm(
        users=selectors.team_candidate_list(plan=world.plan, team=world.team),
        departments=Department.objects.none(),
        groups=TeamGroup.objects.none(),
    )
    with CaptureQueriesContext(connection) as queries:
        select = str(form["user"])
    assert select.count("<option") == 1 + 7 + 12
    assert f"— {department.name} / Huyện Tân Hiệp; Công chức xã / Xã Thạnh Đông A</option>" in select
    assert len(queries) == 2


@pytest.mark.parametrize("outsider", ["root", "elsewhere", "former"])
def test_posting_someone_from_elsewhere_is_refused_in_vietnamese(world, persona_client, outsider):
    user = _outsiders(world)[outsider]
    before = list(TeamMember.objects.order_by("pk").values_list("pk", "user_id", "role"))
    response = persona_client("secretariat").post(
        reverse("inspections:member_add", args=[world.plan.pk]),
        {"user": user.pk, "role": TeamMember.Role.MEMBER, "position": "", "group": "", "department": ""},
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert list(TeamMember.objects.order_by("pk").values_list("pk", "user_id", "role")) == before


def test_the_service_refuses_someone_from_elsewhere(world):
    elsewhere = _outsiders(world)["elsewhere"]
    with pytest.raises(ValidationError) as refused:
        setup.member_save(
            team=world.team, user=world.users["secretariat"], member_user=elsewhere, role=TeamMember.Role.MEMBER
        )
    assert refused.value.message_dict == {"user": [REFUSED]}
    assert not TeamMember.objects.filter(user=elsewhere).exists()


def test_a_member_whose_membership_ended_can_still_be_edited(world, persona_client):
    seat = TeamMember.objects.get(team=world.team, user=world.users["inspector"])
    Membership.objects.filter(user=world.users["inspector"]).update(is_active=False)
    client = persona_client("secretariat")
    url = reverse("inspections:member_edit", args=[world.plan.pk, seat.pk])
    form = form_with(client.get(url).content.decode(), "user")
    assert form["values"]["user"] == str(seat.user_id)
    data = {**form["values"], "position": "Chuyên viên"}
    data.pop("csrfmiddlewaretoken", None)
    assert client.post(url, data).status_code == 302
    seat.refresh_from_db()
    assert seat.position == "Chuyên viên" and seat.user == world.users["inspector"]


def test_since_2025_a_province_offers_its_own_people_and_its_communes(world):
    """A province inspects its communes directly; a district's secretary below it is not one of its people."""
    province = world.province
    criteria_set = CriteriaSetFactory(authority=province, year=2025)
    plan = PlanFactory(criteria_set=criteria_set, round_start=dt.date(2025, 10, 1), round_end=dt.date(2025, 10, 30))
    team = TeamFactory(plan=plan)
    ward = CommuneFactory(name="Rạch Giá", parent=province, kind=AdministrativeUnit.Kind.WARD)
    home_affairs = UserFactory(username="sonv")
    MembershipFactory(user=home_affairs, unit=province, role=Membership.Role.SECRETARIAT)
    ward_clerk = UserFactory(username="ward_clerk")
    MembershipFactory(user=ward_clerk, unit=ward, role=Membership.Role.COMMUNE_STAFF)
    offered = set(selectors.team_candidate_list(plan=plan, team=team))
    assert {home_affairs, ward_clerk, world.users["commune_a"]} <= offered
    assert world.users["secretariat"] not in offered
