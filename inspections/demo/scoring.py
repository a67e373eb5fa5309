"""The demo's 2021 round scored as the province publishes its method.

The 2021 set adds to the 100 points of criteria a 10-point survey (people's satisfaction and
officials' assessment), bonus and penalty items with their caps, and band rules. Thị trấn Tân
Hiệp had no late dossier in 2021, so it declares "apologies for late dossiers" (4.2.3) not
applicable and the team accepts; Tân Thành sent its third-quarter report late and gets a
penalty; the secretariat imports every commune's survey results from a sheet.
"""

import datetime as dt
import io
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from ..models import (
    AdjustmentItem,
    ClassificationBand,
    CriteriaSet,
    Criterion,
    CriterionScore,
    InspectionPlan,
    SurveyIndex,
    Visit,
    VisitAdjustment,
)
from ..services.scoring_methods import survey_results_import

NOT_APPLICABLE_CODE = "4.2.3"
NOT_APPLICABLE_COMMUNE = "Tân Hiệp"
NOT_APPLICABLE_REASON = (
    "Năm 2021 bộ phận một cửa của thị trấn không có hồ sơ thủ tục hành chính trễ hạn "
    "(sổ theo dõi hồ sơ và báo cáo từ phần mềm một cửa điện tử), nên không phát sinh văn bản xin lỗi."
)
PENALTY_COMMUNE = "Tân Thành"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ITEMS = [
    (
        AdjustmentItem.Kind.BONUS,
        "T1",
        "Có sáng kiến, mô hình cải cách hành chính được UBND huyện công nhận",
        "1",
        False,
    ),
    (AdjustmentItem.Kind.PENALTY, "D1", "Báo cáo cải cách hành chính định kỳ gửi trễ hạn", "0.5", False),
    (
        AdjustmentItem.Kind.PENALTY,
        "D2",
        "Cán bộ, công chức bị xử lý kỷ luật do vi phạm trong thi hành công vụ",
        "2",
        True,
    ),
]
INDICES = [
    ("SIPAS", "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính", "60"),
    ("CBCC", "Đánh giá của cán bộ, công chức về công tác cải cách hành chính của đơn vị", "40"),
]


def build_scoring_2021(builder, plan: InspectionPlan) -> None:
    """The method on the 2021 set, and the not-applicable criterion, the penalty and the survey of the round."""
    criteria_set = plan.criteria_set
    # The demo writes its own set as the secretariat would have before the round started.
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(
        total_max=Decimal("110"), survey_weight=Decimal("10"), bonus_cap=Decimal("2"), penalty_cap=Decimal("3")
    )
    Criterion.objects.filter(criteria_set=criteria_set, code=NOT_APPLICABLE_CODE).update(may_be_not_applicable=True)
    items = {}
    for order, (kind, code, title, maximum, serious) in enumerate(ITEMS, start=1):
        items[code], _created = AdjustmentItem.objects.update_or_create(
            criteria_set=criteria_set,
            code=code,
            defaults={
                "kind": kind,
                "title": title,
                "max_points": Decimal(maximum),
                "serious_violation": serious,
                "order": order,
            },
        )
    for order, (code, title, weight) in enumerate(INDICES, start=1):
        SurveyIndex.objects.update_or_create(
            criteria_set=criteria_set, code=code, defaults={"title": title, "weight": Decimal(weight), "order": order}
        )
    # "Xuất sắc" as the province publishes it: no area under 80 % and no serious violation.
    ClassificationBand.objects.filter(criteria_set=criteria_set, label="Xuất sắc").update(
        area_floor_percent=Decimal("80"), requires_no_serious_violation=True
    )

    visits = {v.unit.name: v for v in plan.visits.select_related("unit", "plan")}
    _declare_not_applicable(builder, visits[NOT_APPLICABLE_COMMUNE])
    penalised = visits[PENALTY_COMMUNE]
    # Only once: a second run records nothing, not even a history row.
    if not penalised.is_locked and not VisitAdjustment.objects.filter(visit=penalised, item=items["D1"]).exists():
        VisitAdjustment.objects.create(
            visit=penalised,
            item=items["D1"],
            points=Decimal("0.5"),
            note="Báo cáo cải cách hành chính quý III/2021 gửi Phòng Nội vụ ngày 22/9/2021, trễ 7 ngày so với thời hạn.",
            document="Sổ theo dõi văn bản đến của Phòng Nội vụ, số đến 1186 ngày 22/9/2021",
            recorded_by=builder.users["secretariat"],
        )
    _import_survey(builder, plan, list(visits.values()))


def _declare_not_applicable(builder, visit: Visit) -> None:
    """The township declares 4.2.3 not applicable on its sheet; the inspector accepts it in appraisal."""
    if visit.is_locked:
        return
    criterion = Criterion.objects.get(criteria_set=visit.plan.criteria_set, code=NOT_APPLICABLE_CODE)
    # Only once: a second run writes nothing, not even a history row.
    CriterionScore.objects.filter(visit=visit, criterion=criterion).exclude(
        not_applicable=CriterionScore.NotApplicable.ACCEPTED
    ).update(
        self_score=None,
        self_explanation=NOT_APPLICABLE_REASON,
        not_applicable=CriterionScore.NotApplicable.ACCEPTED,
        not_applicable_reason=NOT_APPLICABLE_REASON,
        not_applicable_decided_by=builder.users["inspector"],
        not_applicable_decided_at=dt.datetime.combine(visit.scheduled_on, dt.time(10, 30), tzinfo=TZ),
        appraised_score=None,
        appraised_comment="Đã kiểm tra sổ theo dõi: không có hồ sơ trễ hạn trong năm. Chấp nhận không áp dụng.",
        appraised_by=builder.users["inspector"],
    )


def _import_survey(builder, plan: InspectionPlan, visits: list[Visit]) -> None:
    """The survey results of the communes not yet signed, imported by the secretariat from a sheet."""
    open_visits = sorted((v for v in visits if not v.is_locked), key=lambda v: v.unit.name)
    if not open_visits:
        return
    book = Workbook()
    book.active.append(["Mã đơn vị", "Xã", *[code for code, _title, _weight in INDICES]])
    for visit in open_visits:
        rng = random.Random(f"survey-2021-{visit.unit.code}-{visit.unit.name}")
        book.active.append([visit.unit.code, visit.unit.name, *[round(rng.uniform(72, 95), 1) for _index in INDICES]])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    survey_results_import(plan=plan, visits=open_visits, user=builder.users["secretariat"], file=out)
