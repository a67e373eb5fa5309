"""A generated province-size campaign: N communes, every criterion scored, findings for each, last year too.

Used by the kill test (a render long enough to be interrupted) and by bench/report_bench.py
(150 communes on the demo's criteria, 170 communes on a 97-criterion set). Rows are written
with bulk_create so that 150 communes take seconds.
"""

import datetime as dt
import itertools
import random
from decimal import ROUND_DOWN, Decimal

from accounts.models import User
from communes.models import AdministrativeUnit
from inspections.demo.build import DemoBuilder
from inspections.demo.criteria import AREAS, BANDS_2020, CRITERIA_2020
from inspections.models import (
    ConclusionNotice,
    CriterionScore,
    Finding,
    InspectionPlan,
    InspectionTeam,
    Minutes,
    TeamGroup,
    TeamMember,
    Visit,
)

QUARTER = Decimal("0.25")
FIRST = ["Tân", "Thạnh", "Vĩnh", "Phú", "Long", "Mỹ", "Bình", "Hòa", "Đông", "Hưng", "Lộc", "Thuận", "Định", "Minh"]
SECOND = ["An", "Hiệp", "Hội", "Thành", "Trị", "Điền", "Phước", "Quới", "Khánh", "Lợi", "Xuân", "Hậu", "Đức", "Yên"]

STRENGTHS = [
    ("procedures", "Bộ phận một cửa bố trí khoa học, niêm yết đầy đủ thủ tục hành chính."),
    ("modernization", "Áp dụng hệ thống quản lý chất lượng ISO 9001:2015 trong giải quyết thủ tục."),
    ("apparatus", "Cán bộ, công chức đạt chuẩn trình độ chuyên môn theo vị trí việc làm."),
    ("direction", "Kế hoạch cải cách hành chính năm được ban hành kịp thời."),
    ("finance", "Thực hiện công khai tài chính, ngân sách đúng quy định."),
]
SHORTCOMINGS = [
    ("procedures", "Còn hồ sơ giải quyết trễ hạn chưa có văn bản xin lỗi.", "Thực hiện xin lỗi đúng quy định."),
    ("institutions", "Chưa rà soát văn bản quy phạm pháp luật do xã ban hành.", "Tổ chức rà soát và báo cáo kết quả."),
    ("modernization", "Tỷ lệ hồ sơ trực tuyến toàn trình còn thấp.", "Tăng cường hướng dẫn nộp hồ sơ trực tuyến."),
    ("emulation", "Hồ sơ xử phạt vi phạm hành chính chưa đầy đủ biểu mẫu.", "Hoàn thiện hồ sơ theo biểu mẫu."),
    ("direction", "Báo cáo cải cách hành chính quý gửi chưa đúng hạn.", "Chấp hành thời hạn báo cáo định kỳ."),
]
RECOMMENDATIONS = [
    ("procedures", "Khảo sát mức độ hài lòng của người dân định kỳ hằng quý."),
    ("direction", "Đa dạng hóa hình thức tuyên truyền cải cách hành chính."),
]


# The scored criteria per review area of a province-size set: 97 in all, as bench/national.py builds them.
LEAVES_PER_AREA = (14, 14, 14, 14, 14, 14, 13)


def criteria_97() -> dict:
    """A 97-criterion set over the demo's seven areas, in the form of the demo's CRITERIA_2020.

    Criteria of four sub-criteria (fewer at the end of an area); every sub-criterion is worth
    1 point, except the first of each area's first criterion in the first three areas (2 points):
    100 points in all, as bench/national.py's set.
    """
    criteria = {}
    for area_index, ((area_code, _number, _title, _title_en), count) in enumerate(
        zip(AREAS, LEAVES_PER_AREA, strict=True)
    ):
        parents, remaining = [], count
        while remaining:
            size = min(4, remaining)
            code = f"{area_index + 1}.{len(parents) + 1}"
            double = area_index < 3 and not parents
            maxima = [Decimal("2") if double and i == 0 else Decimal("1") for i in range(size)]
            children = [
                (
                    f"{code}.{i}",
                    f"Tiêu chí thành phần {code}.{i}: ban hành, triển khai đúng thời hạn",
                    maximum,
                    "Đầy đủ, đúng hạn: tối đa; chậm hoặc không đầy đủ: trừ điểm.",
                    "Văn bản, báo cáo kèm theo.",
                    None,
                )
                for i, maximum in enumerate(maxima, start=1)
            ]
            parents.append(
                (
                    code,
                    f"Tiêu chí {code}: thực hiện nhiệm vụ cải cách hành chính theo kế hoạch",
                    sum(maxima),
                    "Chấm theo mức độ hoàn thành.",
                    "",
                    children,
                )
            )
            remaining -= size
        criteria[area_code] = parents
    return criteria


