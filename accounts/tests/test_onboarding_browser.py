"""A province that is not in the demo comes on board through the screens, from an empty database."""

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from accounts.models import Membership, User
from accounts.tests.factories import UserFactory
from communes.models import AdministrativeUnit

NEW_PASSWORD = "Ca-Mau-2026-cchc"


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")


def sign_out(page):
    page.get_by_test_id("current-user").click()
    page.get_by_test_id("sign-out").click()
    page.wait_for_url("**/accounts/login/")


def change_temporary_password(page, live_server, temporary):
    page.wait_for_url(f"{live_server.url}/accounts/password/")
    assert page.get_by_test_id("must-change").is_visible()
    page.fill("#id_old_password", temporary)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.get_by_test_id("password-form").locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_new_province_is_onboarded_through_the_screens(page, live_server, tmp_path):
    call_command("import_units", stdout=io.StringIO())
    ca_mau = AdministrativeUnit.objects.get(level=1, code="96", valid_to__isnull=True)
    communes = list(ca_mau.children.order_by("code")[:20])
    assert len(communes) == 20 and not User.objects.exists()
    UserFactory(username="root", full_name="Quản trị hệ thống", is_superuser=True, is_staff=True)

    # The administrator works for Cà Mau and creates its secretariat.
    sign_in(page, live_server, "root", "demo")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_test_id("nav-manage").click()
    page.get_by_test_id("nav-people").click()
    page.wait_for_url("**/accounts/authority/**")
    page.select_option("select[name=authority]", value=str(ca_mau.pk))
    page.get_by_test_id("authority-form").locator("button[type=submit]").click()
    page.wait_for_url("**/accounts/people/")
    assert "Cà Mau" in page.get_by_test_id("people-authority").inner_text()
    page.get_by_test_id("person-create").click()
    page.fill("#id_full_name", "Lý Thị Hạnh")
    page.fill("#id_username", "hanh.snv")
    page.fill("#id_position", "Chuyên viên Sở Nội vụ")
    page.select_option("#id_role", "secretariat")
    page.get_by_test_id("person-form").locator("button[type=submit]").click()
    temporary = page.get_by_test_id("new-password").inner_text()
    assert page.get_by_test_id("new-username").inner_text() == "hanh.snv"
    sign_out(page)

    # The secretariat signs in with the temporary password and must change it first.
    sign_in(page, live_server, "hanh.snv", temporary)
    change_temporary_password(page, live_server, temporary)
    assert "Lý Thị Hạnh" in page.get_by_test_id("current-user").inner_text()

    # Twenty commune accounts from a sheet.
    book = Workbook()
    book.active.append(["Họ và tên", "Cơ quan", "Mã xã", "Vai trò", "Thư điện tử", "Điện thoại"])
    for index, commune in enumerate(communes):
        role = "Lãnh đạo UBND xã" if index % 2 else "Công chức xã"
        book.active.append([f"Người dùng {index + 1} {commune.name}", "Văn phòng", commune.code, role, None, None])
    sheet = tmp_path / "xa-ca-mau.xlsx"
    book.save(sheet)
    page.get_by_test_id("nav-manage").click()
    page.get_by_test_id("nav-people").click()
    page.get_by_test_id("people-import").click()
    page.set_input_files("input[name=file]", str(sheet))
    page.get_by_test_id("people-import-form").locator("button[type=submit]").click()
    rows = page.get_by_test_id("new-account")
    rows.first.wait_for()
    assert rows.count() == 20
    first_username = rows.first.get_by_test_id("new-username").inner_text()
    first_password = rows.first.get_by_test_id("new-password").inner_text()
    assert Membership.objects.filter(unit__in=communes, role__in=Membership.COMMUNE_ROLES).count() == 20
    sign_out(page)

    # A commune's first sign-in: the forced change, then its own campaigns page.
    sign_in(page, live_server, first_username, first_password)
    change_temporary_password(page, live_server, first_password)
    user = User.objects.get(username=first_username)
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    assert user.memberships.get().unit == communes[0]
    assert f"Người dùng 1 {communes[0].name}" in page.get_by_test_id("current-user").inner_text()
