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


# The finding form's options, written by the select_options filter ------------------------------------------

OPTIONS_AS_THE_LOOP_WROTE_THEM = (
    '{% for value, label in field.field.choices %}<option value="{{ value }}"'
    "{% if field.value|stringformat:'s' == value|stringformat:'s' %} selected{% endif %}>{{ label }}</option>"
    "{% endfor %}"
)


def _finding_form(world, data=None, initial=None, offered=False):
    from inspections.forms.appraisal import FindingForm
    from inspections.models import ReviewArea

    areas = ReviewArea.objects.filter(criteria_set=world.criteria_set).order_by("order", "number")
    criteria = Criterion.objects.filter(area__in=areas).order_by("order", "code")
    form = FindingForm(data, areas=areas, criteria=criteria, prefix="finding", initial=initial)
    if offered:
        form.offer(areas=list(areas), criteria=list(criteria))
    return form


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, initial",
    [
        (None, None),
        (None, {"kind": "shortcoming", "area": "first", "criterion": "first"}),
        ({"finding-kind": "strength", "finding-area": "first", "finding-criterion": "nonsense"}, None),
    ],
)
@pytest.mark.parametrize("offered", [False, True])
def test_finding_form_options_are_written_as_the_template_loop_wrote_them(world, data, initial, offered):
    from django.template import Context, Template

    first_area, first_criterion = world.areas[0], world.leaves[0]
    first_area.title = 'Thủ tục <hành chính> & "một cửa"'
    first_area.save()
    first_criterion.title = "Niêm yết <đầy đủ> & kịp thời"
    first_criterion.save()

    def chosen(values):
        if not values:
            return values
        swap = {"first": {"area": first_area.pk, "criterion": first_criterion.pk}}
        return {k: swap.get(v, {}).get(k.removeprefix("finding-"), v) for k, v in values.items()}

    form = _finding_form(world, chosen(data), chosen(initial), offered)
    reference = _finding_form(world, chosen(data), chosen(initial))
    loop = Template(OPTIONS_AS_THE_LOOP_WROTE_THEM)
    written = Template("{% load select_options %}{{ field|select_options }}")
    for name in ("kind", "area", "criterion"):
        expected = loop.render(Context({"field": reference[name]}))
        assert written.render(Context({"field": form[name]})) == expected
        assert "&lt;" in expected or name == "kind"
        assert (" selected" in expected) == bool(initial or data and name != "criterion")
