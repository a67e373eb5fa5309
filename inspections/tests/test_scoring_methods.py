"""Scoring as provinces publish it, checked against figures worked out by hand in each test.

The world's set: area 1 (1.1.1: 6, 1.1.2: 4, 1.2: 40) and area 2 (2.1: 50), 100 points;
bands Tốt ≥ 90, Khá ≥ 70, Trung bình ≥ 50, Kém ≥ 0. Every expected figure below is
literal arithmetic on those numbers, never a call of the function under test.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import (
    AdjustmentItem,
    ClassificationBand,
    Criterion,
    CriterionScore,
    Minutes,
    SurveyIndex,
    SurveyResult,
    Visit,
    VisitAdjustment,
)
from inspections.scoring import SNAPSHOT_VERSION, result_from_snapshot, visit_result_snapshot, visit_results
from inspections.services import closing
from inspections.services.scoring_methods import adjustment_record, score_decide_not_applicable
from inspections.tests.factories import ScoreFactory, VisitFactory

pytestmark = pytest.mark.django_db


def two_places(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def appraise(visit, values):
    for score in visit.scores.select_related("criterion"):
        if score.criterion.code in values:
            score.appraised_score = values[score.criterion.code]
            score.save(update_fields=["appraised_score"])


def result_of(world, visit=None):
    visit = visit or world.visit_a
    return visit_results(visits=[visit], criteria_set=world.criteria_set)[visit.pk]


def declare(world, code, reason="Không phát sinh trong năm"):
    Criterion.objects.filter(criteria_set=world.criteria_set, code=code).update(may_be_not_applicable=True)
    score = world.visit_a.scores.get(criterion__code=code)
    score.self_score = None
    score.not_applicable = CriterionScore.NotApplicable.DECLARED
    score.not_applicable_reason = reason
    score.save()
    return score.criterion


def item(world, kind, code, max_points, serious=False):
    return AdjustmentItem.objects.create(
        criteria_set=world.criteria_set,
        kind=kind,
        code=code,
        title=f"Mục {code}",
        max_points=Decimal(max_points),
        serious_violation=serious,
    )


def test_two_criteria_not_applicable_are_converted_to_the_scale_of_100(world):
    inspector = world.users["inspector"]
    for code in ("1.1.1", "1.1.2"):
        criterion = declare(world, code)
        score_decide_not_applicable(visit=world.visit_a, criterion=criterion, user=inspector, accept=True)
    appraise(world.visit_a, {"1.2": Decimal("36"), "2.1": Decimal("46")})

    result = result_of(world)

    # Achieved 36 + 46 = 82 of the applicable 100 − 6 − 4 = 90; converted: 82 / 90 × 100 = 91,11.
    assert result.appraised_score == Decimal("82")
    assert result.applicable_max == Decimal("90")
    assert result.converted_score == Decimal("91.11")
    assert result.percent == Decimal("91.11")
    # Area 1 keeps only 1.2: 36 / 40 = 90 %.
    assert result.areas[world.areas[0].pk].percent == Decimal("90.00")
    assert result.is_complete, "criteria accepted as not applicable count as appraised"
    assert result.grade.label == "Tốt"


def test_a_refused_declaration_is_scored_like_any_criterion(world):
    criterion = declare(world, "1.1.1")
    with pytest.raises(ValidationError):
        score_decide_not_applicable(
            visit=world.visit_a, criterion=criterion, user=world.users["inspector"], accept=False
        )
    score_decide_not_applicable(
        visit=world.visit_a,
        criterion=criterion,
        user=world.users["inspector"],
        accept=False,
        comment="Xã có phát sinh 2 hồ sơ",
    )
    appraise(world.visit_a, {"1.1.1": Decimal("3"), "1.1.2": Decimal("4"), "1.2": Decimal("40"), "2.1": Decimal("50")})

    result = result_of(world)

    # Nothing left the count: 3 + 4 + 40 + 50 = 97 of 100.
    assert result.applicable_max == Decimal("100")
    assert result.percent == Decimal("97.00")
    assert not result.is_converted


def test_the_team_decides_only_in_its_own_areas(world):
    criterion = declare(world, "2.1")
    with pytest.raises(PermissionDenied):
        score_decide_not_applicable(
            visit=world.visit_a, criterion=criterion, user=world.users["inspector"], accept=True
        )


def test_bonus_above_its_caps_counts_only_up_to_them(world):
    world.criteria_set.bonus_cap = Decimal("4")
    world.criteria_set.penalty_cap = Decimal("3")
    world.criteria_set.save()
    initiative = item(world, AdjustmentItem.Kind.BONUS, "T1", "2")
    model = item(world, AdjustmentItem.Kind.BONUS, "T2", "3")
    late = item(world, AdjustmentItem.Kind.PENALTY, "D1", "1")
    lead = world.users["lead"]
    adjustment_record(visit=world.visit_a, item=initiative, user=lead, points=Decimal("2"), note="Sáng kiến cấp tỉnh")
    adjustment_record(visit=world.visit_a, item=initiative, user=lead, points=Decimal("1"), note="Sáng kiến thứ hai")
    adjustment_record(visit=world.visit_a, item=model, user=lead, points=Decimal("3"), note="Mô hình điểm")
    adjustment_record(visit=world.visit_a, item=late, user=lead, points=Decimal("0.5"), note="Báo cáo quý III trễ")
    with pytest.raises(ValidationError):
        adjustment_record(visit=world.visit_a, item=late, user=lead, points=Decimal("1.5"), note="Trên mức của mục")
    appraise(world.visit_a, {"1.1.1": Decimal("6"), "1.1.2": Decimal("4"), "1.2": Decimal("30"), "2.1": Decimal("40")})

    result = result_of(world)

    # T1: 2 + 1 = 3, held to its 2; T2: 3; bonuses 2 + 3 = 5, held to the set's 4. Penalty 0,5.
    # Criteria 6 + 4 + 30 + 40 = 80; total 80 + 4 − 0,5 = 83,5 of 100.
    assert [(line.code, line.recorded, line.counted) for line in result.bonus_lines] == [
        ("T1", Decimal("3"), Decimal("2")),
        ("T2", Decimal("3"), Decimal("3")),
    ]
    assert result.bonus == Decimal("4")
    assert result.penalty == Decimal("0.5")
    assert result.appraised_score == Decimal("80")
    assert result.total_score == Decimal("83.5")
    assert result.percent == Decimal("83.50")
    assert result.grade.label == "Khá"


def test_the_survey_weight_is_applied(world):
    # A set of 100 points: criteria 80 (2.1 lowered from 50 to 30), survey 20 split 60/40.
    Criterion.objects.filter(criteria_set=world.criteria_set, code="2.1").update(max_score=Decimal("30"))
    CriterionScore.objects.filter(criterion__code="2.1").update(max_score=Decimal("30"), self_score=Decimal("15"))
    world.criteria_set.survey_weight = Decimal("20")
    world.criteria_set.save()
    sipas = SurveyIndex.objects.create(
        criteria_set=world.criteria_set, code="SIPAS", title="Hài lòng", weight=60, order=1
    )
    officials = SurveyIndex.objects.create(
        criteria_set=world.criteria_set, code="CBCC", title="Đánh giá của công chức", weight=40, order=2
    )
    appraise(world.visit_a, {"1.1.1": Decimal("6"), "1.1.2": Decimal("4"), "1.2": Decimal("30"), "2.1": Decimal("24")})
    SurveyResult.objects.create(visit=world.visit_a, index=sipas, value=Decimal("85"))

    provisional = result_of(world)
    assert not provisional.is_complete and provisional.grade is None, "a missing survey result keeps it provisional"

    SurveyResult.objects.create(visit=world.visit_a, index=officials, value=Decimal("70"))
    result = result_of(world)

    # Survey: 20 × (60 × 85 + 40 × 70) / (100 × 100) = 20 × 7900 / 10000 = 15,8.
    # Criteria 6 + 4 + 30 + 24 = 64 of 80; total 64 + 15,8 = 79,8 of 80 + 20 = 100.
    assert result.survey_points == Decimal("15.8")
    assert result.scale_max == Decimal("100")
    assert result.total_score == Decimal("79.8")
    assert result.percent == Decimal("79.80")
    assert result.grade.label == "Khá"


def test_a_band_is_refused_by_its_area_floor(world):
    ClassificationBand.objects.filter(criteria_set=world.criteria_set, label="Tốt").update(
        area_floor_percent=Decimal("85")
    )
    appraise(world.visit_a, {"1.1.1": Decimal("6"), "1.1.2": Decimal("4"), "1.2": Decimal("32"), "2.1": Decimal("50")})

    result = result_of(world)

    # 6 + 4 + 32 + 50 = 92 % reaches Tốt, but area 1 is at 42 / 50 = 84 % < 85 %: Khá.
    assert result.percent == Decimal("92.00")
    assert result.areas[world.areas[0].pk].percent == Decimal("84.00")
    assert result.grade.label == "Khá"
    assert [(band.label, band.rule, band.floor) for band in result.refused_bands] == [
        ("Tốt", "area_floor", Decimal("85"))
    ]


def test_a_band_is_refused_by_a_serious_violation(world):
    ClassificationBand.objects.filter(criteria_set=world.criteria_set, label="Tốt").update(
        requires_no_serious_violation=True
    )
    violation = item(world, AdjustmentItem.Kind.PENALTY, "D2", "2", serious=True)
    appraise(world.visit_a, {"1.1.1": Decimal("6"), "1.1.2": Decimal("4"), "1.2": Decimal("40"), "2.1": Decimal("50")})
    appraise(world.visit_b, {"1.1.1": Decimal("6"), "1.1.2": Decimal("4"), "1.2": Decimal("40"), "2.1": Decimal("50")})
    adjustment_record(
        visit=world.visit_a,
        item=violation,
        user=world.users["lead"],
        points=Decimal("1"),
        note="Vi phạm quy định công vụ",
    )

    results = visit_results(visits=[world.visit_a, world.visit_b], criteria_set=world.criteria_set)

    # A: 100 − 1 = 99 % reaches Tốt, refused for the violation: Khá. B: 100 %, no violation: Tốt.
    assert results[world.visit_a.pk].percent == Decimal("99.00")
    assert results[world.visit_a.pk].grade.label == "Khá"
    assert results[world.visit_b.pk].grade.label == "Tốt"


def test_a_total_never_falls_below_zero(world):
    world.criteria_set.penalty_cap = None
    world.criteria_set.save()
    heavy = item(world, AdjustmentItem.Kind.PENALTY, "D9", "5")
    for _n in range(3):
        VisitAdjustment.objects.create(visit=world.visit_a, item=heavy, points=Decimal("5"), note="x")
    appraise(world.visit_a, {"1.1.1": Decimal("1"), "1.1.2": Decimal("0"), "1.2": Decimal("0"), "2.1": Decimal("0")})

    # 1 − min(15, 5) = −4, held at 0.
    assert result_of(world).total_score == Decimal("0")


def test_commune_people_cannot_record_a_bonus(world):
    bonus = item(world, AdjustmentItem.Kind.BONUS, "T1", "2")
    with pytest.raises(PermissionDenied):
        adjustment_record(visit=world.visit_a, item=bonus, user=world.users["commune_a"], points=Decimal("1"), note="x")


def _sign(world):
    closing.minutes_save(
        visit=world.visit_a,
        user=world.users["lead"],
        held_on=dt.date(2020, 10, 13),
        team_attendees=[{"name": "Trần Minh Vũ", "position": "Trưởng đoàn"}],
        commune_attendees=[{"name": "Huỳnh Văn Tâm", "position": "Chủ tịch UBND xã"}],
    )
    closing.minutes_sign(visit=world.visit_a, user=world.users["lead"])
    world.visit_a.refresh_from_db()
    assert world.visit_a.status == Visit.Status.SIGNED


def test_the_signed_result_keeps_its_bonus_penalty_and_survey_whatever_changes_later(world):
    world.criteria_set.survey_weight = Decimal("10")
    world.criteria_set.save()
    index = SurveyIndex.objects.create(criteria_set=world.criteria_set, code="SIPAS", title="Hài lòng", weight=1)
    SurveyResult.objects.create(visit=world.visit_a, index=index, value=Decimal("80"))
    late = item(world, AdjustmentItem.Kind.PENALTY, "D1", "1")
    adjustment_record(visit=world.visit_a, item=late, user=world.users["lead"], points=Decimal("1"), note="Trễ báo cáo")
    criterion = declare(world, "1.1.2")
    score_decide_not_applicable(visit=world.visit_a, criterion=criterion, user=world.users["inspector"], accept=True)
    appraise(world.visit_a, {"1.1.1": Decimal("6"), "1.2": Decimal("36"), "2.1": Decimal("45")})
    _sign(world)

    signed = result_of(world)
    # Criteria 6 + 36 + 45 = 87 of 96 → 87 / 96 × 100 = 90,625 → 90,63; survey 10 × 80 / 100 = 8; penalty 1.
    # Total 90,63 + 8 − 1 = 97,63 of 110 → 88,75 %.
    assert signed.converted_score == Decimal("90.63")
    assert signed.total_score == Decimal("97.63")
    assert signed.percent == two_places(Decimal("97.63") * 100 / 110)
    stored = Minutes.objects.get(visit=world.visit_a).result_snapshot
    assert stored["version"] == SNAPSHOT_VERSION == 2

    with pytest.raises(PermissionDenied):
        adjustment_record(visit=world.visit_a, item=late, user=world.users["lead"], points=Decimal("1"), note="Sau ký")
    # Behind the rules' back: more penalty, a new survey value, the declaration undone.
    VisitAdjustment.objects.create(visit=world.visit_a, item=late, points=Decimal("1"), note="sửa tay")
    SurveyResult.objects.filter(visit=world.visit_a).update(value=Decimal("10"))
    CriterionScore.objects.filter(visit=world.visit_a, criterion__code="1.1.2").update(not_applicable="")
    world.criteria_set.survey_weight = Decimal("0")
    world.criteria_set.save()

    again = result_of(world)
    assert (again.total_score, again.percent, again.penalty, again.survey_points, again.converted_score) == (
        Decimal("97.63"),
        signed.percent,
        Decimal("1.00"),
        Decimal("8.00"),
        Decimal("90.63"),
    )
    assert again.grade.label == signed.grade.label
    assert Minutes.objects.get(visit=world.visit_a).result_snapshot == stored


def test_a_version_1_snapshot_is_still_read(world):
    version_1 = {
        "version": 1,
        "criteria_set": {"id": world.criteria_set.pk, "name": "Bộ 2020", "total_max": "100.00"},
        "max_score": "100.00",
        "self_score": "50.00",
        "appraised_score": "68.50",
        "appraised_count": 4,
        "percent": "68.50",
        "self_percent": "50.00",
        "complete": True,
        "grade": {"label": "Trung bình", "min_percent": "50", "color": "warning"},
        "areas": [
            {
                "area_id": world.areas[0].pk,
                "code": "procedures",
                "number": "1",
                "title": "Thủ tục",
                "order": 0,
                "max_score": "50.00",
                "leaf_count": 3,
                "self_score": "25.00",
                "appraised_score": "38.50",
                "appraised_count": 3,
                "percent": "77.00",
                "self_percent": "50.00",
            }
        ],
        "criteria": [
            {
                "criterion_id": 1,
                "area_id": world.areas[0].pk,
                "code": "1.2",
                "title": "T",
                "max_score": "40.00",
                "self_score": "20.00",
                "appraised_score": "30.00",
            }
        ],
    }
    result = result_from_snapshot(world.visit_a.pk, version_1)
    assert (result.total_score, result.percent, result.bonus, result.penalty, result.survey_points) == (
        Decimal("68.50"),
        Decimal("68.50"),
        0,
        0,
        0,
    )
    assert not result.is_converted and result.grade.label == "Trung bình"


def test_queries_do_not_grow_with_the_visits(world):
    world.criteria_set.survey_weight = Decimal("10")
    world.criteria_set.save()
    index = SurveyIndex.objects.create(criteria_set=world.criteria_set, code="SIPAS", title="Hài lòng", weight=1)
    bonus = item(world, AdjustmentItem.Kind.BONUS, "T1", "2")
    visits = [world.visit_a, world.visit_b]
    for _n in range(4):
        visit = VisitFactory(plan=world.plan)
        for criterion in world.leaves:
            ScoreFactory(visit=visit, criterion=criterion, appraised_score=criterion.max_score)
        VisitAdjustment.objects.create(visit=visit, item=bonus, points=Decimal("1"), note="x")
        SurveyResult.objects.create(visit=visit, index=index, value=Decimal("50"))
        visits.append(visit)

    visit_results(visits=visits[:1], criteria_set=world.criteria_set)  # The method is then kept: warm reads below.
    with CaptureQueriesContext(connection) as two:
        visit_results(visits=visits[:2], criteria_set=world.criteria_set)
    with CaptureQueriesContext(connection) as six:
        results = visit_results(visits=visits, criteria_set=world.criteria_set)
    assert len(six) == len(two)
    # Full criteria 100 + bonus 1 + survey 10 × 50 / 100 = 5 → 106 of 110.
    assert results[visits[-1].pk].total_score == Decimal("106")


def test_the_snapshot_lists_what_the_total_rests_on(world):
    late = item(world, AdjustmentItem.Kind.PENALTY, "D1", "1")
    adjustment_record(visit=world.visit_a, item=late, user=world.users["lead"], points=Decimal("0.5"), note="Trễ hạn")
    data = visit_result_snapshot(visit=world.visit_a)
    assert data["adjustments"][0]["code"] == "D1" and data["adjustments"][0]["counted"] == "0.50"
    assert data["penalty"] == "0.50"
