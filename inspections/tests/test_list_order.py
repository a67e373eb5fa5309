"""Lists of communes a person reads come in Vietnamese dictionary order: Óc Eo and Ô Môn after O, before V."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from communes.tests.factories import CommuneFactory
from communes.tests.pages import in_page_order
from inspections.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

# The world's two communes and four more, all visited on the same day, in dictionary order.
VISITED = ["Đông Hòa", "Óc Eo", "Ô Môn", "Tân Hội", "Thạnh Đông A", "Vĩnh Thạnh"]
# Communes of the district not yet scheduled, in dictionary order.
NOT_VISITED = ["Dương Tơ", "Ông Văn Tư", "Vĩnh Bình"]


@pytest.fixture
def campaign(world):
    for visit in (world.visit_a, world.visit_b):
        visit.scheduled_on = dt.date(2020, 10, 6)
        visit.save(update_fields=["scheduled_on"])
    for name in ("Vĩnh Thạnh", "Ô Môn", "Óc Eo", "Đông Hòa"):
        VisitFactory(
            plan=world.plan, unit=CommuneFactory(name=name, parent=world.district), scheduled_on=dt.date(2020, 10, 6)
        )
    for name in reversed(NOT_VISITED):
        CommuneFactory(name=name, parent=world.district)
    client = Client()
    client.force_login(world.users["secretariat"])
    return world, client


def _page(client, name, *args, **query) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, name
    return response.content.decode().replace("\xa0", " ")


def test_the_schedule_lists_a_days_visits_and_the_communes_to_add_in_dictionary_order(campaign):
    world, client = campaign
    page = _page(client, "inspections:schedule", world.plan.pk)
    assert in_page_order(page, VISITED) == VISITED
    choices = page[page.index('name="unit"') :]
    assert in_page_order(choices, NOT_VISITED) == NOT_VISITED


@pytest.mark.parametrize(
    "name",
    ["inspections:plan_detail", "reports:plan_reports", "inspections:portal_home", "home"],
)
def test_the_campaigns_visits_are_listed_in_dictionary_order(campaign, name):
    world, client = campaign
    args = () if name in ("inspections:portal_home", "home") else (world.plan.pk,)
    assert in_page_order(_page(client, name, *args), VISITED) == VISITED


def test_search_results_come_in_dictionary_order(campaign):
    world, client = campaign
    # Every commune's code starts with 4 (communes.tests.factories); every visit is of 2020.
    for kind, query in (("communes", "4"), ("visits", "2020")):
        page = _page(client, "inspections:search", q=query)
        section = page[page.index(f'data-testid="results-{kind}"') :].split("</section>", 1)[0]
        assert in_page_order(section, VISITED) == VISITED, kind


def test_a_new_team_member_is_chosen_from_people_in_dictionary_order(campaign):
    world, client = campaign
    people = ["Đặng Thị Lan", "Ông Văn Tư", "Võ Văn Ba"]
    for name in reversed(people):
        MembershipFactory(user=UserFactory(full_name=name), unit=world.district, role=Membership.Role.VIEWER)
    page = _page(client, "inspections:member_add", world.plan.pk)
    assert in_page_order(page[page.index('name="user"') :], people) == people
