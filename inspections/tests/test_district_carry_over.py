"""Next year: a campaign from the previous one, and every unresolved finding carried into the new visit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communes.tests.factories import CommuneFactory, SuccessionFactory
from inspections.models import Finding, InspectionPlan, Visit
from inspections.services import appraisal, carry_over
from inspections.tests.factories import FindingFactory, VisitFactory


def _next(world, **extra):
    options = {
        "previous": world.plan,
        "user": world.users["secretariat"],
        "year": 2021,
        "number": "12/KH-UBND",
        "issued_on": dt.date(2021, 9, 10),
        "title": "Kiểm tra CCHC năm 2021",
        "round_start": dt.date(2021, 10, 4),
        "round_end": dt.date(2021, 10, 15),
        "self_assessment_deadline": None,
        "criteria_set": None,
    }
    options.update(extra)
    return carry_over.plan_create_from_previous(**options)


def test_new_campaign_copies_structure_and_carries_unresolved_findings(world):
    remedied = FindingFactory(visit=world.visit_a, kind=Finding.Kind.SHORTCOMING, status=Finding.Status.REMEDIED)
    strength = FindingFactory(visit=world.visit_a, kind=Finding.Kind.STRENGTH, status=Finding.Status.NOTED)
    plan = _next(world)
    assert plan.previous == world.plan and plan.criteria_set.copied_from == world.criteria_set
    assert plan.criteria_set.year == 2021
    assert [g.name for g in plan.team.groups.order_by("order")] == ["Nhóm 1", "Nhóm 2"]
    assert plan.team.groups.get(name="Nhóm 1").areas.get().code == "procedures"
    assert plan.team.members.count() == world.team.members.count()
    assert {v.unit for v in plan.visits.all()} == {world.commune_a, world.commune_b}
    new_a = plan.visits.get(unit=world.commune_a)
    assert new_a.scheduled_on.weekday() < 5 and plan.round_start <= new_a.scheduled_on <= plan.round_end
    carried = new_a.findings.get()
    old = carried.carried_from
    assert old.visit == world.visit_a and old.text == carried.text
    assert carried.status == Finding.Status.OPEN
    assert carried.area.criteria_set == plan.criteria_set and carried.area.code == "procedures"
    old.refresh_from_db()
    assert old.status == Finding.Status.CARRIED_OVER
    assert not Finding.objects.filter(carried_from__in=[remedied, strength]).exists()


def test_carry_over_is_idempotent(world):
    plan = _next(world)
    before = Finding.objects.filter(visit__plan=plan).count()
    assert carry_over.finding_carry_over(plan=plan) == 0
    assert Finding.objects.filter(visit__plan=plan).count() == before


def test_still_open_after_recheck_carries_again_the_year_after(world):
    plan_2021 = _next(world)
    carried = plan_2021.visits.get(unit=world.commune_a).findings.get()
    appraisal.finding_recheck(finding=carried, user=world.users["lead"], remedied=False)
    plan_2022 = _next(
        world,
        previous=plan_2021,
        year=2022,
        number="3/KH",
        issued_on=dt.date(2022, 9, 1),
        round_start=dt.date(2022, 10, 3),
        round_end=dt.date(2022, 10, 14),
    )
    again = plan_2022.visits.get(unit=world.commune_a).findings.get()
    assert again.carried_from == carried
    assert again.carried_from.carried_from.visit == world.visit_a


def test_without_schedule_a_visit_added_later_receives_the_findings(world):
    plan = _next(world, copy_schedule=False, copy_team=False)
    assert not plan.visits.exists()
    from inspections.services import setup

    visit = setup.visit_schedule(
        plan=plan, user=world.users["secretariat"], unit=world.commune_b, scheduled_on=dt.date(2021, 10, 5)
    )
    assert visit.findings.filter(carried_from__visit=world.visit_b).exists()


def test_merged_commune_receives_its_predecessors_findings(world):
    merged = CommuneFactory(parent=world.district, name="Tân Hội Mới")
    SuccessionFactory(successor=merged, predecessor=world.commune_b, effective_on=dt.date(2021, 1, 1))
    plan = _next(world, copy_schedule=False)
    visit = VisitFactory(plan=plan, unit=merged, status=Visit.Status.SCHEDULED)
    carry_over.finding_carry_over(plan=plan)
    assert visit.findings.filter(carried_from__visit=world.visit_b).count() == 1


def test_only_the_secretariat_creates_next_years_campaign(world):
    with pytest.raises(PermissionDenied):
        _next(world, user=world.users["lead"])
    assert not InspectionPlan.objects.filter(year=2021).exists()


def test_next_campaign_through_the_view(world, client):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("inspections:plan_next", args=[world.plan.pk]),
        {
            "year": "2021",
            "number": "12/KH-UBND",
            "issued_on": "2021-09-10",
            "title": "Kiểm tra CCHC năm 2021",
            "round_start": "2021-10-04",
            "round_end": "2021-10-15",
            "copy_team": "on",
            "copy_schedule": "on",
        },
    )
    plan = InspectionPlan.objects.get(year=2021)
    assert response.status_code == 302 and response["Location"] == reverse("inspections:plan_detail", args=[plan.pk])
    assert Finding.objects.filter(visit__plan=plan, carried_from__isnull=False).count() == 2


def test_next_campaign_form_keeps_input_on_bad_dates(world, client):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("inspections:plan_next", args=[world.plan.pk]),
        {
            "year": "2021",
            "number": "12/KH-UBND",
            "issued_on": "2021-09-10",
            "title": "Tiêu đề giữ lại",
            "round_start": "2021-10-15",
            "round_end": "2021-10-04",
        },
    )
    assert response.status_code == 200
    assert "Tiêu đề giữ lại" in response.content.decode()
