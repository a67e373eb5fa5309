"""The secretariat manages its people; passwords are changed, reset and checked in Vietnamese."""

import io
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from accounts import services
from accounts.authority import SESSION_KEY
from accounts.models import Membership, User
from accounts.tests.factories import MembershipFactory, UserFactory
from communes.tests.factories import CommuneFactory, DistrictFactory
from communes.tests.pages import in_page_order

pytestmark = pytest.mark.django_db
Role = Membership.Role


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet(rows, heading=True) -> io.BytesIO:
    book = Workbook()
    if heading:
        book.active.append(["Họ và tên", "Cơ quan", "Mã xã", "Vai trò", "Thư điện tử", "Điện thoại"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "people.xlsx"
    return out


def test_secretariat_creates_a_commune_account_with_a_temporary_password(world):
    client = signed_in(world.users["secretariat"])
    response = client.post(
        reverse("accounts:person_create"),
        {"full_name": "Lê Thị Hồng", "role": Role.COMMUNE_STAFF, "commune": world.commune_a.pk, "phone": "0912"},
        follow=True,
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    person = User.objects.get(full_name="Lê Thị Hồng")
    assert person.username == "honglt" and person.must_change_password
    assert person.memberships.get().unit == world.commune_a
    password = re.search(r'data-testid="new-password">([^<]+)<', response.content.decode()).group(1)
    assert person.check_password(password)


def test_the_first_sign_in_with_a_temporary_password_must_change_it_in_vietnamese(world):
    account = services.person_create(
        manager=world.users["secretariat"],
        authority=world.district,
        full_name="Trần Văn Bảy",
        role=Role.COMMUNE_LEAD,
        commune=world.commune_b,
    )
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": account.user.username, "password": account.password})
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": account.password, "new_password1": "123", "new_password2": "123"},
    )
    page = response.content.decode()
    assert "Mật khẩu quá ngắn" in page and "Mật khẩu này hoàn toàn là số" in page
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": account.password, "new_password1": "Lua-mua-2026!", "new_password2": "Lua-mua-2026!"},
    )
    assert response.status_code == 302
    account.user.refresh_from_db()
    assert not account.user.must_change_password
    assert client.get(reverse("home")).status_code == 200


def test_nobody_grants_a_role_above_his_own(world):
    secretariat = world.users["secretariat"]
    for role in (Role.TEAM_LEAD, Role.ADMIN):
        with pytest.raises(PermissionDenied):
            services.person_create(manager=secretariat, authority=world.district, full_name="Ai Đó", role=role)
    response = signed_in(secretariat).post(
        reverse("accounts:person_create"), {"full_name": "Ai Đó", "role": Role.TEAM_LEAD}
    )
    assert response.status_code == 200 and not User.objects.filter(full_name="Ai Đó").exists()
    # Nor does he edit, reset or deactivate someone above him.
    with pytest.raises(PermissionDenied):
        services.person_reset_password(manager=secretariat, authority=world.district, person=world.users["lead"])


def test_only_its_authority_manages_a_communes_people(world):
    other = DistrictFactory(parent=world.province)
    stranger = UserFactory()
    MembershipFactory(user=stranger, unit=other, role=Role.SECRETARIAT)
    client = signed_in(stranger)
    assert client.get(reverse("accounts:person_edit", args=[world.users["commune_a"].pk])).status_code == 404
    assert client.post(reverse("accounts:person_reset_password", args=[world.users["commune_a"].pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.person_create(
            manager=stranger, authority=world.district, full_name="X", role=Role.COMMUNE_STAFF, commune=world.commune_a
        )
    with pytest.raises(ValidationError) as error:
        services.person_create(
            manager=stranger, authority=other, full_name="X", role=Role.COMMUNE_STAFF, commune=world.commune_a
        )
    assert "commune" in error.value.message_dict


def test_a_sheet_creates_every_account_or_none(world, django_capture_on_commit_callbacks, celery_eager):
    client = signed_in(world.users["secretariat"])
    good = [
        ["Nguyễn Văn An", "Văn phòng - Thống kê", world.commune_a.code, "công chức xã", "an@example.vn", "0901"],
        ["Phạm Thị Bé", "Chủ tịch UBND xã", world.commune_b.code, "Lãnh đạo UBND xã", "", ""],
        ["Võ Minh Cường", "Phòng Nội vụ", "", "inspector", "", ""],
    ]
    bad = [*good, ["", "", "", "", "", ""], ["Hồ Văn Dũng", "", "99999", "commune staff", "", ""]]
    bad += [["Lý Thị Em", "", "", "trưởng đoàn", "", ""], ["Mai Văn Phú", "", world.commune_a.code, "chef", "x@", ""]]
    response = client.post(reverse("accounts:people_import"), {"file": sheet(bad)})
    page = response.content.decode()
    assert "Dòng 6: mã 99999 không phải là mã của một xã thuộc" in page
    assert "Dòng 7: bạn không được cấp vai trò “trưởng đoàn”." in page
    assert "Dòng 8: không nhận ra vai trò “chef”." in page
    assert page.index("Dòng 6:") < page.index("Dòng 7:") < page.index("Dòng 8:")
    assert not User.objects.filter(full_name="Nguyễn Văn An").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:people_import"), {"file": sheet(good)}, follow=True)
    assert response.status_code == 200
    an = User.objects.get(full_name="Nguyễn Văn An")
    assert an.must_change_password and an.memberships.get().unit == world.commune_a
    assert User.objects.get(full_name="Phạm Thị Bé").memberships.get().role == Role.COMMUNE_LEAD
    assert User.objects.get(full_name="Võ Minh Cường").memberships.get().unit == world.district
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.vn"]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_a_file_that_is_not_a_workbook_gets_a_message(world):
    client = signed_in(world.users["secretariat"])
    upload = io.BytesIO(b"not a workbook")
    upload.name = "people.xlsx"
    response = client.post(reverse("accounts:people_import"), {"file": upload})
    assert response.status_code == 200
    assert "Tệp không phải bảng tính .xlsx đọc được" in response.content.decode()


def test_a_forgotten_password_is_reset_through_email_once(world, django_capture_on_commit_callbacks, celery_eager):
    person = world.users["commune_a"]
    person.email = "lan@example.vn"
    person.save()
    client = Client()
    # The page answers at once: the worker sends the mail after the commit.
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("accounts:password_reset"), {"email": "lan@example.vn"})
    assert response.status_code == 302 and len(mail.outbox) == 0 and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1 and mail.outbox[0].alternatives[0][1] == "text/html"
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Lua-mua-2026!", "new_password2": "Lua-mua-2026!"})
    person.refresh_from_db()
    assert person.check_password("Lua-mua-2026!")
    assert "đã được sử dụng hoặc đã hết hạn" in Client().get(link, follow=True).content.decode()


def test_without_an_email_the_secretariat_gives_a_temporary_password(world):
    person = world.users["commune_b"]
    response = signed_in(world.users["secretariat"]).post(
        reverse("accounts:person_reset_password", args=[person.pk]), follow=True
    )
    password = re.search(r'data-testid="new-password">([^<]+)<', response.content.decode()).group(1)
    person.refresh_from_db()
    assert person.check_password(password) and person.must_change_password


def test_giving_a_temporary_password_asks_first(world):
    person = world.users["commune_b"]
    body = signed_in(world.users["secretariat"]).get(reverse("accounts:person_edit", args=[person.pk])).content.decode()
    action = reverse("accounts:person_reset_password", args=[person.pk])
    form = body.split(f'action="{action}"')[1].split(">")[0]
    assert 'data-confirm="Thay mật khẩu của người này bằng mật khẩu tạm?"' in form
    # The question is asked by the script the page loads.
    assert "js/district.js" in body


def test_deactivation_ends_the_roles_here_and_keeps_those_elsewhere(world):
    secretariat = world.users["secretariat"]
    person = world.users["commune_a"]
    services.person_set_active(manager=secretariat, authority=world.district, person=person, active=False)
    person.refresh_from_db()
    assert not person.is_active
    # Through the sign-in page, as a person tries it (the lockout backend wants a real request).
    visitor = Client()
    visitor.post(reverse("accounts:login"), {"username": person.username, "password": "demo"})
    assert "_auth_user_id" not in visitor.session

    both = UserFactory()
    MembershipFactory(user=both, unit=world.commune_b, role=Role.COMMUNE_STAFF)
    MembershipFactory(user=both, unit=CommuneFactory(), role=Role.COMMUNE_STAFF)
    services.person_set_active(manager=secretariat, authority=world.district, person=both, active=False)
    both.refresh_from_db()
    assert both.is_active and both.memberships.filter(is_active=True).count() == 1
    # His password serves the other authority too: only an administrator resets it.
    with pytest.raises(PermissionDenied):
        services.person_reset_password(manager=secretariat, authority=world.district, person=both)


def test_a_user_of_two_authorities_chooses_which_one_he_works_for(world):
    province = world.province
    secretariat = world.users["secretariat"]
    MembershipFactory(user=secretariat, unit=province, role=Role.SECRETARIAT)
    client = signed_in(secretariat)
    response = client.get(reverse("inspections:plan_create"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:authority_choose"))
    response = client.get(reverse("accounts:people"))
    assert response["Location"].startswith(reverse("accounts:authority_choose"))
    response = client.post(
        reverse("accounts:authority_choose"), {"authority": province.pk, "next": reverse("accounts:people")}
    )
    assert response["Location"] == reverse("accounts:people")
    assert client.session[SESSION_KEY] == province.pk
    assert client.get(reverse("inspections:plan_create")).status_code == 200
    page = client.get(reverse("accounts:people")).content.decode()
    assert "Kiên Giang" in page


def test_reloading_the_new_account_page_creates_nothing_twice_and_shows_the_password_once(world):
    client = signed_in(world.users["secretariat"])
    data = {"full_name": "Lê Quang Hải", "role": Role.COMMUNE_STAFF, "commune": world.commune_b.pk}
    response = client.post(reverse("accounts:person_create"), data)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:people_created")
    shown = client.get(response["Location"])
    assert 'data-testid="new-password"' in shown.content.decode()
    again = client.get(reverse("accounts:people_created"))
    assert again.status_code == 302 and again["Location"] == reverse("accounts:people")
    assert User.objects.filter(full_name="Lê Quang Hải").count() == 1


def test_people_and_the_communes_to_choose_are_listed_in_dictionary_order(world):
    # By code point Đ and Ô come after V; a dictionary puts Đ after D and Ô right after O.
    people = ["Dương Văn Hai", "Đặng Thị Lan", "Nguyễn Văn An", "Ôn Thị Hoa", "Ông Văn Tư", "Võ Văn Ba"]
    for name in reversed(people):
        MembershipFactory(user=UserFactory(full_name=name), unit=world.commune_b, role=Role.COMMUNE_STAFF)
    communes = ["Óc Eo", "Ô Môn", "Tân Hội", "Thạnh Đông A", "Vĩnh Thạnh"]
    for name in ("Vĩnh Thạnh", "Ô Môn", "Óc Eo"):
        CommuneFactory(name=name, parent=world.district)
    client = signed_in(world.users["secretariat"])
    page = client.get(reverse("accounts:people")).content.decode()
    assert in_page_order(page, people) == people
    # Searching joins the memberships and reads each person once (DISTINCT): still in the same order.
    page = client.get(reverse("accounts:people"), {"q": "văn"}).content.decode()
    assert in_page_order(page, ["Dương Văn Hai", "Nguyễn Văn An", "Ông Văn Tư", "Võ Văn Ba"]) == [
        "Dương Văn Hai",
        "Nguyễn Văn An",
        "Ông Văn Tư",
        "Võ Văn Ba",
    ]
    form = client.get(reverse("accounts:person_create")).content.decode()
    choices = form[form.index('name="commune"') :]
    assert in_page_order(choices, communes) == communes
