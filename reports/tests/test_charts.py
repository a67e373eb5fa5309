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


def test_the_faster_attribute_lookup_draws_exactly_what_pygal_draws(world, monkeypatch, settings):
    """`charts._graph_attribute` replaces pygal's own lookup: every chart, wide and narrow, must come out the same."""
    import pygal.graph.base

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    CriterionScore.objects.filter(visit__plan=world.plan).update(appraised_score=1)
    results = campaign_results(plan=world.plan, visits=list(Visit.objects.filter(plan=world.plan)))
    # pygal names each drawing with a random id: the same one both times, so that the SVG compares whole.
    monkeypatch.setattr(pygal.graph.base, "uuid4", lambda: "00000000-0000-4000-8000-000000000000")

    def drawings():
        return [
            draw(results, width=width)
            for draw in (charts.area_chart_svg, charts.ranking_chart_svg)
            for width in (charts.NARROW - 80, charts.WIDTH)
        ]

    assert pygal.graph.base.BaseGraph.__getattribute__ is charts._graph_attribute
    faster = drawings()
    monkeypatch.setattr(pygal.graph.base.BaseGraph, "__getattribute__", charts.PYGAL_GETATTRIBUTE)
    assert drawings() == faster
    assert all("<rect" in svg and "Tân" in svg for svg in faster[2:])


def test_chart_values_are_rounded_half_up_as_the_tables_round_them(world, settings):
    from decimal import Decimal

    from django.utils import translation

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    scores = CriterionScore.objects.filter(visit__plan=world.plan)
    # Area 1 (50 points): 6 + 4 + 32,28 = 42,28, i.e. 84,56 %; area 2: 0. The total is 42,28 %.
    for code, value in (("1.1.1", "6"), ("1.1.2", "4"), ("1.2", "32.28"), ("2.1", "0")):
        scores.filter(criterion__code=code).update(appraised_score=Decimal(value))
    results = campaign_results(plan=world.plan, visits=list(Visit.objects.filter(plan=world.plan)))
    with translation.override("vi"):
        area_texts = _texts(charts.area_chart_svg(results))
        ranking_texts = _texts(charts.ranking_chart_svg(results))
    assert "84,6" in area_texts and "84,5" not in area_texts, area_texts
    assert "42,3" in ranking_texts and "42,2" not in ranking_texts, ranking_texts
