"""The plain widget renderer writes exactly what Django's widget templates write."""

from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from inspections.forms.portal import EvidenceForm, SelfScoreForm
from inspections.forms.rendering import PlainWidgetRenderer
from inspections.models import Criterion


def _both(form):
    plain = {name: str(form[name]) for name in form.fields}
    form.renderer = DjangoTemplates()
    templated = {name: str(form[name]) for name in form.fields}
    return plain, templated


def _criterion(**fields):
    return Criterion(pk=41, code="1.2.3", max_score=Decimal("2"), **fields)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"c41-self_score": "9", "c41-self_explanation": '<b>"Tờ trình" & báo cáo</b>', "c41-version": "3"},
    ],
)
def test_score_form_renders_as_the_templates_do_bound_or_not(data):
    form = SelfScoreForm(
        data,
        criterion=_criterion(),
        initial={"self_score": Decimal("1.50"), "self_explanation": "Đã ban hành <kế hoạch>", "version": 2},
    )
    if data:
        assert not form.is_valid()
    plain, templated = _both(form)
    assert plain == templated
    if data:
        assert "is-invalid" in plain["self_score"] and "&lt;b&gt;&quot;" in plain["self_explanation"]
    else:
        assert "Đã ban hành &lt;kế hoạch&gt;" in plain["self_explanation"]


def test_score_form_with_fixed_options_renders_its_select_as_the_template_does():
    criterion = _criterion(scoring_options=[{"label": "Đúng hạn", "score": 2}, {"label": "Chậm <1 tháng>", "score": 1}])
    form = SelfScoreForm(None, criterion=criterion, initial={"self_score": Decimal("1"), "version": 0})
    plain, templated = _both(form)
    assert plain == templated
    assert "<select" in plain["self_score"] and "selected" in plain["self_score"]


def test_locked_score_and_the_upload_form_render_as_the_templates_do():
    locked = SelfScoreForm(None, criterion=_criterion(), initial={"self_score": Decimal("2")}, score_locked=True)
    plain, templated = _both(locked)
    assert plain == templated and " disabled" in plain["self_score"]
    upload = EvidenceForm(prefix="e41")
    plain, templated = _both(upload)
    assert plain == templated and 'type="file"' in plain["file"]


def test_a_widget_it_does_not_know_still_goes_through_its_template():
    class Form(forms.Form):
        default_renderer = PlainWidgetRenderer()
        agreed = forms.BooleanField()
        day = forms.SplitDateTimeField()

    form = Form()
    plain, templated = _both(form)
    assert plain == templated and 'type="checkbox"' in plain["agreed"]
