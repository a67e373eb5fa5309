"""load_demo builds the Tân Hiệp story and a second run changes nothing."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from accounts.access import scope_for
from accounts.models import User
from communes.models import AdministrativeUnit, UnitSuccession
from inspections import selectors
from inspections.models import CriteriaSet, Finding, InspectionPlan, Visit
from inspections.services.criteria import criteria_set_problems

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "communes", "inspections", "reports")


def counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label in PROJECT_APPS}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for this module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_a_second_run_changes_no_counts(demo):
    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_the_district_and_its_eleven_communes(demo):
    district = AdministrativeUnit.objects.get(code="904", level=2)
    assert district.name == "Tân Hiệp" and district.parent.name == "Kiên Giang"
    names = set(district.children.values_list("name", flat=True))
    assert names == {
        "Tân Hiệp",
        "Tân An",
        "Tân Hiệp A",
        "Tân Hiệp B",
        "Tân Hòa",
        "Tân Hội",
        "Tân Thành",
        "Thạnh Đông",
        "Thạnh Đông A",
        "Thạnh Đông B",
        "Thạnh Trị",
    }
    assert UnitSuccession.objects.get(predecessor__name="Kiên Giang").successor.name == "An Giang"


def test_the_communes_carry_their_official_codes_and_end_with_the_reform(demo):
    district = AdministrativeUnit.objects.get(code="904", level=2)
    codes = dict(district.children.values_list("name", "code"))
    assert codes["Tân Hiệp"] == "30850" and codes["Thạnh Đông A"] == "30874" and codes["Thạnh Trị"] == "30877"
    assert set(district.children.values_list("valid_to", flat=True)) == {dt.date(2025, 6, 30)}


def test_the_communes_merged_into_three_communes_of_an_giang(demo):
    an_giang = AdministrativeUnit.objects.get(code="91", level=1, valid_from=dt.date(2025, 7, 1))
    assert an_giang.name == "An Giang"
    successors = {
        unit.name: (unit.code, set(unit.predecessor_links.values_list("predecessor__name", flat=True)))
        for unit in an_giang.children.all()
    }
    assert successors == {
        "Tân Hiệp": ("30850", {"Tân Hiệp", "Tân Hiệp B", "Thạnh Đông B", "Thạnh Đông"}),
        "Tân Hội": ("30856", {"Tân Hội", "Tân Thành", "Tân Hòa", "Tân An"}),
        "Thạnh Đông": ("30874", {"Tân Hiệp A", "Thạnh Đông A", "Thạnh Trị"}),
    }


def test_the_official_register_finds_the_demo_units_in_place(demo):
    demo_units = dict(AdministrativeUnit.objects.values_list("pk", "name"))
    out = io.StringIO()
    call_command("import_units", stdout=out)
    assert "created 97 provinces, 696 districts, 13356 communes" not in out.getvalue()
    # Every demo unit is an official one: found, unchanged, never duplicated.
    assert "updated 0 units" in out.getvalue()
    assert AdministrativeUnit.objects.filter(code="904", level=2).count() == 1
    assert AdministrativeUnit.objects.filter(code="30874", level=3).count() == 2
    assert dict(AdministrativeUnit.objects.filter(pk__in=demo_units).values_list("pk", "name")) == demo_units
    assert AdministrativeUnit.objects.count() == 97 + 696 + 13356


def test_two_criteria_sets_of_seven_areas_adding_up_to_100(demo):
    for criteria_set in CriteriaSet.objects.all():
        assert criteria_set.areas.count() == 7
        assert criteria_set_problems(criteria_set=criteria_set) == []
        for area in criteria_set.areas.all():
            top = area.criteria.filter(parent__isnull=True)
            assert top.count() >= 3
            assert all(c.children.exists() for c in top)
        assert criteria_set.bands.count() >= 4


def test_the_2020_round_follows_the_article(demo):
    plan = InspectionPlan.objects.get(year=2020)
    assert (plan.round_start, plan.round_end) == (dt.date(2020, 10, 5), dt.date(2020, 10, 14))
    lead = plan.team.members.get(role="lead")
    assert lead.user.full_name == "Trần Minh Vũ" and lead.position == "Phó Chủ tịch UBND huyện"
    groups = plan.team.groups.prefetch_related("areas")
    assert groups.count() == 6
    assert {a.code for g in groups for a in g.areas.all()} == {a.code for a in plan.criteria_set.areas.all()}
    departments = {m.department.short_name for m in plan.team.members.exclude(department=None)}
    assert {
        "Nội vụ",
        "Tư pháp",
        "LĐ-TBXH",
        "Văn hóa và Thông tin",
        "Tài nguyên và Môi trường",
        "Công an huyện",
    } <= departments
    visits = plan.visits.all()
    assert visits.count() == 11
    assert all(dt.date(2020, 10, 5) <= v.scheduled_on <= dt.date(2020, 10, 14) for v in visits)
    assert visits.filter(status=Visit.Status.SIGNED).count() >= 2
    assert visits.filter(scores__appraised_score__isnull=False).distinct().count() >= 4
    assert visits.filter(scores__self_score__isnull=False).distinct().count() >= 8


def test_2019_findings_were_mostly_remedied_and_the_rest_carried_into_2020(demo):
    old = Finding.objects.filter(visit__plan__year=2019, kind__in=Finding.ACTIONABLE_KINDS)
    remedied = old.filter(status=Finding.Status.REMEDIED).count()
    carried = old.filter(status=Finding.Status.CARRIED_OVER)
    assert remedied > carried.count() > 0
    for finding in carried:
        successor = finding.carried_to.get()
        assert successor.visit.plan.year == 2020 and successor.visit.unit == finding.visit.unit


def test_demo_accounts_and_what_they_see(demo):
    expected = {"admin", "secretariat", "lead", "inspector", "commune_a", "commune_b", "commune_a_lead"}
    for username in expected:
        assert User.objects.get(username=username).check_password("demo")
    assert User.objects.get(username="admin").is_superuser
    lead = User.objects.get(username="lead")
    assert selectors.plan_list_for_user(lead).filter(year=2020).exists()
    inspector = User.objects.get(username="inspector")
    group = inspector.team_memberships.get(team__plan__year=2020).group
    assert {a.code for a in group.areas.all()} == {"procedures", "modernization"}
    commune_a = User.objects.get(username="commune_a")
    assert {v.unit.name for v in selectors.visit_list_for_user(commune_a)} == {"Thạnh Đông A"}
    assert scope_for(User.objects.get(username="commune_a_lead")).has_role("commune_lead")
    commune_b = User.objects.get(username="commune_b")
    assert {v.unit.name for v in selectors.visit_list_for_user(commune_b)} == {"Tân Hội"}