def commune_names(count: int) -> list[str]:
    """Distinct Vietnamese-looking commune names with every diacritic in play."""
    names = [f"{a} {b}" for a, b in itertools.product(FIRST, SECOND)]
    if count > len(names):
        names += [f"{name} {suffix}" for suffix in ("A", "B") for name in names]
    return names[:count]


def _snap(value: Decimal, maximum: Decimal) -> Decimal:
    value = max(Decimal("0"), min(value, maximum))
    return (value / QUARTER).to_integral_value(rounding=ROUND_DOWN) * QUARTER


def _plan(authority, criteria_set, year, lead, members, previous=None) -> InspectionPlan:
    plan = InspectionPlan.objects.create(
        authority=authority,
        criteria_set=criteria_set,
        year=year,
        number=f"{40 + year % 100}/KH-UBND",
        issued_on=dt.date(year, 8, 20),
        title=f"Kiểm tra công tác cải cách hành chính cấp xã năm {year}",
        forms=["on_site", "documents"],
        round_start=dt.date(year, 9, 3),
        round_end=dt.date(year, 11, 28),
        status=InspectionPlan.Status.IN_PROGRESS,
        previous=previous,
    )
    team = InspectionTeam.objects.create(
        plan=plan,
        name=f"Đoàn kiểm tra công tác cải cách hành chính tỉnh năm {year}",
        decision_number=f"{2100 + year % 100}/QĐ-UBND",
        decision_date=dt.date(year, 8, 28),
    )
    areas = list(criteria_set.areas.order_by("order"))
    groups = []
    for index, area in enumerate(areas):
        group = TeamGroup.objects.create(team=team, name=f"Tổ {index + 1}", order=index)
        group.areas.set([area])
        groups.append(group)
    TeamMember.objects.create(team=team, user=lead, role=TeamMember.Role.LEAD, position="Phó Chủ tịch UBND tỉnh")
    for index, user in enumerate(members):
        TeamMember.objects.create(
            team=team,
            user=user,
            role=TeamMember.Role.MEMBER,
            position="Chuyên viên Sở Nội vụ",
            group=groups[index % len(groups)],
            order=index + 1,
        )
    return plan


def _score_and_find(plan: InspectionPlan, visits: list[Visit], leaves, rng: random.Random, year_bonus: float):
    scores, findings = [], []
    areas = {a.code: a for a in plan.criteria_set.areas.all()}
    for visit in visits:
        quality = rng.uniform(0.55, 0.85) + year_bonus
        for criterion in leaves:
            fraction = Decimal(str(round(quality + rng.uniform(-0.15, 0.12), 2)))
            appraised = _snap(criterion.max_score * fraction, criterion.max_score)
            extra = criterion.max_score * Decimal(str(round(rng.uniform(0, 0.25), 2)))
            claimed = _snap(appraised + extra, criterion.max_score)
            scores.append(
                CriterionScore(
                    visit=visit,
                    criterion=criterion,
                    max_score=criterion.max_score,
                    self_score=claimed,
                    appraised_score=appraised,
                    appraised_comment="Đạt yêu cầu." if appraised == criterion.max_score else "Hồ sơ chưa đầy đủ.",
                )
            )
        for code, text in rng.sample(STRENGTHS, 2):
            findings.append(
                Finding(
                    visit=visit, kind=Finding.Kind.STRENGTH, area=areas[code], text=text, status=Finding.Status.NOTED
                )
            )
        for code, text, recommendation in rng.sample(SHORTCOMINGS, 2):
            findings.append(
                Finding(
                    visit=visit,
                    kind=Finding.Kind.SHORTCOMING,
                    area=areas[code],
                    text=text,
                    recommendation=recommendation,
                    due_date=plan.round_end + dt.timedelta(days=45),
                )
            )
        code, text = rng.choice(RECOMMENDATIONS)
        findings.append(Finding(visit=visit, kind=Finding.Kind.RECOMMENDATION, area=areas[code], text=text))
    CriterionScore.objects.bulk_create(scores, batch_size=2000)
    Finding.objects.bulk_create(findings, batch_size=2000)


