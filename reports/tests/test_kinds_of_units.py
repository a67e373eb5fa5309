"""The charts and the district report name the kinds of unit a campaign inspects.

A district before the 2025 reform inspected communes and townships (xã, thị trấn); a province since
inspects communes, wards and special zones (xã, phường, đặc khu).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from communes.models import AdministrativeUnit, kinds_phrase
from communes.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from inspections.models import Visit
from inspections.results import campaign_results
from inspections.tests.factories import (
    BandFactory,
    CriteriaSetFactory,
    CriterionFactory,
    PlanFactory,
    ReviewAreaFactory,
    ScoreFactory,
    VisitFactory,
)
from reports import charts
from reports.models import Report
from reports.rendering.district import district_report
from reports.rendering.documents import render_document

from . import pdf_text

pytestmark = pytest.mark.django_db
Kind = AdministrativeUnit.Kind


def test_kinds_are_named_together_in_the_order_official_texts_list_them():
    cases = [
        ({Kind.TOWNSHIP, Kind.COMMUNE}, "xã, thị trấn", "communes and townships"),
        ({Kind.SPECIAL_ZONE, Kind.WARD, Kind.COMMUNE}, "xã, phường, đặc khu", "communes, wards and special zones"),
        ({Kind.WARD}, "phường", "wards"),
        # Nothing commune-level to name (a campaign without visits yet): communes.
        (set(), "xã", "communes"),
        ({Kind.DISTRICT}, "xã", "communes"),
    ]
    for kinds, vietnamese, english in cases:
        with translation.override("vi"):
            assert kinds_phrase(kinds) == vietnamese
        with translation.override("en"):
            assert kinds_phrase(list(kinds)) == english


def _campaign(authority, year: int, units: list[tuple[str, str]]):
    """`authority`'s campaign of `year` over new units (name, kind), each appraised at 80 % of its one criterion."""
    criteria_set = CriteriaSetFactory(authority=authority, year=year)
    area = ReviewAreaFactory(criteria_set=criteria_set, code="procedures", number="1", title="Thủ tục hành chính")
    criterion = CriterionFactory(area=area, code="1.1", max_score=Decimal("10"))
    BandFactory(criteria_set=criteria_set, label="Khá", min_percent=Decimal("70"))
    BandFactory(criteria_set=criteria_set, label="Yếu", min_percent=Decimal("0"))
    plan = PlanFactory(
        criteria_set=criteria_set,
        authority=authority,
        issued_on=dt.date(year, 9, 15),
        round_start=dt.date(year, 10, 5),
        round_end=dt.date(year, 10, 14),
    )
    for name, kind in units:
        unit = CommuneFactory(name=name, kind=kind, parent=authority, valid_from=authority.valid_from)
        visit = VisitFactory(plan=plan, unit=unit, scheduled_on=dt.date(year, 10, 5))
        ScoreFactory(visit=visit, criterion=criterion, self_score=Decimal("8"), appraised_score=Decimal("8"))
    return plan


def _district_campaign():
    district = DistrictFactory(name="Tân Hiệp", parent=ProvinceFactory(name="Kiên Giang"))
    return _campaign(district, 2020, [("Tân Hội", Kind.COMMUNE), ("Tân Hiệp", Kind.TOWNSHIP)])


def _province_campaign():
    an_giang = ProvinceFactory(name="An Giang", code="91", valid_from=dt.date(2025, 7, 1))
    return _campaign(an_giang, 2026, [("Thạnh Đông", Kind.COMMUNE), ("Rạch Giá", Kind.WARD)])


def _ranking_title(plan, language: str) -> str:
    with translation.override(language):
        results = campaign_results(plan=plan, visits=list(Visit.objects.filter(plan=plan).select_related("unit")))
        svg = charts.ranking_chart_svg(results)
    return svg.split('aria-label="', 1)[1].split('"', 1)[0]


def test_a_district_campaign_before_2025_ranks_its_communes_and_townships():
    plan = _district_campaign()
    assert _ranking_title(plan, "vi") == "Xếp hạng các xã, thị trấn (%)"
    assert _ranking_title(plan, "en") == "Ranking of communes and townships (%)"


def test_a_province_campaign_ranks_its_communes_and_wards_on_the_dashboard(client):
    plan = _province_campaign()
    assert _ranking_title(plan, "en") == "Ranking of communes and wards (%)"
    secretariat = UserFactory(username="snv_angiang")
    MembershipFactory(user=secretariat, unit=plan.authority, role=Membership.Role.SECRETARIAT)
    client.force_login(secretariat)
    with translation.override("vi"):
        page = client.get(reverse("inspections:plan_dashboard", args=[plan.pk])).content.decode()
    assert "Xếp hạng các xã, phường (%)" in page
    assert "xã, thị trấn" not in page


def test_the_district_report_of_a_district_before_2025_speaks_of_communes_and_townships():
    text = pdf_text.text(render_document(kind=Report.Kind.DISTRICT, plan=_district_campaign()).content)
    assert "đã tiến hành kiểm tra tại 2 xã, thị trấn từ ngày" in text
    assert "Có 2/2 xã, thị trấn có kết quả chính thức (Khá: 2)." in text
    assert "Xếp hạng các xã, thị trấn (%)" in text
    assert "Đề nghị Ủy ban nhân dân các xã, thị trấn ban hành kế hoạch khắc phục" in text
    assert "UBND các xã, thị trấn;" in text


def test_the_district_report_of_a_province_speaks_of_its_communes_and_wards():
    plan = _province_campaign()
    text = pdf_text.text(render_document(kind=Report.Kind.DISTRICT, plan=plan).content)
    for phrase in (
        "đã tiến hành kiểm tra tại 2 xã, phường từ ngày",
        "2. Kết quả chấm điểm của các xã, phường",
        "Cả 2 xã, phường đã được thẩm định đủ các tiêu chí.",
        "Có 2/2 xã, phường có kết quả chính thức (Khá: 2).",
        "Xếp hạng các xã, phường (%)",
        "3. Kết quả từng lĩnh vực của các xã, phường (%)",
        "Đề nghị Ủy ban nhân dân các xã, phường ban hành kế hoạch khắc phục",
        "UBND các xã, phường;",
    ):
        assert phrase in text, phrase
    assert "thị trấn" not in text
    with translation.override("en"):
        report = district_report(plan=plan)
        assert report.units_phrase == "communes and wards"
        assert report.proposals_draft.startswith("The People's Committees of the communes and wards are asked")
        assert "People's Committees of the communes and wards;" in report.letterhead.recipients


def test_the_conclusion_notice_names_the_kinds_of_unit_the_campaign_inspected():
    from inspections.tests.factories import ConclusionNoticeFactory

    for plan, phrase, other in (
        (_district_campaign(), "đã kiểm tra tại các xã, thị trấn;", "phường"),
        (_province_campaign(), "đã kiểm tra tại các xã, phường;", "thị trấn"),
    ):
        visit = Visit.objects.filter(plan=plan).order_by("pk").first()
        ConclusionNoticeFactory(visit=visit)
        text = " ".join(pdf_text.text(render_document(kind=Report.Kind.NOTICE, plan=plan, visit=visit).content).split())
        assert phrase in text
        assert other not in text.split("kiểm tra tại", 1)[1].split(";", 1)[0]
