"""The self-assessment cards written in Python say exactly what the card template says, in every ordinary state."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from inspections.models import CriterionScore, Evidence
from inspections.sheet_html import CardWriter, writes_plainly
from inspections.views.portal.sheet import LeafRow, _EmptyUploadFields, _score_form, bound_score_form

TOKEN = "t0ken-for-the-comparison"


def _rows(world):
    visit = world.visit_a
    first, second = world.leaves[0], world.leaves[1]
    first.guidance = 'Full marks when <b>both</b> "reports" are sent'
    first.expected_evidence = "Report <no. 12> & annex"
    first.scoring_options = [{"label": "Đầy đủ <đúng hạn>", "score": 2.5}, {"label": "Chậm", "score": 1}]
    first.may_be_not_applicable = True
    second.guidance, second.expected_evidence, second.scoring_options = "", "", []
    files = list(Evidence.objects.filter(visit=visit).select_related("uploaded_by").order_by("pk"))
    assert files, "the world holds evidence at visit A"
    uploads = _EmptyUploadFields()
    declared = CriterionScore(
        visit=visit,
        criterion=first,
        max_score=first.max_score,
        self_score=None,
        self_explanation="Không phát sinh <trường hợp> & lý do",
        not_applicable=CriterionScore.NotApplicable.DECLARED,
        explanation_requested=True,
        explanation_request='Giải trình "vì sao" <không phát sinh>?',
        version=3,
    )
    scored = CriterionScore(
        visit=visit,
        criterion=second,
        max_score=second.max_score,
        self_score=Decimal("1.50"),
        self_explanation="Dòng một\nDòng <hai>",
        self_at=timezone.make_aware(dt.datetime(2026, 10, 3, 14, 5)),
        version=2,
    )
    editable = {"can_edit": True, "can_upload": True, "can_delete": True}
    return [
        LeafRow(
            criterion=first,
            score=None,
            evidence=files,
            form=_score_form(first, None, score_locked=False),
            upload_html=uploads.for_criterion(first.pk),
            **editable,
        ),
        LeafRow(
            criterion=first,
            score=declared,
            evidence=[],
            form=_score_form(first, declared, score_locked=True),
            upload_html=uploads.for_criterion(first.pk),
            can_edit=True,
            can_upload=True,
            answering=True,
        ),
        LeafRow(
            criterion=second,
            score=scored,
            evidence=[],
            form=_score_form(second, scored, score_locked=False),
            upload_html=uploads.for_criterion(second.pk),
        ),
        LeafRow(criterion=second, score=scored, evidence=files),
        LeafRow(criterion=first, score=None, evidence=[]),
        # Just saved by htmx: the card says so.
        LeafRow(
            criterion=second,
            score=scored,
            evidence=files,
            form=_score_form(second, scored, score_locked=False),
            upload_html=uploads.for_criterion(second.pk),
            saved=True,
            **editable,
        ),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_ordinary_card_is_written_as_the_template_writes_it(world, language):
    with translation.override(language):
        writer = CardWriter(visit=world.visit_a, csrf_token=TOKEN)
        written = []
        for row in _rows(world):
            assert writes_plainly(row)
            expected = render_to_string(
                "inspections/portal/_criterion.html",
                {"row": row, "sheet": SimpleNamespace(visit=world.visit_a), "csrf_token": TOKEN},
            )
            assert writer.write(row) == expected
            written.append(expected)
    # The states compared reach the branches: options, not applicable, the team's question, files, read-only.
    assert "&lt;đúng hạn&gt;" in written[0] and "evidence-delete" in written[0] and 'type="file"' in written[0]
    assert 'data-testid="not-applicable"' in written[1] and "&quot;vì sao&quot;" in written[1]
    assert "Dòng một<br>Dòng &lt;hai&gt;" in written[3] and "save-score" not in written[3]
    assert 'data-testid="saved"' in written[5] and all('data-testid="saved"' not in card for card in written[:5])


def test_cards_in_a_rarer_state_are_left_to_the_template(world):
    criterion = world.leaves[0]
    form = _score_form(criterion, None, score_locked=False)
    assert not writes_plainly(LeafRow(criterion=criterion, score=None, evidence=[], form=form, problems=["x"]))
    posted = bound_score_form(criterion, {}, score=None, score_locked=False)
    assert not writes_plainly(LeafRow(criterion=criterion, score=None, evidence=[], form=posted))


def test_the_sheet_escapes_what_a_commune_wrote(world, persona_client):
    CriterionScore.objects.filter(visit=world.visit_a).delete()
    CriterionScore.objects.create(
        visit=world.visit_a,
        criterion=world.leaves[0],
        max_score=world.leaves[0].max_score,
        self_score=Decimal("1"),
        self_explanation="<script>alert(1)</script>",
    )
    page = persona_client("commune_a").get(reverse("inspections:self_assessment", args=[world.visit_a.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'id="criterion-{world.leaves[0].pk}"' in html


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("can_delete", [True, False])
def test_a_cards_files_are_listed_as_the_evidence_list_template_lists_them(world, language, can_delete):
    first = Evidence.objects.filter(visit=world.visit_a).select_related("uploaded_by").first()
    first.original_name = 'Báo cáo <số 1> & "phụ lục".pdf'
    first.size = 1234567
    first.document_number = "12/QĐ-<UBND>"
    first.document_date = dt.date(2026, 1, 2)
    first.page_reference = "3–5"
    first.description = "Ghi <chú> & thêm"
    first.uploaded_at = timezone.make_aware(dt.datetime(2026, 10, 3, 23, 5))
    bare = Evidence(pk=first.pk + 1000, original_name="a.pdf", size=10, uploaded_at=first.uploaded_at)
    items = [first, bare]
    row = SimpleNamespace(evidence=items, can_delete=can_delete, criterion=world.leaves[0])
    with translation.override(language):
        expected = render_to_string(
            "inspections/portal/_evidence_list.html",
            {"items": items, "can_delete": can_delete, "htmx_target": world.leaves[0].pk, "csrf_token": TOKEN},
        )
        assert CardWriter(visit=world.visit_a, csrf_token=TOKEN)._evidence(row) == expected
    assert "&lt;số 1&gt;" in expected and ("evidence-delete" in expected) == can_delete


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_fresh_score_form_is_written_from_its_prototype_as_the_form_draws_itself(world, language):
    """Every look of a fresh form (locked, may be declared not applicable, declared, scored), with awkward values."""
    from inspections.forms.portal import FreshScoreForm
    from inspections.sheet_html import _field, _not_applicable_field, _ScoreFormPrototypes

    criterion = world.leaves[2]
    criterion.scoring_options = []
    compared = 0
    with translation.override(language):
        prototypes = _ScoreFormPrototypes()
        for may_be_not_applicable in (False, True):
            criterion.may_be_not_applicable = may_be_not_applicable
            for locked in (False, True):
                for declared in (False, True):
                    for score, explanation in (
                        (None, ""),
                        (Decimal("0"), 'Có "ngoặc" <thẻ> & dấu'),
                        (Decimal("0.25"), "Dòng một\nDòng hai"),
                        (Decimal("1.50"), "1,5"),
                        (Decimal("40.00"), 'PROTOTYPE value="1,5"'),
                    ):
                        initial = {
                            "version": 12,
                            "self_score": score,
                            "self_explanation": explanation,
                            "not_applicable": declared,
                        }
                        fresh = FreshScoreForm(criterion, score_locked=locked, initial=initial)
                        real = fresh.real
                        expected = (
                            str(real["version"]),
                            _field(real["self_score"]),
                            _field(real["self_explanation"]),
                            _not_applicable_field(real["not_applicable"]) if may_be_not_applicable else None,
                        )
                        assert prototypes.fields(fresh) == expected
                        compared += 1
    assert compared == 40


def test_a_look_the_prototype_cannot_draw_is_drawn_by_each_cards_own_form(world, monkeypatch):
    """Should the form stop drawing values where the prototype looks, cards show their own, not the prototype's."""
    from inspections import sheet_html
    from inspections.forms.portal import FreshScoreForm

    monkeypatch.setattr(sheet_html._ScoreFormPrototypes, "_draw", lambda self, key: None)
    criterion = world.leaves[2]
    criterion.scoring_options = []
    initial = {"version": 7, "self_score": Decimal("2.5"), "self_explanation": "Đã <làm>", "not_applicable": False}
    with translation.override("vi"):
        fresh = FreshScoreForm(criterion, score_locked=False, initial=initial)
        version, score, explanation, _not_applicable = sheet_html._ScoreFormPrototypes().fields(fresh)
    assert 'value="7"' in version and f'name="c{criterion.pk}-version"' in version
    assert 'value="2,5"' in score and "Đã &lt;làm&gt;" in explanation


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_criteria_column_is_written_as_its_template_writes_it(world, persona_client, language):
    from inspections.models import Criterion
    from inspections.sheet_html import sheet_areas_html

    parent = world.leaves[0].parent
    Criterion.objects.filter(pk=parent.pk).update(title='Ban hành "kế hoạch" <CCHC>', guidance="Đủ & đúng <hạn>")
    Criterion.objects.filter(pk=world.leaves[1].pk).update(max_score=Decimal("4.5"))
    client = persona_client("commune_a")
    client.cookies["cchc_language"] = language
    response = client.get(reverse("inspections:self_assessment", args=[world.visit_a.pk]))
    assert response.status_code == 200
    sheet, written = response.context["sheet"], response.context["areas_html"]
    with translation.override(language):
        expected = render_to_string("inspections/portal/_sheet_areas.html", {"sheet": sheet})
        assert sheet_areas_html(sheet) == expected
    assert written == expected and written in response.content.decode()
    # A heading, its guidance escaped, an area's sums and a card are all there.
    assert "Ban hành &quot;kế hoạch&quot; &lt;CCHC&gt;" in written and "Đủ &amp; đúng &lt;hạn&gt;" in written
    assert f'id="criterion-{world.leaves[0].pk}"' in written
    assert ("tối đa 10 điểm" if language == "vi" else "up to 10 points") in written


def test_a_card_left_to_the_template_leaves_the_column_to_it_too(world):
    from inspections.sheet_html import sheet_areas_html

    block = SimpleNamespace(
        area=world.areas[0],
        self_score=Decimal(0),
        max_score=Decimal(10),
        nodes=[SimpleNamespace(criterion=world.leaves[0], leaf=SimpleNamespace(html=None))],
    )
    assert sheet_areas_html(SimpleNamespace(areas=[block])) is None
    assert sheet_areas_html(SimpleNamespace(areas=[])) is None