def build_province_campaign(
    *, communes: int = 150, year: int = 2024, code: str = "X91", seed: int = 7, criteria: dict | None = None
):
    """A province inspecting `communes` communes in `year`, with last year's campaign; returns this year's plan.

    Both years use `criteria` (in the form of the demo's CRITERIA_2020; the demo's set by default).

    Every criterion is self-scored and appraised at every commune; each commune has
    strengths, shortcomings and a recommendation; last year's unremedied findings are
    carried over, about half of them remedied at this year's visit. The first commune
    has signed minutes and a conclusion notice.
    """
    rng = random.Random(seed)
    province = AdministrativeUnit.objects.create(code=code, name="Kiên Giang", kind=AdministrativeUnit.Kind.PROVINCE)
    units = AdministrativeUnit.objects.bulk_create(
        [
            AdministrativeUnit(
                code=f"{code}{index:04d}",
                name=name,
                kind=AdministrativeUnit.Kind.WARD if index % 9 == 0 else AdministrativeUnit.Kind.COMMUNE,
                level=AdministrativeUnit.Level.COMMUNE,
                parent=province,
            )
            for index, name in enumerate(commune_names(communes))
        ]
    )
    builder = DemoBuilder()
    builder.district = province
    sets = {y: builder.build_criteria_set(y, criteria or CRITERIA_2020, BANDS_2020) for y in (year - 1, year)}
    lead = User.objects.create(username=f"{code.lower()}-lead", full_name="Nguyễn Thanh Tùng")
    members = [
        User.objects.create(username=f"{code.lower()}-member-{i}", full_name=f"Trần Thị Ngọc Ánh {i + 1}")
        for i in range(8)
    ]
    previous = _plan(province, sets[year - 1], year - 1, lead, members)
    plan = _plan(province, sets[year], year, lead, members, previous=previous)
    days = [plan.round_start + dt.timedelta(days=i // 3) for i in range(communes)]
    old_visits = Visit.objects.bulk_create(
        [
            Visit(plan=previous, unit=u, scheduled_on=d.replace(year=year - 1), status=Visit.Status.CONCLUDED)
            for u, d in zip(units, days, strict=True)
        ]
    )
    visits = Visit.objects.bulk_create(
        [
            Visit(plan=plan, unit=u, scheduled_on=d, place=f"Trụ sở UBND {u}", status=Visit.Status.SIGNED)
            for u, d in zip(units, days, strict=True)
        ]
    )
    _score_and_find(previous, old_visits, builder.leaves(sets[year - 1]), rng, 0.0)
    _score_and_find(plan, visits, builder.leaves(sets[year]), rng, 0.06)
    areas = {a.code: a for a in sets[year].areas.all()}
    visit_of_unit = {v.unit_id: v for v in visits}
    carried = []
    for old in Finding.objects.filter(visit__plan=previous, kind__in=Finding.ACTIONABLE_KINDS).select_related(
        "area", "visit"
    ):
        if rng.random() < 0.5:
            old.status = Finding.Status.REMEDIED
            old.save(update_fields=["status"])
            continue
        old.status = Finding.Status.CARRIED_OVER
        old.save(update_fields=["status"])
        carried.append(
            Finding(
                visit=visit_of_unit[old.visit.unit_id],
                kind=old.kind,
                area=areas.get(old.area.code) if old.area else None,
                text=old.text,
                recommendation=old.recommendation,
                carried_from=old,
                status=Finding.Status.REMEDIED if rng.random() < 0.5 else Finding.Status.OPEN,
            )
        )
    Finding.objects.bulk_create(carried, batch_size=2000)
    first = visits[0]
    Minutes.objects.create(
        visit=first,
        number="01/BB-ĐKT",
        held_on=first.scheduled_on,
        place=first.place,
        team_attendees=[{"name": lead.full_name, "position": "Phó Chủ tịch UBND tỉnh, Trưởng đoàn"}],
        commune_attendees=[{"name": "Lê Văn Đức", "position": "Chủ tịch UBND"}],
        signed_by=lead,
    )
    ConclusionNotice.objects.create(
        visit=first,
        number="501/TB-UBND",
        issued_on=plan.round_end + dt.timedelta(days=10),
        remedy_deadline=plan.round_end + dt.timedelta(days=60),
        signer_name=lead.full_name,
        signer_title="Phó Chủ tịch",
        recipients="UBND xã;\nSở Nội vụ;\nLưu: VT.",
    )
    return plan
