"""Totals, percentages and grades of visits and campaigns."""

from decimal import Decimal

import pytest

from communes.tests.factories import CommuneFactory, SuccessionFactory
from inspections.results import campaign_results
from inspections.scoring import percent, visit_results
from inspections.tests.factories import PlanFactory, ScoreFactory, VisitFactory

pytestmark = pytest.mark.django_db


def appraise(visit, values):
    for score in visit.scores.order_by("criterion__order"):
        score.appraised_score = values.get(score.criterion.code)
        score.save()


def test_percent_rounds_half_up_to_two_places():
    assert percent(Decimal("2"), Decimal("3")) == Decimal("66.67")
    assert percent(Decimal("1"), Decimal("0")) is None


def test_visit_totals_per_area_and_grade_once_every_criterion_is_appraised(world):
    appraise(world.visit_a, {"1.1.1": Decimal("6"), "1.1.2": Decimal("3.5"), "1.2": Decimal("40")})
    result = visit_results(visits=[world.visit_a], criteria_set=world.criteria_set)[world.visit_a.pk]
    area_1, area_2 = (result.areas[a.pk] for a in world.areas)
    assert area_1.max_score == Decimal("50") and area_2.max_score == Decimal("50")
    assert area_1.percent == Decimal("99.00")
    assert area_2.percent is None
    assert result.grade is None, "no grade while an area is still being appraised"

    appraise(
        world.visit_a, {"1.1.1": Decimal("6"), "1.1.2": Decimal("3.5"), "1.2": Decimal("40"), "2.1": Decimal("30")}
    )
    result = visit_results(visits=[world.visit_a], criteria_set=world.criteria_set)[world.visit_a.pk]
    assert result.appraised_score == Decimal("79.5")
    assert result.self_score == Decimal("50")
    assert result.percent == Decimal("79.50")
    assert result.grade.label == "Khá"
    assert result.gap == Decimal("29.5")


def test_campaign_ranks_complete_visits_and_compares_with_last_year_through_a_merger(world):
    all_full = {c.code: c.max_score for c in world.leaves}
    appraise(world.visit_a, all_full)
    half = {c.code: c.max_score / 2 for c in world.leaves}
    appraise(world.visit_b, half)

    # Last year commune A was two communes that merged into it.
    previous = PlanFactory(criteria_set=world.criteria_set, authority=world.district, year=2019)
    old_1, old_2 = CommuneFactory(parent=world.district), CommuneFactory(parent=world.district)
    for old in (old_1, old_2):
        SuccessionFactory(successor=world.commune_a, predecessor=old)
        visit = VisitFactory(plan=previous, unit=old)
        for criterion in world.leaves:
            ScoreFactory(visit=visit, criterion=criterion, appraised_score=criterion.max_score * Decimal("0.8"))
    world.plan.previous = previous
    world.plan.save()

    results = campaign_results(plan=world.plan, visits=[world.visit_a, world.visit_b])
    row_a, row_b = results.ranked_rows
    assert (row_a.unit, row_a.rank, row_a.percent) == (world.commune_a, 1, Decimal("100.00"))
    assert (row_b.unit, row_b.rank, row_b.percent) == (world.commune_b, 2, Decimal("50.00"))
    assert row_a.previous_percent == Decimal("80.00")
    assert row_a.change == Decimal("20.00")
    assert row_a.area_change("procedures") == Decimal("20.00")
    assert row_b.previous_percent is None
    assert results.area_summaries[0].average_percent == Decimal("75.00")
    assert row_a.findings.open == 1
