"""The sums of a visit's scores kept between reads (VisitTally): always the scores' own, whatever writes them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.tests.factories import CommuneFactory
from inspections import scoring
from inspections.models import CriterionScore, VisitTally
from inspections.services import appraisal
from inspections.tests.factories import ScoreFactory, VisitFactory
from inspections.tests.test_gaps import _appraise

pytestmark = pytest.mark.django_db


def _result(world, visit):
    # Read with the other commune, as a list of the campaign does (one visit alone is added up afresh).
    visits = [world.visit_a, world.visit_b]
    return scoring.visit_results(visits=visits, criteria_set=world.criteria_set)[visit.pk]


def test_sums_are_kept_after_a_read_and_trusted_until_a_score_is_written(world):
    _appraise(world, world.visit_a, ["6", "4", "40", "45"])
    first = _result(world, world.visit_a)
    tally = VisitTally.objects.get(visit=world.visit_a)
    assert tally.sums_version == tally.scores_version
    assert first.appraised_score == Decimal("95")

    # Read again: the kept sums, without adding up the scores.
    with CaptureQueriesContext(connection) as captured:
        again = _result(world, world.visit_a)
    assert again.appraised_score == Decimal("95") and again.percent == first.percent
    assert not any('"inspections_criterionscore"' in q["sql"] for q in captured.captured_queries)

    # A service writes a score: the next read adds up again.
    _appraise(world, world.visit_a, ["5", "4", "40", "45"])
    assert _result(world, world.visit_a).appraised_score == Decimal("94")


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda w: CriterionScore.objects.filter(visit=w.visit_a).update(appraised_score=1), id="update"),
        pytest.param(
            lambda w: CriterionScore.objects.bulk_update(
                [s for s in CriterionScore.objects.filter(visit=w.visit_a) if not setattr(s, "appraised_score", 1)],
                ["appraised_score"],
            ),
            id="bulk_update",
        ),
        pytest.param(lambda w: CriterionScore.objects.filter(visit=w.visit_a).delete(), id="delete"),
        pytest.param(lambda w: CriterionScore.objects.filter(visit=w.visit_a).first().delete(), id="delete one"),
    ],
)
def test_every_kind_of_write_of_scores_is_seen(world, write):
    _appraise(world, world.visit_a, ["6", "4", "40", "45"])
    before = _result(world, world.visit_a)
    write(world)
    expected = scoring._summed_scores([world.visit_a.pk], world.criteria_set)[world.visit_a.pk]
    after = _result(world, world.visit_a)
    assert after.appraised_score == sum((values[1] for values in expected.values()), Decimal(0))
    assert after.appraised_score != before.appraised_score


def test_a_bulk_create_of_scores_is_seen(world):
    _result(world, world.visit_a)
    CriterionScore.objects.filter(visit=world.visit_a, criterion=world.leaves[3]).delete()
    assert _result(world, world.visit_a).areas[world.areas[1].pk].self_score == 0
    CriterionScore.objects.bulk_create(
        [CriterionScore(visit=world.visit_a, criterion=world.leaves[3], max_score=50, self_score=Decimal("30"))]
    )
    assert _result(world, world.visit_a).areas[world.areas[1].pk].self_score == Decimal("30")


def test_sums_added_up_before_a_write_are_never_trusted_after_it(world, monkeypatch):
    """A reader adds up the scores, an inspector's save commits, then the reader stores what it added up."""
    visit = world.visit_a
    _appraise(world, visit, ["6", "4", "40", "45"])
    _result(world, visit)
    original = scoring._summed_scores

    def summed_then_written(visit_ids, criteria_set):
        sums = original(visit_ids, criteria_set)
        score = CriterionScore.objects.get(visit=visit, criterion=world.leaves[2])
        appraisal.score_appraise(
            visit=visit,
            criterion=world.leaves[2],
            user=world.users["lead"],
            appraised_score=Decimal("10"),
            expected_version=score.version,
        )
        return sums

    # Force a recount, with a write between the count and its storing.
    CriterionScore.objects.filter(visit=visit, criterion=world.leaves[2]).update(appraised_score=Decimal("20"))
    monkeypatch.setattr(scoring, "_summed_scores", summed_then_written)
    stale = _result(world, visit)
    monkeypatch.setattr(scoring, "_summed_scores", original)
    assert stale.areas[world.areas[0].pk].appraised_score == Decimal("30")  # 6 + 4 + 20, read before the save
    assert _result(world, visit).areas[world.areas[0].pk].appraised_score == Decimal("20")  # 6 + 4 + 10


def test_a_change_to_the_criteria_is_seen(world):
    _appraise(world, world.visit_a, ["6", "4", "40", "45"])
    assert _result(world, world.visit_a).areas[world.areas[0].pk].appraised_score == Decimal("50")
    # 1.2 moves to the second area: the kept sums were added up by area.
    world.leaves[2].area = world.areas[1]
    world.leaves[2].save()
    moved = _result(world, world.visit_a)
    assert moved.areas[world.areas[0].pk].appraised_score == Decimal("10")
    assert moved.areas[world.areas[1].pk].appraised_score == Decimal("85")


def test_the_dashboard_shows_a_score_written_after_its_last_read(world, client):
    client.force_login(world.users["lead"])
    url = reverse("inspections:plan_dashboard", args=[world.plan.pk])
    _appraise(world, world.visit_a, ["6", "4", "40", "45"])
    total = 'data-sort-value="{}" data-testid="total-percent"'
    assert total.format("95.00") in client.get(url).content.decode()
    _appraise(world, world.visit_a, ["6", "4", "20", "45"])
    body = client.get(url).content.decode()
    assert total.format("75.00") in body and total.format("95.00") not in body


def test_queries_do_not_grow_with_the_visits_to_add_up_again(world):
    more = [world.visit_a, world.visit_b]
    for index in range(5):
        visit = VisitFactory(plan=world.plan, unit=CommuneFactory(parent=world.district, name=f"Xã {index}"))
        for criterion in world.leaves:
            ScoreFactory(visit=visit, criterion=criterion, self_score=criterion.max_score / 2)
        more.append(visit)

    def cold_queries(visits):
        CriterionScore.objects.filter(visit__in=visits).update(appraised_score=1)
        with CaptureQueriesContext(connection) as captured:
            scoring.visit_results(visits=visits, criteria_set=world.criteria_set)
        return len(captured)

    scoring.visit_results(visits=more, criteria_set=world.criteria_set)
    assert cold_queries(more[:2]) == cold_queries(more)


def test_one_visit_alone_is_added_up_from_its_scores(world):
    _appraise(world, world.visit_a, ["6", "4", "40", "45"])
    result = scoring.visit_results(visits=[world.visit_a], criteria_set=world.criteria_set)[world.visit_a.pk]
    assert result.appraised_score == Decimal("95")
    assert not VisitTally.objects.filter(visit=world.visit_a, sums__isnull=False).exists()
