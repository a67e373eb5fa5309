"""Criteria added and moved through the editor come in tree order on every page that lists them.

Pages sort a set's criteria by their order, so every edit numbers the set again in the
tree's order: areas in turn, each criterion followed by its sub-criteria.
"""

import importlib
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from inspections.models import CriteriaSet, Criterion, TeamMember
from inspections.services import setup
from inspections.tests.factories import PlanFactory, TeamFactory, TeamMemberFactory, VisitFactory
from inspections.tree_order import tree_order

pytestmark = pytest.mark.django_db


def _codes(criteria_set):
    return list(Criterion.objects.filter(criteria_set=criteria_set).order_by("order").values_list("code", flat=True))


def _add(client, criteria_set, area, code, max_score, parent=None):
    data = {"area": area.pk, "parent": parent.pk if parent else "", "code": code, "title": f"Tiêu chí {code}"}
    data["max_score"] = max_score
    response = client.post(reverse("inspections:criterion_add", args=[criteria_set.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Criterion.objects.get(criteria_set=criteria_set, code=code)


def _copy(world, client):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("inspections:criteria_set_copy", args=[world.criteria_set.pk]), {"year": "2021", "name": "Bộ 2021"}
    )
    assert response.status_code == 302
    return CriteriaSet.objects.get(authority=world.district, year=2021)


def test_a_sub_criterion_added_last_comes_under_its_parent_not_after_later_areas(world, client):
    copy = _copy(world, client)
    area_1, area_2 = copy.areas.order_by("order", "number")
    leaf_12 = copy.criteria.get(code="1.2")
    _add(client, copy, area_2, "2.2", "5")
    _add(client, copy, area_1, "1.2.1", "25", parent=leaf_12)
    _add(client, copy, area_1, "1.2.2", "15", parent=leaf_12)
    _add(client, copy, area_1, "1.3", "5")
    assert _codes(copy) == ["1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "1.2.2", "1.3", "2.1", "2.2"]

    # The parent list of the criterion form reads them in the same order.
    body = client.get(reverse("inspections:criterion_add", args=[copy.pk])).content.decode()
    parents = re.search(r'<select name="parent".*?</select>', body, re.S).group(0)
    listed = re.findall(r'<option value="\d+"[^>]*>([\d.]+) ', parents)
    assert listed == ["1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "1.2.2", "1.3", "2.1", "2.2"]


def test_moving_a_criterion_moves_its_sub_criteria_with_it_after_any_additions(world, client):
    copy = _copy(world, client)
    area_1 = copy.areas.get(code="procedures")
    leaf_12 = copy.criteria.get(code="1.2")
    _add(client, copy, area_1, "1.2.1", "40", parent=leaf_12)
    late = _add(client, copy, area_1, "1.1.3", "1", parent=copy.criteria.get(code="1.1"))

    response = client.post(reverse("inspections:criterion_move", args=[leaf_12.pk]), {"direction": "up"})
    assert response.status_code == 302
    assert _codes(copy) == ["1.2", "1.2.1", "1.1", "1.1.1", "1.1.2", "1.1.3", "2.1"]

    client.post(reverse("inspections:criterion_move", args=[late.pk]), {"direction": "up"})
    assert _codes(copy) == ["1.2", "1.2.1", "1.1", "1.1.1", "1.1.3", "1.1.2", "2.1"]
    # The top one of its siblings stays where it is.
    client.post(reverse("inspections:criterion_move", args=[leaf_12.pk]), {"direction": "up"})
    assert _codes(copy) == ["1.2", "1.2.1", "1.1", "1.1.1", "1.1.3", "1.1.2", "2.1"]

    # The editor's tree, which walks parents, shows what the order says.
    body = client.get(reverse("inspections:criteria_set_detail", args=[copy.pk])).content.decode()
    shown = re.findall(r'<tr id="criterion-\d+"[^>]*>\s*<td[^>]*>([\d.]+)</td>', body)
    assert shown == _codes(copy)


def test_a_criterion_given_another_parent_comes_last_among_its_new_siblings(world, client):
    copy = _copy(world, client)
    area_1 = copy.areas.get(code="procedures")
    moved = copy.criteria.get(code="1.1.1")
    data = {"area": area_1.pk, "parent": copy.criteria.get(code="1.2").pk, "code": "1.1.1", "title": moved.title}
    data["max_score"] = "6"
    client.post(reverse("inspections:criterion_edit", args=[copy.pk, moved.pk]), data)
    assert _codes(copy) == ["1.1", "1.1.2", "1.2", "1.1.1", "2.1"]


def test_an_area_put_last_takes_its_criteria_with_it(world, client):
    copy = _copy(world, client)
    area_1 = copy.areas.get(code="procedures")
    last = max(copy.areas.values_list("order", flat=True)) + 1
    setup.area_save(
        criteria_set=copy,
        user=world.users["secretariat"],
        area=area_1,
        code=area_1.code,
        number=area_1.number,
        title=area_1.title,
        order=last,
    )
    assert _codes(copy) == ["2.1", "1.1", "1.1.1", "1.1.2", "1.2"]


def test_the_sheet_and_the_workspace_read_criteria_added_in_the_editor_in_tree_order(world, client):
    copy = _copy(world, client)
    area_1, area_2 = copy.areas.order_by("order", "number")
    _add(client, copy, area_2, "2.2", "10")
    _add(client, copy, area_1, "1.2.1", "30", parent=copy.criteria.get(code="1.2"))
    _add(client, copy, area_1, "1.2.2", "10", parent=copy.criteria.get(code="1.2"))
    Criterion.objects.filter(criteria_set=copy, code="2.1").update(max_score=Decimal("40"))
    plan = PlanFactory(criteria_set=copy, authority=world.district, year=2021)
    visit = VisitFactory(plan=plan, unit=world.commune_a)
    leaves = ["1.1.1", "1.1.2", "1.2.1", "1.2.2", "2.1", "2.2"]

    client.force_login(world.users["commune_a"])
    sheet = client.get(reverse("inspections:self_assessment", args=[visit.pk])).content.decode()
    assert [c for c in re.findall(r'data-testid="criterion-([\d.]+)"', sheet) if c in leaves] == leaves

    team = TeamFactory(plan=plan)
    TeamMemberFactory(team=team, user=world.users["lead"], role=TeamMember.Role.LEAD)
    client.force_login(world.users["lead"])
    workspace = client.get(reverse("inspections:visit_workspace", args=[visit.pk])).content.decode()
    assert re.findall(r'data-testid="score-row-([\d.]+)"', workspace) == leaves


def test_tree_order_follows_parents_whatever_the_numbers_say():
    def node(pk, area, parent=None):
        return SimpleNamespace(pk=pk, area_id=area, parent_id=parent, order=0)

    # Sorted by (order, code) as stored before: the late child 5 sits after area 20's criterion.
    nodes = [node(1, 10), node(2, 10, 1), node(3, 20), node(5, 10, 1), node(4, 10)]
    assert [n.pk for n in tree_order([10, 20], nodes)] == [1, 2, 5, 4, 3]
    # A loop (which the service refuses) or a missing area still gives every node once.
    looped = [node(1, 10, 2), node(2, 10, 1), node(3, 99)]
    assert sorted(n.pk for n in tree_order([10], looped)) == [1, 2, 3]


def test_the_migration_numbers_sets_built_before_in_tree_order(world):
    from django.apps import apps

    migration = importlib.import_module("inspections.migrations.0011_criteria_in_tree_order")
    # As the editor used to leave it: a sub-criterion added last got the highest order.
    Criterion.objects.filter(criteria_set=world.criteria_set, code="1.1.2").update(order=99)
    migration.forwards(apps, None)
    assert _codes(world.criteria_set) == ["1.1", "1.1.1", "1.1.2", "1.2", "2.1"]
