"""A criteria set's method kept between reads: used again only while the database holds the same rows."""

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


def _result(world):
    return scoring.visit_results(visits=[world.visit_a], criteria_set=world.criteria_set)[world.visit_a.pk]


@pytest.fixture
def appraised(world):
    _appraise(world, world.visit_a, ["6", "4", "40", "45"])
    first = _result(world)
    assert first.percent == Decimal("95.00") and first.grade.label == "Tốt"
    return world


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
