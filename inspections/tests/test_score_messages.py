"""One range message for every score: the maximum as the sheet shows it (3; 2,5), commune or inspector, JS or not."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from inspections.models import CriterionScore
from inspections.score_text import score_range_message, score_text
from inspections.services import appraisal
from inspections.services.portal.self_assessment import validate_self_score

from .test_portal_views import HTMX, open_visit, score_post, version_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [("3.00", "3", "3"), ("2.50", "2,5", "2.5"), ("0.25", "0,25", "0.25"), ("100", "100", "100"), (4, "4", "4")],
)
def test_a_score_is_written_without_trailing_zeros_and_with_the_languages_decimal_mark(value, vi, en):
    with translation.override("vi"):
        assert score_text(Decimal(str(value))) == vi
        assert score_range_message(value) == f"Điểm phải từ 0 đến {vi}."
    with translation.override("en"):
        assert score_text(value) == en


def _set_maximum(world, criterion, maximum):
    type(criterion).objects.filter(pk=criterion.pk).update(max_score=maximum)
    CriterionScore.objects.filter(criterion=criterion).update(max_score=maximum, self_score=None)
    criterion.refresh_from_db()


def _self_message(client, world, criterion, htmx):
    open_visit(world)
    client.force_login(world.users["commune_a"])
    url = reverse("inspections:self_score_save", args=[world.visit_a.pk, criterion.pk])
    data = score_post(criterion, "9", "Có", version_of(world, criterion))
    return client.post(url, data, **(HTMX if htmx else {})).content.decode()


def _appraised_message(client, world, criterion, htmx):
    client.force_login(world.users["inspector"])
    url = reverse("inspections:score_save", args=[world.visit_a.pk, criterion.pk])
    data = {"appraised_score": "9", "version": str(version_of(world, criterion))}
    if htmx:
        return client.post(url, data, **HTMX).content.decode()
    return client.post(url, data, follow=True).content.decode()


@pytest.mark.parametrize(("maximum", "shown"), [("3.00", "3"), ("2.50", "2,5")])
@pytest.mark.parametrize("side", ["self", "appraised"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_the_range_message_is_the_same_on_both_sides_with_and_without_javascript(
    world, client, maximum, shown, side, htmx
):
    criterion = world.leaves[0]
    _set_maximum(world, criterion, Decimal(maximum))
    page = (_self_message if side == "self" else _appraised_message)(client, world, criterion, htmx)
    assert f"Điểm phải từ 0 đến {shown}." in page
    assert f"0 đến {maximum.replace('.', ',')}" not in page


@pytest.mark.parametrize(("maximum", "shown"), [("3.00", "3"), ("2.50", "2,5")])
def test_the_services_refuse_with_the_same_message(world, maximum, shown):
    criterion = world.leaves[0]
    _set_maximum(world, criterion, Decimal(maximum))
    expected = [f"Điểm phải từ 0 đến {shown}."]
    with pytest.raises(ValidationError) as self_error:
        validate_self_score(criterion=criterion, value=Decimal("9"))
    with pytest.raises(ValidationError) as appraised_error:
        appraisal.score_appraise(
            visit=world.visit_a,
            criterion=criterion,
            user=world.users["inspector"],
            appraised_score=Decimal("9"),
            expected_version=version_of(world, criterion),
        )
    assert self_error.value.messages == expected == appraised_error.value.messages
