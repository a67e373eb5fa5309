"""A criteria set's method, and the results of a list of visits, kept between reads: used again only
while the database holds the same rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections import scoring
from inspections.models import (
    AdjustmentItem,
    ClassificationBand,
    Criterion,
    ReviewArea,
    SurveyIndex,
    VisitAdjustment,
)
from inspections.tests.test_gaps import _appraise

pytestmark = pytest.mark.django_db


READING = "one visit"


def _result(world):
    # One visit alone (its page, its save), or in a list of the campaign (the dashboard, the report).
    visits = [world.visit_a] if READING == "one visit" else [world.visit_a, world.visit_b]
    return scoring.visit_results(visits=visits, criteria_set=world.criteria_set)[world.visit_a.pk]


@pytest.fixture(params=["one visit", "a list"])
def appraised(world, request, monkeypatch):
    monkeypatch.setattr(__import__(__name__, fromlist=["READING"]), "READING", request.param)
    _appraise(world, world.visit_a, ["6", "4", "40", "45"])
    first = _result(world)
    assert first.percent == Decimal("95.00") and first.grade.label == "Tốt"
    return world


def _in_a_list(world):
    return scoring.visit_results(visits=[world.visit_a, world.visit_b], criteria_set=world.criteria_set)[
        world.visit_a.pk
    ]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="kept under the method's digest, PostgreSQL's")
def test_a_list_read_again_uses_the_results_it_added_up(appraised):
    _in_a_list(appraised)  # After a write, the first list adds the scores up and keeps the sums.
    first = _in_a_list(appraised)
    again = _in_a_list(appraised)
    assert again is first and again.percent == Decimal("95.00")
    # A score written: that visit's result is added up anew.
    _appraise(appraised, appraised.visit_a, ["5", "4", "40", "45"])
    assert _in_a_list(appraised).appraised_score == Decimal("94")


@pytest.mark.parametrize(
    "change, check",
    [
        pytest.param(
            lambda w: VisitAdjustment.objects.create(
                visit=w.visit_a,
                item=AdjustmentItem.objects.create(
                    criteria_set=w.criteria_set, kind="bonus", code="C1", title="Cộng", max_points=Decimal("2")
                ),
                points=Decimal("1"),
                note="Sáng kiến",
            ),
            lambda r: r.bonus == Decimal("1"),
            id="bonus recorded",
        ),
        pytest.param(
            lambda w: type(w.criteria_set).objects.filter(pk=w.criteria_set.pk).update(bonus_cap=Decimal("0.5")),
            lambda r: r.bonus_cap == Decimal("0.5"),
            id="the set's cap",
        ),
    ],
)
def test_a_list_sees_what_changed_beside_the_scores(appraised, change, check):
    _in_a_list(appraised)
    change(appraised)
    appraised.criteria_set.refresh_from_db()
    assert check(_in_a_list(appraised))


def test_a_list_sees_an_adjustment_changed_and_a_survey_result_imported(appraised):
    from inspections.models import SurveyResult

    item = AdjustmentItem.objects.create(
        criteria_set=appraised.criteria_set, kind="penalty", code="T1", title="Trừ", max_points=Decimal("5")
    )
    entry = VisitAdjustment.objects.create(visit=appraised.visit_a, item=item, points=Decimal("1"), note="Lần 1")
    assert _in_a_list(appraised).penalty == Decimal("1")
    VisitAdjustment.objects.filter(pk=entry.pk).update(points=Decimal("2"))
    assert _in_a_list(appraised).penalty == Decimal("2")

    type(appraised.criteria_set).objects.filter(pk=appraised.criteria_set.pk).update(survey_weight=Decimal("10"))
    appraised.criteria_set.refresh_from_db()
    index = SurveyIndex.objects.create(criteria_set=appraised.criteria_set, code="SIPAS", title="Hài lòng", weight=1)
    assert _in_a_list(appraised).survey[0].value is None
    SurveyResult.objects.create(visit=appraised.visit_a, index=index, value=Decimal("80"))
    assert _in_a_list(appraised).survey[0].value == Decimal("80")
    SurveyResult.objects.filter(visit=appraised.visit_a).update(value=Decimal("90"))
    assert _in_a_list(appraised).survey_points == Decimal("9.00")


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the digest is PostgreSQL's")
def test_a_second_read_asks_only_for_the_digest(appraised):
    with CaptureQueriesContext(connection) as captured:
        again = _result(appraised)
    assert again.grade.label == "Tốt"
    digests = [q["sql"] for q in captured.captured_queries if "md5(" in q["sql"]]
    others = " ".join(q["sql"] for q in captured.captured_queries if "md5(" not in q["sql"])
    assert len(digests) == 1
    for model in (ClassificationBand, ReviewArea, AdjustmentItem, SurveyIndex):
        assert f'"{model._meta.db_table}"' not in others


@pytest.mark.parametrize(
    "change, check",
    [
        pytest.param(
            lambda w: ClassificationBand.objects.filter(criteria_set=w.criteria_set, label="Tốt").update(
                min_percent=96
            ),
            lambda r: r.grade.label == "Khá",
            id="band threshold (queryset update)",
        ),
        pytest.param(
            lambda w: ReviewArea.objects.filter(pk=w.areas[0].pk).update(title="Cải cách thủ tục hành chính"),
            lambda r: r.ordered_areas[0].title == "Cải cách thủ tục hành chính",
            id="area title",
        ),
        pytest.param(
            lambda w: Criterion.objects.filter(pk=w.leaves[3].pk).update(max_score=60),
            lambda r: r.max_score == Decimal("110"),
            id="criterion maximum",
        ),
        pytest.param(
            lambda w: ClassificationBand.objects.filter(criteria_set=w.criteria_set, label="Tốt").delete(),
            lambda r: r.grade.label == "Khá",
            id="band deleted",
        ),
    ],
)
def test_any_change_to_the_method_is_read_again(appraised, change, check):
    _result(appraised)
    change(appraised)
    assert check(_result(appraised))


def test_an_item_capped_anew_counts_its_new_cap(appraised):
    item = AdjustmentItem.objects.create(
        criteria_set=appraised.criteria_set,
        kind=AdjustmentItem.Kind.PENALTY,
        code="T1",
        title="Trừ điểm",
        max_points=Decimal("2"),
    )
    VisitAdjustment.objects.create(visit=appraised.visit_a, item=item, points=Decimal("3"), note="Biên bản số 1")
    assert [line.counted for line in _result(appraised).adjustments] == [Decimal("2")]
    AdjustmentItem.objects.filter(pk=item.pk).update(max_points=Decimal("5"))
    assert [line.counted for line in _result(appraised).adjustments] == [Decimal("3")]


def test_a_survey_index_added_in_bulk_is_read(appraised):
    assert _result(appraised).survey == []
    type(appraised.criteria_set).objects.filter(pk=appraised.criteria_set.pk).update(survey_weight=Decimal("10"))
    appraised.criteria_set.refresh_from_db()
    SurveyIndex.objects.bulk_create(
        [SurveyIndex(criteria_set=appraised.criteria_set, code="SIPAS", title="Hài lòng", weight=Decimal("1"))]
    )
    assert [line.code for line in _result(appraised).survey] == ["SIPAS"]
