"""The charts as a document prints them: the same drawing, without what only a screen uses."""

import re

import pytest

from inspections.models import CriterionScore, Visit
from inspections.results import campaign_results
from reports import charts

pytestmark = pytest.mark.django_db


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)


def test_a_printed_chart_keeps_every_shape_and_text_and_drops_tooltips_and_comments(world):
    CriterionScore.objects.filter(visit__plan=world.plan).update(appraised_score=1)
    results = campaign_results(plan=world.plan, visits=list(Visit.objects.filter(plan=world.plan)))
    for svg in (charts.area_chart_svg(results), charts.ranking_chart_svg(results)):
        printed = charts.printed(svg)
        assert "<desc" in svg and "<title>" in svg
        assert "<desc" not in printed and "<title>" not in printed and "<!--" not in printed
        assert _texts(printed) == _texts(svg)
        for shape in ("<rect", "<path", "<text", "<g", "<style"):
            assert printed.count(shape) == svg.count(shape), shape
