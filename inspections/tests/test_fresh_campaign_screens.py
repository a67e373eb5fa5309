"""A campaign made in the application, walked through its screens as a new user would, outside any prepared rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspections.models import CriterionScore, InspectionPlan, Visit
from tests.forms import form_with

pytestmark = pytest.mark.django_db


def signed_in(world, name):
    client = Client()
    client.force_login(world.users[name])
    return client


def next_year_through_its_screen(world):
    """The secretariat opens next year's campaign form and saves it as shown, with only the plan number typed."""
    client = signed_in(world, "secretariat")
    url = reverse("inspections:plan_next", args=[world.plan.pk])
    form = form_with(client.get(url).content.decode(), "criteria_set")
    data = dict(form["values"], number="15/KH-UBND")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    return InspectionPlan.objects.get(previous=world.plan), form


def test_next_years_form_as_first_shown_copies_last_years_criteria_set(world):
    plan, form = next_year_through_its_screen(world)
    assert form["values"]["criteria_set"] == ""
    # Last year's set would be refused for the new year, so it is not offered.
    assert str(world.criteria_set.pk) not in form["options"]["criteria_set"]
    assert plan.year == 2021 and plan.criteria_set.year == 2021
    assert plan.criteria_set.copied_from == world.criteria_set


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_commune_saves_its_first_score_in_next_years_campaign(world, javascript):
    plan, _form = next_year_through_its_screen(world)
    visit = plan.visits.get(unit=world.commune_b)
    assert not CriterionScore.objects.filter(visit=visit).exists()
    secretariat = signed_in(world, "secretariat")
    new_deadline = timezone.localdate() + dt.timedelta(days=10)
    response = secretariat.post(
        reverse("inspections:deadline_extend", args=[visit.pk]),
        {"deadline": new_deadline.strftime("%d/%m/%Y"), "reason": "Công văn số 45/UBND"},
    )
    assert response.status_code == 302

    commune = signed_in(world, "commune_b")
    page = commune.get(reverse("inspections:self_assessment", args=[visit.pk])).content.decode()
    first = plan.criteria_set.criteria.filter(children__isnull=True).order_by("order", "code").first()
    form = form_with(page, f"c{first.pk}-self_score")
    data = dict(form["values"], **{f"c{first.pk}-self_score": "1"})
    headers = {"HX-Request": "true"} if javascript else {}
    response = commune.post(form["action"], data, headers=headers)

    assert response.status_code == (200 if javascript else 302)
    score = CriterionScore.objects.get(visit=visit, criterion=first)
    assert score.self_score == Decimal("1") and score.self_by == world.users["commune_b"]
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SELF_ASSESSMENT
    # The next save from the page as it now stands is not taken for someone else's.
    page = commune.get(reverse("inspections:self_assessment", args=[visit.pk])).content.decode()
    form = form_with(page, f"c{first.pk}-self_score")
    response = commune.post(form["action"], dict(form["values"], **{f"c{first.pk}-self_score": "0,5"}))
    assert response.status_code == 302
    score.refresh_from_db()
    assert score.self_score == Decimal("0.5")
