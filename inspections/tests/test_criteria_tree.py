"""A criteria set's tree must add up: parents equal the sum of children, leaves equal the total."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from inspections.services.criteria import criteria_set_problems, criteria_set_validate
from inspections.tests.factories import CriterionFactory, ReviewAreaFactory

pytestmark = pytest.mark.django_db


def test_the_world_criteria_set_adds_up(world):
    assert criteria_set_problems(criteria_set=world.criteria_set) == []
    criteria_set_validate(criteria_set=world.criteria_set)


def test_a_parent_whose_children_do_not_add_up_is_named(world):
    child = world.leaves[0]
    child.max_score = Decimal("5.75")
    child.save()
    with translation.override("vi"):
        problems = criteria_set_problems(criteria_set=world.criteria_set)
    assert any("1.1 " in p and "9,75" in p for p in problems), problems


def test_leaves_that_miss_the_total_are_reported(world):
    world.criteria_set.total_max = Decimal("95")
    world.criteria_set.save()
    with pytest.raises(ValidationError) as error:
        criteria_set_validate(criteria_set=world.criteria_set)
    assert any("100" in message and "95" in message for message in error.value.messages)


def test_deep_trees_are_checked_at_every_level(world):
    leaf = world.leaves[2]  # 1.2, 40 points, becomes a parent of a three-level branch
    middle = CriterionFactory(area=leaf.area, parent=leaf, code="1.2.1", max_score=Decimal("40"))
    CriterionFactory(area=leaf.area, parent=middle, code="1.2.1.1", max_score=Decimal("39.75"))
    with translation.override("vi"):
        problems = criteria_set_problems(criteria_set=world.criteria_set)
    assert len([p for p in problems if "1.2.1" in p]) == 1
    assert any("99,75" in p for p in problems)


def test_an_area_without_criteria_is_reported(world):
    ReviewAreaFactory(criteria_set=world.criteria_set, code="finance", number="3", title="Tài chính công")
    assert any("Tài chính công" in p for p in criteria_set_problems(criteria_set=world.criteria_set))
