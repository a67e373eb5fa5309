"""The district report's table of communes: ranked first, then partly scored, then not started."""

import re
from decimal import Decimal

import pytest

from communes.folding import name_key
from communes.tests.factories import CommuneFactory
from inspections.models import CriterionScore
from inspections.tests.factories import ScoreFactory, VisitFactory
from reports.models import Report
from reports.rendering.district import district_report
from reports.rendering.documents import document_html

pytestmark = pytest.mark.django_db


def test_vietnamese_names_sort_in_dictionary_order():
    names = ["Thạnh Trị", "Tân Hội", "Tân Hòa", "Đông Hòa", "Dương Tơ", "Tân Hiệp B", "Tân Hiệp", "Ấp Bắc", "An Bình"]
    assert sorted(names, key=name_key) == [
        "An Bình",
        "Ấp Bắc",
        "Dương Tơ",
        "Đông Hòa",
        "Tân Hiệp",
        "Tân Hiệp B",
        "Tân Hòa",
        "Tân Hội",
        "Thạnh Trị",
    ]


def _visit(world, name, *, self_score):
    visit = VisitFactory(plan=world.plan, unit=CommuneFactory(name=name, parent=world.district))
    for criterion in world.leaves:
        ScoreFactory(visit=visit, criterion=criterion, self_score=criterion.max_score / 2 if self_score else None)
    return visit


def _row_cells(html: str, name: str) -> list[str]:
    """The cells after the name in the commune's row of the results table (the one with a score per column)."""
    # Unit names are printed with no-break spaces, so that a name never splits across lines.
    html = html.replace("\xa0", " ")
    for row in re.finditer(rf"<tr>\s*<td[^>]*>\d+</td>\s*<td>Xã {name}</td>(.*?)</tr>", html, re.S):
        cells = [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
        if len(cells) == 8:
            return cells
    raise AssertionError(f"no results row for {name}")


def test_unranked_communes_follow_the_ranked_partial_before_not_started_each_by_name(world):
    # Thạnh Đông A appraised on every criterion (ranked); Tân Hội appraised on one; Thạnh Lợi
    # self-assessed only; Thạnh Trị not started, with not one self score.
    CriterionScore.objects.filter(visit=world.visit_a).update(appraised_score=0)
    CriterionScore.objects.filter(visit=world.visit_b, criterion=world.leaves[0]).update(appraised_score=1)
    _visit(world, "Thạnh Trị", self_score=False)
    _visit(world, "Thạnh Lợi", self_score=True)
    report = district_report(plan=world.plan)
    assert [row.unit.name for row in report.rows] == ["Thạnh Đông A", "Tân Hội", "Thạnh Lợi", "Thạnh Trị"]
    html, _name = document_html(kind=Report.Kind.DISTRICT, plan=world.plan, visit=None)
    not_started = _row_cells(html, "Thạnh Trị")
    assert not_started[:8] == ["—"] * 8, not_started
    self_only = _row_cells(html, "Thạnh Lợi")
    assert self_only[0] == "50" and self_only[1:8] == ["—"] * 7, self_only
    ranked = _row_cells(html, "Thạnh Đông A")
    assert ranked[:3] == ["50", "0", "-50"], ranked


def test_self_assessed_average_counts_only_the_communes_that_self_assessed(world):
    # Both communes of the world gave themselves half of every criterion; Thạnh Trị gave itself nothing.
    # Its empty self-assessment is not a claim of 0 %: the average stays 50 %, not a third less.
    _visit(world, "Thạnh Trị", self_score=False)
    CriterionScore.objects.filter(visit__plan=world.plan).update(appraised_score=0)
    report = district_report(plan=world.plan)
    averages = {s.area.code: s.average_self_percent for s in report.results.area_summaries}
    assert averages == {"procedures": Decimal("50.00"), "modernization": Decimal("50.00")}
    not_started = next(row for row in report.rows if row.unit.name == "Thạnh Trị")
    assert not not_started.has_self_score and not_started.area_self_percents == {}
    html, _name = document_html(kind=Report.Kind.DISTRICT, plan=world.plan, visit=None)
    assert html.count("tự chấm: 50%") == 2, html


def test_an_area_no_commune_self_assessed_says_so_instead_of_a_self_average(world):
    CriterionScore.objects.filter(visit__plan=world.plan).update(self_score=None, appraised_score=0)
    report = district_report(plan=world.plan)
    assert [s.average_self_percent for s in report.results.area_summaries] == [None, None]
    html, _name = document_html(kind=Report.Kind.DISTRICT, plan=world.plan, visit=None)
    assert html.count("chưa xã nào tự chấm") == 2
    assert "tự chấm: " not in html
