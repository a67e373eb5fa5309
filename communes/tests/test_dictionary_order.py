"""Names sorted in the database come in Vietnamese dictionary order: Ô right after O, Đ after D, not after V."""

import sqlite3
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from communes import selectors
from communes.folding import DICTIONARY_COLLATION, dictionary_order, fold, name_key, register_sqlite_collation
from communes.models import AdministrativeUnit
from communes.tests.factories import CommuneFactory, ProvinceFactory, SuccessionFactory
from communes.tests.pages import in_page_order

pytestmark = pytest.mark.django_db

# In the order a dictionary lists them; by code point Đ, Ó and Ô would come after V.
NAMES = ["An Bình", "Dương Tơ", "Đông Hòa", "Óc Eo", "Ong Tre", "Ô Môn", "Ông Văn Tư", "Ơn Hòa", "Vĩnh Thạnh"]


def test_the_database_order_is_the_order_of_name_key():
    assert sorted(NAMES, key=name_key) == NAMES
    province = ProvinceFactory(name="Cần Thơ")
    for name in reversed(NAMES):
        CommuneFactory(name=name, parent=province)
    names = AdministrativeUnit.objects.filter(parent=province).order_by(dictionary_order("name"))
    assert list(names.values_list("name", flat=True)) == NAMES
    newest_first = AdministrativeUnit.objects.filter(parent=province).order_by(dictionary_order("name").desc())
    assert list(newest_first.values_list("name", flat=True)) == NAMES[::-1]


def test_sqlite_connections_get_a_collation_of_the_same_name_and_order():
    raw = sqlite3.connect(":memory:")
    register_sqlite_collation(None, SimpleNamespace(vendor="sqlite", connection=raw))
    raw.execute("CREATE TABLE unit (name TEXT)")
    raw.executemany("INSERT INTO unit VALUES (?)", [(name,) for name in reversed(NAMES)])
    rows = raw.execute(f'SELECT name FROM unit ORDER BY name COLLATE "{DICTIONARY_COLLATION}"').fetchall()
    assert [name for (name,) in rows] == NAMES


def test_the_register_lists_provinces_children_search_results_and_successors_in_dictionary_order():
    province = ProvinceFactory(name="Cần Thơ", code="92")
    for name in reversed(NAMES):
        CommuneFactory(name=name, parent=province)
    merged = CommuneFactory(name="Phong Điền", parent=province)
    for old in AdministrativeUnit.objects.filter(parent=province).exclude(pk=merged.pk):
        SuccessionFactory(predecessor=old, successor=merged)
    for name in ("Vĩnh Long", "Đồng Tháp", "An Giang"):
        ProvinceFactory(name=name)
    assert [unit.name for unit in selectors.province_list()] == ["An Giang", "Cần Thơ", "Đồng Tháp", "Vĩnh Long"]
    assert [unit.name for unit in selectors.unit_children(province)] == sorted([*NAMES, "Phong Điền"], key=name_key)
    assert [link.predecessor.name for link in selectors.unit_predecessors(merged)] == NAMES
    # The search: a hundred results at most, cut after sorting in the database.
    client = Client()
    client.force_login(UserFactory())
    page = client.get(reverse("communes:unit_register"), {"q": "o"}).content.decode()
    wanted = [name for name in NAMES if "o" in fold(name)]
    assert len(wanted) == 7 and in_page_order(page, wanted) == wanted
    page = client.get(reverse("communes:unit_detail", args=[province.pk])).content.decode()
    assert in_page_order(page, NAMES) == NAMES
