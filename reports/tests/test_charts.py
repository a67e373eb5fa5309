"""The charts: bars in rank order at their length, labels escaped, and as a document prints them."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from inspections.models import CriterionScore, Visit
from inspections.results import campaign_results
from reports import charts

pytestmark = pytest.mark.django_db


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)


def test_a_printed_chart_keeps_every_shape_and_text_and_drops_the_tooltips(world):
    CriterionScore.objects.filter(visit__plan=world.plan).update(appraised_score=1)
    results = campaign_results(plan=world.plan, visits=list(Visit.objects.filter(plan=world.plan)))
    for svg in (charts.area_chart_svg(results), charts.ranking_chart_svg(results)):
        printed = charts.printed(svg)
        assert "<title>" in svg and "<title>" not in printed
        assert _texts(printed) == _texts(svg)
        for shape in ("<rect", "<path", "<text"):
            assert printed.count(shape) == svg.count(shape), shape
        assert "<script" not in svg and "<style" not in svg and " id=" not in svg and "href" not in svg


def _bars(svg: str) -> list[tuple[float, float]]:
    """(y, width) of each bar: the rectangles that carry a tooltip."""
    return [
        (float(y), float(w)) for y, w in re.findall(r'<rect x="[^"]*" y="([^"]*)" width="([^"]*)"[^>]*><title>', svg)
    ]


def test_the_ranking_draws_a_bar_per_appraised_commune_in_rank_order_at_its_length(world, settings):
    from types import SimpleNamespace

    rows = [
        SimpleNamespace(rank=1, unit="Xã Thạnh Đông A", percent=Decimal("100")),
        SimpleNamespace(rank=2, unit='Xã <Tân> & "Hội"', percent=Decimal("50")),
        SimpleNamespace(rank=None, unit="Thị trấn Tân Hiệp", percent=Decimal("25")),
        SimpleNamespace(rank=None, unit="Xã Tân An", percent=None),
    ]
    results = SimpleNamespace(plan=SimpleNamespace(year=2020), ranked_rows=rows, units_phrase="xã, thị trấn")
    with translation.override("vi"):
        svg = charts.ranking_chart_svg(results)
    texts = _texts(svg)
    assert texts[0] == "Xếp hạng các xã, thị trấn (%)"
    assert "1. Xã Thạnh Đông A" in texts and "2. Xã &lt;Tân&gt; &amp; &quot;Hội&quot;" in texts
    assert "Thị trấn Tân Hiệp (tạm tính)" in texts and "Xã Tân An (chưa thẩm định)" in texts
    assert "100,0" in texts and "50,0" in texts and "25,0" in texts
    # No bar for the commune not appraised; the others top to bottom, each as long as its percentage.
    bars = _bars(svg)
    assert len(bars) == 3
    assert [y for y, _w in bars] == sorted(y for y, _w in bars)
    full, half, quarter = (w for _y, w in bars)
    assert abs(half - full / 2) < 0.2 and abs(quarter - full / 4) < 0.2
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 ') and 'width="100%"' in svg


def test_a_narrow_drawing_puts_long_labels_above_their_bars_and_marks_the_axis_at_0_50_100():
    from types import SimpleNamespace

    title = "Cải cách thủ tục hành chính; cơ chế một cửa, một cửa liên thông"
    areas = [SimpleNamespace(number="I", title=title, shown_title=title)]
    results = SimpleNamespace(
        plan=SimpleNamespace(year=2020),
        previous_plan=SimpleNamespace(year=2019),
        areas=areas,
        area_summaries=[SimpleNamespace(average_percent=Decimal("80"), previous_average_percent=Decimal("60"))],
    )
    with translation.override("vi"):
        narrow, wide = charts.area_chart_svg(results, width=320), charts.area_chart_svg(results)
    label = "I. Cải cách thủ tục hành chính"
    narrow_label = re.search(r'<text x="([^"]*)" y="[^"]*" font-size="14"( text-anchor="end")?>' + label, narrow)
    wide_label = re.search(r'<text x="([^"]*)" y="[^"]*" font-size="14"( text-anchor="end")?>' + label, wide)
    # Narrow: above the bars, starting where they start; wide: left of them, ending before them.
    assert narrow_label.group(2) is None and float(narrow_label.group(1)) == charts.MARGIN
    assert wide_label.group(2) is not None
    assert [t for t in _texts(narrow) if t.isdigit()] == ["0", "50", "100", "2020", "2019"]
    assert [t for t in _texts(wide) if t.isdigit()] == ["0", "20", "40", "60", "80", "100", "2020", "2019"]
    this_year, last_year = _bars(wide)
    assert this_year[0] < last_year[0] and this_year[1] > last_year[1]


def test_chart_values_are_rounded_half_up_as_the_tables_round_them(world):
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


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_value_is_written_as_number_format_writes_it_rounded_half_up(language):
    import random

    from django.utils.formats import number_format

    rng = random.Random(7)
    values = [0.0, -0.0, 0.04, 0.05, 84.55, 84.56, 99.95, 100.0, 999.96, 1234.56, -0.04]
    values += [rng.uniform(0, 100) for _ in range(2000)]
    with translation.override(language):
        for value in values:
            expected = number_format(Decimal(str(value)).quantize(charts.ONE_PLACE, rounding="ROUND_HALF_UP"), 1)
            assert charts._percent_label(value) == expected, value


DEJAVU_SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


@pytest.mark.parametrize(
    "label",
    [
        "Commune Thạnh Đông A",
        "Commune Thạnh Đông B (not appraised)",
        "Township Tân Hiệp (provisional)",
        "Phường Bình Hưng Hòa (chưa thẩm định)",
        "12. Xã Thạnh Đông A",
        "VI. Hiện đại hóa nền hành chính",
        "IV. Cải cách tổ chức bộ máy",
        "Phường An Phú Đông *",
        "Average result per review area (%)",
    ],
)
def test_a_label_is_given_at_least_the_room_the_widest_fallback_serif_draws_it_in(label):
    """The labels stand right-aligned before the bars: an estimate narrower than the font would cut their start."""
    from fontTools.ttLib import TTFont

    font = TTFont(DEJAVU_SERIF)
    glyphs, advances, per_em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    drawn = sum(advances[glyphs[ord(char)]][0] for char in label) / per_em * charts.LABEL_SIZE
    assert charts._text_width(label, charts.LABEL_SIZE) >= drawn, (label, drawn)
