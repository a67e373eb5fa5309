"""A criteria set used by a plan is frozen: every write road refuses with a clear message; copying is the road.

Each road is taken through the screens as the secretariat (and the admin as a superuser),
on the world's set, which its 2020 campaign uses; the set is then as it was.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from inspections.models import ClassificationBand, CriteriaSet, Criterion, ReviewArea
from inspections.services import setup

pytestmark = pytest.mark.django_db

FROZEN_VI = "Bộ tiêu chí này đang được sử dụng trong kế hoạch kiểm tra nên đã được khóa"


def _state(criteria_set):
    """Everything of a set a result rests on."""
    criteria_set = CriteriaSet.objects.get(pk=criteria_set.pk)
    return (
        criteria_set.name,
        criteria_set.total_max,
        sorted(ReviewArea.objects.filter(criteria_set=criteria_set).values_list("pk", "code", "number", "title")),
        sorted(
            Criterion.objects.filter(criteria_set=criteria_set).values_list(
                "pk", "area_id", "parent_id", "code", "max_score", "order"
            )
        ),
        sorted(ClassificationBand.objects.filter(criteria_set=criteria_set).values_list("label", "min_percent")),
    )


def _criterion_data(world, **changes):
    leaf = world.leaves[2]
    data = {"area": leaf.area_id, "parent": "", "code": leaf.code, "title": leaf.title, "max_score": "40"}
    data.update(changes)
    return data


def _bands_data():
    data = {"bands-TOTAL_FORMS": "2", "bands-INITIAL_FORMS": "0", "bands-MIN_NUM_FORMS": "0"}
    data["bands-MAX_NUM_FORMS"] = "1000"
    for index, (label, threshold) in enumerate((("Đạt", "60"), ("Không đạt", "0"))):
        data.update({f"bands-{index}-label": label, f"bands-{index}-min_percent": threshold})
        data[f"bands-{index}-color"] = "secondary"
    return data


ROADS = {
    "add a criterion": lambda w: (
        reverse("inspections:criterion_add", args=[w.criteria_set.pk]),
        _criterion_data(w, code="1.3", max_score="5"),
    ),
    "add children to a scored criterion": lambda w: (
        reverse("inspections:criterion_add", args=[w.criteria_set.pk]),
        _criterion_data(w, code="1.2.1", parent=w.leaves[2].pk),
    ),
    "move a criterion to another area": lambda w: (
        reverse("inspections:criterion_edit", args=[w.criteria_set.pk, w.leaves[2].pk]),
        _criterion_data(w, area=w.areas[1].pk),
    ),
    "change a maximum": lambda w: (
        reverse("inspections:criterion_edit", args=[w.criteria_set.pk, w.leaves[2].pk]),
        _criterion_data(w, max_score="45"),
    ),
    "delete a criterion": lambda w: (reverse("inspections:criterion_delete", args=[w.leaves[1].pk]), {}),
    "reorder criteria": lambda w: (
        reverse("inspections:criterion_move", args=[w.leaves[1].pk]),
        {"direction": "up"},
    ),
    "change the bands": lambda w: (reverse("inspections:bands_edit", args=[w.criteria_set.pk]), _bands_data()),
    "add an area": lambda w: (
        reverse("inspections:area_add", args=[w.criteria_set.pk]),
        {"number": "3", "code": "finance", "title": "Tài chính công"},
    ),
    "rename an area": lambda w: (
        reverse("inspections:area_edit", args=[w.criteria_set.pk, w.areas[0].pk]),
        {"number": "1", "code": "procedures", "title": "Tên khác"},
    ),
    "change the set's total": lambda w: (
        reverse("inspections:criteria_set_edit", args=[w.criteria_set.pk]),
        {"name": w.criteria_set.name, "year": "2020", "total_max": "105", "legal_basis": "", "status": "published"},
    ),
}


@pytest.mark.parametrize("road", ROADS)
def test_every_screen_refuses_to_change_a_set_in_use_with_a_vietnamese_message(world, client, road):
    url, data = ROADS[road](world)
    before = _state(world.criteria_set)
    client.force_login(world.users["secretariat"])
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert FROZEN_VI in response.content.decode()
    assert _state(world.criteria_set) == before


@pytest.mark.parametrize(
    "name", ["criteria_set_edit", "bands_edit", "area_add", "criterion_add"], ids=lambda name: name
)
def test_editing_pages_of_a_set_in_use_lead_back_to_the_set_read_only(world, client, name):
    client.force_login(world.users["secretariat"])
    response = client.get(reverse(f"inspections:{name}", args=[world.criteria_set.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("inspections:criteria_set_detail", args=[world.criteria_set.pk])
    body = response.content.decode()
    assert 'data-testid="set-frozen"' in body and FROZEN_VI in body
    assert reverse("inspections:criteria_set_copy", args=[world.criteria_set.pk]) in body
    # Read-only: no link to edit, add, move or remove anything.
    for link in ("criterion_add", "bands_edit", "area_add", "criteria_set_edit"):
        assert reverse(f"inspections:{link}", args=[world.criteria_set.pk]) not in body
    assert reverse("inspections:criterion_delete", args=[world.leaves[0].pk]) not in body


def test_services_refuse_too(world):
    user = world.users["secretariat"]
    leaf = world.leaves[2]
    before = _state(world.criteria_set)
    calls = [
        lambda: setup.criterion_delete(criterion=leaf, user=user),
        lambda: setup.criterion_move(criterion=world.leaves[1], user=user, up=True),
        lambda: setup.bands_replace(criteria_set=world.criteria_set, user=user, bands=[]),
        lambda: setup.area_save(criteria_set=world.criteria_set, user=user, code="x", number="9", title="X"),
        lambda: setup.criterion_save(
            criteria_set=world.criteria_set,
            user=user,
            area=world.areas[0],
            parent=None,
            code="1.9",
            title="Mới",
            max_score=Decimal("1"),
        ),
    ]
    from django.core.exceptions import ValidationError

    with translation.override("vi"):
        for call in calls:
            with pytest.raises(ValidationError) as refused:
                call()
            assert refused.value.error_list[0].code == "frozen"
            assert FROZEN_VI in refused.value.messages[0]
    assert _state(world.criteria_set) == before


def test_the_admin_shows_a_set_in_use_read_only_and_refuses_to_add_to_it(world, client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    before = _state(world.criteria_set)
    leaf = world.leaves[2]
    url = reverse("admin:inspections_criterion_change", args=[leaf.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"code": leaf.code, "title": leaf.title, "max_score": "45"}).status_code == 403
    assert (
        client.post(reverse("admin:inspections_criterion_delete", args=[leaf.pk]), {"post": "yes"}).status_code == 403
    )
    set_url = reverse("admin:inspections_criteriaset_change", args=[world.criteria_set.pk])
    assert client.post(set_url, {"name": "x", "total_max": "105"}).status_code == 403
    area = world.areas[0]
    area_url = reverse("admin:inspections_reviewarea_change", args=[area.pk])
    assert client.post(area_url, {"title": "x"}).status_code == 403
    with translation.override("vi"):
        response = client.post(
            reverse("admin:inspections_criterion_add"),
            {
                "criteria_set": world.criteria_set.pk,
                "area": world.areas[0].pk,
                "code": "1.9",
                "title": "Mới",
                "max_score": "5",
                "order": "9",
                "scoring_options": "[]",
                "children-TOTAL_FORMS": "0",
                "children-INITIAL_FORMS": "0",
            },
            HTTP_ACCEPT_LANGUAGE="vi",
        )
    assert response.status_code == 200 and FROZEN_VI in response.content.decode()
    assert _state(world.criteria_set) == before


def test_a_copy_of_a_set_in_use_is_a_new_version_that_can_be_edited(world, client):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("inspections:criteria_set_copy", args=[world.criteria_set.pk]), {"year": "2021", "name": "Bộ 2021"}
    )
    copy = CriteriaSet.objects.get(name="Bộ 2021")
    assert response.status_code == 302 and copy.copied_from == world.criteria_set
    leaf = copy.criteria.get(code="1.2")
    data = {"area": leaf.area_id, "parent": "", "code": "1.2", "title": leaf.title, "max_score": "45"}
    assert client.post(reverse("inspections:criterion_edit", args=[copy.pk, leaf.pk]), data).status_code == 302
    assert copy.criteria.get(code="1.2").max_score == Decimal("45")
    assert world.criteria_set.criteria.get(code="1.2").max_score == Decimal("40")
    body = client.get(reverse("inspections:criteria_set_detail", args=[copy.pk])).content.decode()
    assert 'data-testid="set-frozen"' not in body
