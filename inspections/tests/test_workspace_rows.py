"""The workspace's criterion rows written in Python say exactly what the row template says, in every state."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from inspections.models import CriterionScore
from inspections.views.district.workspace import CriterionRow, _score_form
from inspections.workspace_html import AreaTotalsWriter, ScoreRowWriter, writes_plainly

TOKEN = "t0ken-for-the-comparison"


def _score(world, criterion, **fields):
    return CriterionScore(visit=world.visit_a, criterion=criterion, max_score=criterion.max_score, **fields)


def _states(world):
    first, second = world.leaves[0], world.leaves[1]
    first.guidance = 'Full marks when <b>both</b> "reports" are sent\non time & signed.'
    first.expected_evidence = "Report <no. 12>"
    second.guidance, second.expected_evidence, second.parent = "", "", None
    files = [
        SimpleNamespace(original_name="Báo cáo <1>.pdf", url="/evidence/1/?a=1&b=2"),
        SimpleNamespace(original_name="Ảnh & biên bản.jpg", url=None),
    ]
    appraiser = world.users["inspector"]
    full = _score(
        world,
        first,
        self_score=Decimal("5.5"),
        self_explanation="Đã ban hành <kế hoạch> & báo cáo",
        appraised_score=Decimal("2.5"),
        appraised_comment='Thiếu "phụ lục" <2>',
        appraised_by=appraiser,
        appraised_at=timezone.make_aware(dt.datetime(2026, 10, 3, 14, 5)),
        explanation_requested=True,
        explanation_request="Vì sao <chậm>?",
        version=4,
    )
    whole = _score(world, second, self_score=Decimal("1"), appraised_score=Decimal("1.00"), version=2)
    return [
        (first, None, []),
        (first, full, files),
        (second, whole, []),
        (second, _score(world, second, self_score=None, version=1), files[:1]),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("editable", [True, False])
@pytest.mark.parametrize("saved", [False, True])
def test_an_ordinary_row_is_written_as_the_template_writes_it(world, language, editable, saved):
    with translation.override(language):
        writer = ScoreRowWriter(visit=world.visit_a, csrf_token=TOKEN)
        written = []
        for criterion, score, files in _states(world):
            plain = CriterionRow(criterion, score, files, None, editable=editable, saved=saved)
            assert writes_plainly(plain)
            templated = CriterionRow(
                criterion, score, files, _score_form(criterion, score), editable=editable, saved=saved
            )
            expected = render_to_string(
                "inspections/district/_score_row.html",
                {"row": templated, "visit": world.visit_a, "csrf_token": TOKEN},
            )
            assert writer.write(plain, world.visit_a) == expected
            written.append(expected)
    # The states compared reach every branch: who saved last, the large gap, escaped guidance and files.
    full = written[1]
    assert ("gap-large" in full) and "&lt;b&gt;both&lt;/b&gt;" in full and "<br>" in full
    assert "/evidence/1/?a=1&amp;b=2" in full and "Ảnh &amp; biên bản.jpg" in full
    assert (world.users["inspector"].get_full_name() in full) is editable
    assert ('name="appraised_score"' in full) is editable
    # A row just saved by htmx says so, as the template does.
    assert ('data-testid="saved"' in full and "border-success" in full) is saved


def test_rows_in_a_rarer_state_are_left_to_the_template(world):
    criterion = world.leaves[0]
    claimed = _score(world, criterion, not_applicable=CriterionScore.NotApplicable.DECLARED)
    assert not writes_plainly(CriterionRow(criterion, claimed, [], None, editable=True))
    conflict = ValidationError("Someone saved it first.", code="conflict")
    assert not writes_plainly(CriterionRow(criterion, None, [], None, editable=True, conflict=conflict))
    assert not writes_plainly(CriterionRow(criterion, None, [], _score_form(criterion, None), editable=True))


def test_the_workspace_page_escapes_what_a_commune_wrote(world, persona_client):
    from django.urls import reverse

    CriterionScore.objects.filter(visit=world.visit_a).delete()
    CriterionScore.objects.create(
        visit=world.visit_a,
        criterion=world.leaves[0],
        max_score=world.leaves[0].max_score,
        self_score=Decimal("1"),
        self_explanation="<script>alert(1)</script>",
    )
    page = persona_client("lead").get(reverse("inspections:visit_workspace", args=[world.visit_a.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'id="score-row-{world.leaves[0].pk}"' in html


def _results(world):
    """The visit's result as computed, then in the states the totals show otherwise."""
    from inspections import scoring
    from inspections.models import ClassificationBand

    def computed():
        return scoring.visit_results(visits=[world.visit_a], criteria_set=world.visit_a.plan.criteria_set)[
            world.visit_a.pk
        ]

    plain = computed()
    graded = computed()
    first = graded.ordered_areas[0]
    first.appraised_count, first.appraised_score, first.title = 2, Decimal("1.50"), "Thủ tục <hành chính> & một cửa"
    graded.grade = ClassificationBand(label="Tốt <nhất>", min_percent=Decimal("90"), color="success")
    refused = computed()
    refused.refused_bands = [scoring.RefusedBand(label="Xuất sắc", rule="serious_violation")]
    return [plain, graded, refused, None]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("oob", [True, False])
def test_the_area_totals_are_written_as_the_template_writes_them(world, language, oob):
    with translation.override(language):
        writer = AreaTotalsWriter()
        written = []
        for result in _results(world):
            totals = [(area, area) for area in result.ordered_areas] if result else []
            expected = render_to_string(
                "inspections/district/_area_totals.html", {"area_totals": totals, "result": result, "oob": oob}
            )
            assert writer.write(totals, result, oob=oob) == expected
            written.append(expected)
    # The states compared reach the branches: provisional, a grade, an escaped title, a statement, no result.
    assert "text-body-secondary" in written[0] and "&lt;hành chính&gt; &amp; một cửa" in written[1]
    assert "Tốt &lt;nhất&gt;" in written[1] and 'data-testid="result-statement"' in written[2]
    assert "<tfoot>" not in written[3] and ('hx-swap-oob="true"' in written[0]) is oob
