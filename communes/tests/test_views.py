"""The unit register page: search with or without diacritics or by code, the tree, the lineage."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from communes.tests.factories import CommuneFactory, ProvinceFactory, SuccessionFactory

pytestmark = pytest.mark.django_db
BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


@pytest.fixture
def lineage():
    old_province = ProvinceFactory(name="Kiên Giang", code="91", valid_to=BEFORE)
    new_province = ProvinceFactory(name="An Giang", code="91", valid_from=AFTER)
    olds = [
        CommuneFactory(name=name, code=code, parent__parent=old_province, valid_to=BEFORE)
        for name, code in (("Tân Hiệp A", "30868"), ("Thạnh Đông A", "30874"), ("Thạnh Trị", "30877"))
    ]
    new = CommuneFactory(name="Thạnh Đông", code="30874", parent=new_province, valid_from=AFTER)
    for old in olds:
        SuccessionFactory(predecessor=old, successor=new, effective_on=AFTER)
    client = Client()
    client.force_login(UserFactory())
    return client, olds, new


@pytest.mark.parametrize("query", ["Thạnh Đông", "thanh dong", "THANH ĐONG", "30874"])
def test_search_finds_the_old_and_the_new_commune(lineage, query):
    client, olds, new = lineage
    page = client.get(reverse("communes:unit_register"), {"q": query, "era": "all"}).content.decode()
    assert "Xã Thạnh Đông A" in page and f'href="{reverse("communes:unit_detail", args=[new.pk])}"' in page


def test_current_units_only_by_default(lineage):
    client, olds, new = lineage
    page = client.get(reverse("communes:unit_register"), {"q": "thanh dong"}).content.decode()
    assert "Xã Thạnh Đông A" not in page and "Xã Thạnh Đông" in page


def test_the_tree_starts_at_the_current_provinces(lineage):
    client, _olds, _new = lineage
    page = client.get(reverse("communes:unit_register")).content.decode()
    assert "Tỉnh An Giang" in page and "Tỉnh Kiên Giang" not in page
    assert "Tỉnh Kiên Giang" in client.get(reverse("communes:unit_register"), {"era": "before"}).content.decode()


def test_a_new_commune_lists_its_predecessors_with_the_date(lineage):
    client, olds, new = lineage
    page = client.get(reverse("communes:unit_detail", args=[new.pk])).content.decode()
    for name in ("Xã Tân Hiệp A", "Xã Thạnh Đông A", "Xã Thạnh Trị"):
        assert name in page
    assert "ngày 01/07/2025" in page and "từ 01/07/2025" in page
    old_page = client.get(reverse("communes:unit_detail", args=[olds[1].pk])).content.decode()
    assert "Xã Thạnh Đông</a>" in old_page and "đến 30/06/2025" in old_page


def test_a_bad_era_or_a_long_query_is_no_error(lineage):
    client, _olds, _new = lineage
    response = client.get(reverse("communes:unit_register"), {"q": "x" * 500, "era": "'; drop"})
    assert response.status_code == 200
    assert client.get(reverse("communes:unit_detail", args=[999999])).status_code == 404


def test_a_search_that_finds_no_current_unit_offers_to_search_all_units(lineage):
    client, olds, new = lineage
    page = client.get(reverse("communes:unit_register"), {"q": "thanh dong a"}).content.decode()
    assert "Không có đơn vị nào có tên hoặc mã số này." in page
    assert 'href="?q=thanh%20dong%20a&amp;era=all"' in page
    everything = client.get(reverse("communes:unit_register"), {"q": "thanh dong a", "era": "all"}).content.decode()
    assert "Xã Thạnh Đông A" in everything and 'data-testid="search-all-units"' not in everything
