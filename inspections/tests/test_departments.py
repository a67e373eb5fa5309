"""The authority's departments (Phòng, ban): the secretariat adds, renames and deletes them; the team page uses them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from communes.models import Department
from communes.tests.factories import DepartmentFactory, DistrictFactory
from inspections.models import TeamMember
from inspections.services import departments as services
from tests.forms import form_with

LIST = reverse("inspections:department_list")
ADD = reverse("inspections:department_add")


def _edit(department):
    return reverse("inspections:department_edit", args=[department.pk])


def _delete(department):
    return reverse("inspections:department_delete", args=[department.pk])


def _body(response) -> str:
    return response.content.decode()


def test_secretariat_adds_a_department_and_the_list_shows_it(world, persona_client):
    client = persona_client("secretariat")
    response = client.post(ADD, {"name": "  Phòng  Nội vụ ", "short_name": "Nội vụ", "is_standing_body": "on"})
    assert response.status_code == 302
    department = Department.objects.get(authority=world.district)
    assert (department.name, department.short_name, department.is_standing_body) == ("Phòng Nội vụ", "Nội vụ", True)
    body = _body(client.get(response["Location"]))
    assert "Phòng, ban của Huyện Tân Hiệp" in body
    assert "Đã thêm Phòng Nội vụ." in body
    assert f'data-testid="department-{department.pk}"' in body
    assert _edit(department) in body and _delete(department) in body


def test_a_department_added_without_an_order_comes_after_the_others(world, persona_client):
    DepartmentFactory(authority=world.district, name="Phòng Nội vụ", order=5)
    client = persona_client("secretariat")
    client.post(ADD, {"name": "Phòng Tư pháp", "add_another": "1"})
    assert Department.objects.get(name="Phòng Tư pháp").order == 6


def test_secretariat_renames_a_department_and_its_team_member_shows_the_new_name(world, persona_client):
    department = DepartmentFactory(authority=world.district, name="Phòng Văn hóa", short_name="", order=3)
    TeamMember.objects.filter(team=world.team, user=world.users["inspector"]).update(department=department)
    client = persona_client("secretariat")
    form = form_with(_body(client.get(_edit(department))), "name")
    assert form["values"]["name"] == "Phòng Văn hóa" and form["values"]["order"] == "3"
    response = client.post(
        _edit(department), {**form["values"], "name": "Phòng Văn hóa và Thông tin", "short_name": "VH-TT"}
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert (department.name, department.short_name, department.order) == ("Phòng Văn hóa và Thông tin", "VH-TT", 3)
    team_page = _body(client.get(reverse("inspections:team_edit", args=[world.plan.pk])))
    assert "VH-TT" in team_page


@pytest.mark.parametrize("name", ["Phòng Nội vụ", "phòng nội vụ", "PHÒNG NỘI VỤ"])
def test_a_name_the_authority_has_is_a_form_message_in_vietnamese(world, persona_client, name):
    DepartmentFactory(authority=world.district, name="Phòng Nội vụ")
    response = persona_client("secretariat").post(ADD, {"name": name})
    assert response.status_code == 200
    # The message names the department the authority has, however the new name was typed.
    assert "Huyện Tân Hiệp đã có phòng, ban tên là Phòng Nội vụ." in _body(response)
    assert Department.objects.filter(authority=world.district).count() == 1


def test_renaming_to_another_departments_name_is_refused(world, persona_client):
    DepartmentFactory(authority=world.district, name="Phòng Nội vụ")
    other = DepartmentFactory(authority=world.district, name="Phòng Tư pháp")
    response = persona_client("secretariat").post(_edit(other), {"name": "Phòng Nội vụ"})
    assert response.status_code == 200
    assert "đã có phòng, ban tên là Phòng Nội vụ." in _body(response)
    other.refresh_from_db()
    assert other.name == "Phòng Tư pháp"


def test_another_authority_may_use_the_same_name(world, persona_client):
    DepartmentFactory(authority=DistrictFactory(parent=world.province), name="Phòng Nội vụ")
    response = persona_client("secretariat").post(ADD, {"name": "Phòng Nội vụ"})
    assert response.status_code == 302
    assert Department.objects.filter(name="Phòng Nội vụ").count() == 2


def test_a_second_standing_body_is_refused_with_the_first_ones_name(world, persona_client):
    DepartmentFactory(authority=world.district, name="Phòng Nội vụ", is_standing_body=True)
    other = DepartmentFactory(authority=world.district, name="Văn phòng HĐND-UBND")
    response = persona_client("secretariat").post(_edit(other), {"name": other.name, "is_standing_body": "on"})
    assert response.status_code == 200
    assert "Phòng Nội vụ đang là cơ quan thường trực CCHC" in _body(response)
    assert Department.objects.filter(authority=world.district, is_standing_body=True).count() == 1


def test_the_standing_body_is_kept_when_its_own_row_is_saved_again(world, persona_client):
    home = DepartmentFactory(authority=world.district, name="Phòng Nội vụ", is_standing_body=True)
    response = persona_client("secretariat").post(_edit(home), {"name": home.name, "is_standing_body": "on"})
    assert response.status_code == 302


def test_a_department_a_team_member_belongs_to_is_not_deleted(world, persona_client):
    department = DepartmentFactory(authority=world.district, name="Phòng Tư pháp")
    TeamMember.objects.filter(team=world.team, user=world.users["inspector"]).update(department=department)
    client = persona_client("secretariat")
    response = client.post(_delete(department), follow=True)
    assert response.status_code == 200
    body = _body(response)
    assert "Không thể xóa Phòng Tư pháp: 1 thành viên Đoàn kiểm tra năm 2020 thuộc phòng, ban này" in body
    assert Department.objects.filter(pk=department.pk).exists()


def test_a_department_an_account_belongs_to_is_not_deleted(world, persona_client):
    # Deleting it would silently take the account's department away.
    department = DepartmentFactory(authority=world.district, name="Phòng Tư pháp")
    MembershipFactory(
        user=UserFactory(username="tu_phap"), unit=world.district, role=Membership.Role.VIEWER, department=department
    )
    response = persona_client("secretariat").post(_delete(department), follow=True)
    assert "Không thể xóa Phòng Tư pháp: 1 tài khoản người dùng thuộc phòng, ban này." in _body(response)
    assert Department.objects.filter(pk=department.pk).exists()


def test_an_unused_department_is_deleted(world, persona_client):
    department = DepartmentFactory(authority=world.district, name="Phòng Tư pháp")
    response = persona_client("secretariat").post(_delete(department), follow=True)
    assert "Đã xóa Phòng Tư pháp." in _body(response)
    assert not Department.objects.filter(pk=department.pk).exists()


def test_the_team_page_says_when_the_authority_has_no_department_and_links_to_add_them(world, persona_client):
    client = persona_client("secretariat")
    team_url = reverse("inspections:team_edit", args=[world.plan.pk])
    body = _body(client.get(team_url))
    assert 'data-testid="no-departments"' in body
    assert "Huyện Tân Hiệp chưa có phòng, ban nào" in body
    assert f"{ADD}?authority={world.district.pk}" in body
    client.post(f"{ADD}?authority={world.district.pk}", {"name": "Phòng Nội vụ"})
    body = _body(client.get(team_url))
    assert 'data-testid="no-departments"' not in body
    assert f"{LIST}?authority={world.district.pk}" in body


def test_the_member_form_lists_a_department_added_on_the_screen(world, persona_client):
    client = persona_client("secretariat")
    member_add = reverse("inspections:member_add", args=[world.plan.pk])
    form = form_with(_body(client.get(member_add)), "department")
    assert form["options"]["department"] == [""]
    assert "Cơ quan chưa có phòng, ban nào" in _body(client.get(member_add))
    client.post(ADD, {"name": "Phòng Lao động - Thương binh và Xã hội", "short_name": "LĐ-TBXH"})
    department = Department.objects.get(authority=world.district)
    body = _body(client.get(member_add))
    assert form_with(body, "department")["options"]["department"] == ["", str(department.pk)]
    assert ">LĐ-TBXH</option>" in body


def test_the_menu_links_to_the_departments(world, persona_client):
    body = _body(persona_client("viewer").get(reverse("home")))
    assert 'data-testid="nav-departments"' in body and f'href="{LIST}"' in body


@pytest.mark.parametrize("persona", ["lead", "inspector", "viewer"])
def test_other_district_people_read_the_list_without_editing_links(world, persona_client, persona):
    department = DepartmentFactory(authority=world.district, name="Phòng Nội vụ")
    client = persona_client(persona)
    body = _body(client.get(LIST))
    assert "Phòng Nội vụ" in body
    assert _edit(department) not in body and ADD not in body
    assert client.get(_edit(department)).status_code == 403
    assert client.post(_delete(department)).status_code == 403
    assert Department.objects.filter(pk=department.pk).exists()


def test_commune_clerk_is_refused_every_department_page(world, persona_client):
    department = DepartmentFactory(authority=world.district, name="Phòng Nội vụ")
    client = persona_client("commune_a")
    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"name": "Phòng mới"}).status_code == 403
    assert client.get(_edit(department)).status_code == 404
    assert client.post(_delete(department)).status_code == 404
    assert Department.objects.filter(authority=world.district).count() == 1


def test_secretariat_does_not_reach_another_districts_departments(world, persona_client):
    elsewhere = DistrictFactory(parent=world.province)
    department = DepartmentFactory(authority=elsewhere, name="Phòng Nội vụ")
    client = persona_client("secretariat")
    assert client.get(_edit(department)).status_code == 404
    assert client.post(_delete(department)).status_code == 404
    assert client.get(f"{LIST}?authority={elsewhere.pk}").status_code == 403
    assert client.post(f"{ADD}?authority={elsewhere.pk}", {"name": "Phòng mới"}).status_code == 403
    assert not Department.objects.filter(authority=elsewhere, name="Phòng mới").exists()


def test_the_screens_work_in_english(world, persona_client):
    DepartmentFactory(authority=world.district, name="Phòng Nội vụ")
    client = persona_client("secretariat")
    client.cookies["cchc_language"] = "en"
    body = _body(client.get(LIST))
    assert "Departments of District Tân Hiệp" in body
    response = client.post(ADD, {"name": "Phòng Nội vụ"})
    assert "District Tân Hiệp already has a department named Phòng Nội vụ." in _body(response)
    department = Department.objects.get(authority=world.district)
    TeamMember.objects.filter(team=world.team, user=world.users["lead"]).update(department=department)
    body = _body(client.post(_delete(department), follow=True))
    assert "Phòng Nội vụ cannot be deleted: 1 member of the inspection team of 2020 belongs to it" in body


def test_the_services_check_the_right_to_set_up(world):
    with pytest.raises(PermissionDenied):
        services.department_create(user=world.users["viewer"], authority=world.district, name="Phòng Nội vụ")
    department = DepartmentFactory(authority=world.district, name="Phòng Nội vụ")
    with pytest.raises(PermissionDenied):
        services.department_delete(user=world.users["lead"], department=department)


def test_the_service_refuses_a_duplicate_short_name(world):
    DepartmentFactory(authority=world.district, name="Phòng Nội vụ", short_name="NV")
    with pytest.raises(ValidationError) as caught:
        services.department_create(
            user=world.users["secretariat"], authority=world.district, name="Phòng Nông nghiệp", short_name="nv"
        )
    assert "short_name" in caught.value.message_dict
