"""The home page of a fresh authority, before any campaign: each person is told his own next step."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from communes.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from inspections.tests.factories import CriteriaSetFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role
ASK_THE_SECRETARIAT = "Hãy đề nghị bộ phận thường trực"


@pytest.fixture
def fresh():
    """A district with one commune and no criteria set, plan or team: nothing but its people."""
    district = DistrictFactory(name="Tân Hiệp", parent=ProvinceFactory(name="Kiên Giang"))
    commune = CommuneFactory(name="Tân Hội", parent=district)
    return district, commune


def home_of(role, unit) -> str:
    client = Client()
    client.force_login(MembershipFactory(role=role, unit=unit).user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_secretariat_of_a_fresh_authority_is_shown_how_to_set_up_its_first_campaign(fresh):
    district, _commune = fresh
    page = home_of(Role.SECRETARIAT, district)
    assert "Chưa có đợt kiểm tra nào. Thiết lập đợt kiểm tra theo hai bước:" in page
    create = reverse("inspections:criteria_set_list") + "#new-criteria-set"
    assert f'href="{create}" data-testid="create-criteria-set">Tạo bộ tiêu chí<' in page
    assert f'href="{reverse("inspections:criteria_set_import")}" data-testid="import-criteria-set">' in page
    # No plan can be made before a criteria set: the plan is named as the next step, without its link yet.
    assert "Sau đó lập kế hoạch kiểm tra" in page and 'data-testid="create-plan"' not in page
    assert ASK_THE_SECRETARIAT not in page


def test_once_its_criteria_set_exists_the_secretariat_is_sent_to_make_the_plan(fresh):
    district, _commune = fresh
    CriteriaSetFactory(authority=district, year=2025)
    page = home_of(Role.SECRETARIAT, district)
    assert "Đã có bộ tiêu chí." in page and 'data-testid="create-criteria-set"' not in page
    assert f'href="{reverse("inspections:plan_create")}" data-testid="create-plan">Kế hoạch kiểm tra mới<' in page


def test_another_authoritys_criteria_set_does_not_count_as_the_secretariats_own(fresh):
    district, _commune = fresh
    CriteriaSetFactory(authority=DistrictFactory(parent=district.parent), year=2025)
    page = home_of(Role.SECRETARIAT, district)
    assert 'data-testid="create-criteria-set"' in page and 'data-testid="create-plan"' not in page


def test_an_administrator_of_the_authority_sets_up_like_the_secretariat(fresh):
    district, _commune = fresh
    assert 'data-testid="create-criteria-set"' in home_of(Role.ADMIN, district)


@pytest.mark.parametrize(
    ("role", "on_commune", "expected"),
    [
        (Role.TEAM_LEAD, False, "Bộ phận thường trực chưa thiết lập đợt kiểm tra nào. Khi đã lập kế hoạch"),
        (Role.INSPECTOR, False, "Bộ phận thường trực chưa thiết lập đợt kiểm tra nào có bạn trong Đoàn kiểm tra."),
        (Role.VIEWER, False, "Khi có, tiến độ, kết quả và báo cáo của đợt kiểm tra sẽ hiện ở đây."),
        (Role.COMMUNE_LEAD, True, "công chức tự chấm các tiêu chí và bạn nộp bản tự đánh giá."),
        (Role.COMMUNE_STAFF, True, "để bạn tự chấm từng tiêu chí và đính kèm tài liệu kiểm chứng."),
    ],
)
def test_everyone_else_is_told_what_he_waits_for_in_the_words_of_his_role(fresh, role, on_commune, expected):
    district, commune = fresh
    page = home_of(role, commune if on_commune else district)
    assert expected in page
    assert ASK_THE_SECRETARIAT not in page and 'data-testid="create-criteria-set"' not in page


def test_the_team_lead_is_told_of_the_plan_to_approve_and_not_how_to_set_it_up(fresh):
    district, _commune = fresh
    page = home_of(Role.TEAM_LEAD, district)
    assert "để bạn theo dõi." in page and "Thiết lập đợt kiểm tra theo hai bước" not in page


def test_a_person_without_any_role_is_still_sent_to_the_secretariat(fresh):
    client = Client()
    client.force_login(UserFactory())
    page = client.get(reverse("home")).content.decode()
    assert ASK_THE_SECRETARIAT in page


def test_the_secretariats_first_steps_read_in_english_too(fresh):
    district, _commune = fresh
    client = Client()
    client.force_login(MembershipFactory(role=Role.SECRETARIAT, unit=district).user)
    client.cookies["cchc_language"] = "en"
    page = client.get(reverse("home")).content.decode()
    assert "There is no inspection campaign yet. Set one up in two steps:" in page and "Create a criteria set" in page
