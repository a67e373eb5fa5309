"""Since 2025 a province inspects its communes directly; a merged commune is measured against its predecessors."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from communes.tests.factories import CommuneFactory, ProvinceFactory, SuccessionFactory
from inspections.models import Finding
from inspections.results import campaign_results, previous_plans_for
from inspections.services.carry_over import finding_carry_over
from inspections.tests.factories import (
    CriteriaSetFactory,
    CriterionFactory,
    FindingFactory,
    PlanFactory,
    ReviewAreaFactory,
    ScoreFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
REFORM_DAY = dt.date(2025, 7, 1)


@pytest.fixture
def province_round(world):
    """Last year: the district's campaign over three communes that merged into An Giang's Xã Thạnh Đông."""
    tan_hiep_a = CommuneFactory(name="Tân Hiệp A", parent=world.district)
    thanh_tri = CommuneFactory(name="Thạnh Trị", parent=world.district)
    olds = [
        world.visit_a,
        VisitFactory(plan=world.plan, unit=tan_hiep_a),
        VisitFactory(plan=world.plan, unit=thanh_tri),
    ]
    # Appraised last year at 80 %, 60 % and 40 % of every criterion.
    for visit, share in zip(olds, (Decimal("0.8"), Decimal("0.6"), Decimal("0.4")), strict=True):
        for criterion in world.leaves:
            ScoreFactory._meta.model.objects.update_or_create(
                visit=visit,
                criterion=criterion,
                defaults={"max_score": criterion.max_score, "appraised_score": criterion.max_score * share},
            )
    FindingFactory(visit=olds[1], kind=Finding.Kind.SHORTCOMING, area=world.areas[0], text="Chưa niêm yết TTHC")
    FindingFactory(visit=olds[2], kind=Finding.Kind.RECOMMENDATION, area=world.areas[1], text="Cập nhật phần mềm")

    an_giang = ProvinceFactory(name="An Giang", code="91", valid_from=REFORM_DAY)
    thanh_dong = CommuneFactory(name="Thạnh Đông", code="30874", parent=an_giang, valid_from=REFORM_DAY)
    for visit in olds:
        SuccessionFactory(predecessor=visit.unit, successor=thanh_dong, effective_on=REFORM_DAY)

    # This year: the province's own criteria set (same review areas) and campaign, with no "previous".
    criteria_set = CriteriaSetFactory(authority=an_giang, year=world.plan.year + 1)
    leaves = []
    for old_area in world.areas:
        area = ReviewAreaFactory(criteria_set=criteria_set, code=old_area.code, number=old_area.number)
        leaves.append(CriterionFactory(area=area, code=f"{old_area.number}.1", max_score=Decimal("50")))
    plan = PlanFactory(criteria_set=criteria_set, authority=an_giang)
    visit = VisitFactory(plan=plan, unit=thanh_dong)
    for criterion in leaves:
        ScoreFactory(visit=visit, criterion=criterion, appraised_score=criterion.max_score * Decimal("0.7"))
    secretariat = UserFactory(username="snv_angiang")
    MembershipFactory(user=secretariat, unit=an_giang, role=Membership.Role.SECRETARIAT)
    return plan, visit, olds, secretariat


def test_the_province_campaign_compares_with_the_district_campaign_of_the_predecessors(world, province_round):
    plan, visit, olds, _secretariat = province_round
    assert plan.previous is None
    assert previous_plans_for(plan) == [world.plan]
    with translation.override("vi"):
        row = campaign_results(plan=plan, visits=[visit]).rows[0]
        # (80 + 60 + 40) / 3 communes of 100 points: the three taken together.
        assert row.previous_percent == Decimal("60.00")
        assert row.percent == Decimal("70.00") and row.change == Decimal("10.00")
        assert row.compared_with == ["Xã Tân Hiệp A", "Xã Thạnh Đông A", "Xã Thạnh Trị"]
        assert row.comparison_note == (
            "So sánh với Xã Tân Hiệp A, Xã Thạnh Đông A, Xã Thạnh Trị cộng gộp, là các đơn vị trước khi sắp xếp."
        )


def test_the_open_findings_of_the_three_predecessors_carry_into_the_new_commune(world, province_round):
    plan, visit, olds, _secretariat = province_round
    expected = Finding.objects.filter(
        visit__in=olds, kind__in=Finding.ACTIONABLE_KINDS, status__in=Finding.UNRESOLVED_STATUSES
    ).count()
    assert expected == 3
    assert finding_carry_over(plan=plan) == 3
    carried = visit.findings.filter(carried_from__isnull=False)
    assert {f.carried_from.visit.unit.name for f in carried} == {"Thạnh Đông A", "Tân Hiệp A", "Thạnh Trị"}
    assert finding_carry_over(plan=plan) == 0


def test_the_province_dashboard_says_what_the_change_is_against(world, province_round):
    plan, _visit, _olds, secretariat = province_round
    client = Client()
    client.force_login(secretariat)
    page = client.get(reverse("inspections:plan_dashboard", args=[plan.pk])).content.decode()
    assert 'data-testid="compared-with"' in page
    assert "Xã Tân Hiệp A, Xã Thạnh Đông A, Xã Thạnh Trị cộng gộp" in page


def test_last_years_signed_figures_are_kept_and_read_again_until_something_they_rest_on_changes(
    world, province_round, monkeypatch
):
    from django.utils import timezone

    from inspections import results
    from inspections.models import Minutes
    from inspections.scoring import visit_result_snapshot
    from inspections.tests.factories import MinutesFactory

    plan, visit, olds, _secretariat = province_round
    for old in olds:
        MinutesFactory(visit=old, signed_at=timezone.now(), result_snapshot=visit_result_snapshot(visit=old))
    computed = []
    original = results._previous_figures
    monkeypatch.setattr(results, "_previous_figures", lambda *a: computed.append(1) or original(*a))

    def row():
        with translation.override("vi"):
            return campaign_results(plan=plan, visits=[visit]).rows[0]

    first = row()
    assert first.previous_percent == Decimal("60.00") and len(computed) == 1
    assert row().previous_percent == Decimal("60.00") and len(computed) == 1  # kept
    if connection.vendor == "postgresql":
        # Kept figures are found with one query, lineage and signatures included.
        with translation.override("vi"), CaptureQueriesContext(connection) as captured:
            kept = results.previous_figures([world.plan], {visit.unit_id})
        assert len(captured) == 1 and kept[visit.unit_id][0] == Decimal("60.00")
    # The process keeps its own copy under the same key: a dashboard read after each save neither fetches
    # nor unpickles the figures from the shared cache again.
    from django.core.cache import cache

    monkeypatch.setattr(cache, "get", lambda *a, **k: pytest.fail("read from the shared cache"))
    assert row().previous_percent == Decimal("60.00") and len(computed) == 1
    monkeypatch.undo()
    monkeypatch.setattr(results, "_previous_figures", lambda *a: computed.append(1) or original(*a))
    # Another language is another key: the names compared with are written in it.
    with translation.override("en"):
        campaign_results(plan=plan, visits=[visit])
    assert len(computed) == 2

    # A predecessor renamed: its name is part of what is shown, so the figures are made again.
    olds[1].unit.name = "Tân Hiệp Mới"
    olds[1].unit.save()
    assert "Xã Tân Hiệp Mới" in row().compared_with and len(computed) == 3

    # A succession struck from the register: the lineage is part of the key, so the figures are made again.
    from communes.models import UnitSuccession

    UnitSuccession.objects.filter(predecessor=olds[0].unit).delete()
    assert "Xã Thạnh Đông A" not in row().compared_with and len(computed) == 4
    assert row().previous_percent == Decimal("50.00") and len(computed) == 4  # (60 + 40) / 2, kept

    # Minutes reopened: that visit's result is live again and nothing is kept while it is.
    Minutes.objects.filter(visit=olds[2]).update(signed_at=None)
    ScoreFactory._meta.model.objects.filter(visit=olds[2]).update(appraised_score=0)
    assert row().previous_percent == Decimal("30.00") and len(computed) == 5  # (60 + 0) / 2
    assert row().previous_percent == Decimal("30.00") and len(computed) == 6
