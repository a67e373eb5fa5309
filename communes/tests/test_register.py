"""import_units loads the official register from the vietnamadminunits package (the real files)."""

import dataclasses
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from communes.models import AdministrativeUnit, UnitSuccession
from communes.register import read_register
from communes.services import units_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
Level = AdministrativeUnit.Level


@pytest.fixture(scope="module")
def register(django_db_setup, django_db_blocker):
    """Import the whole register once for this module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("import_units", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def units(level, *, current):
    qs = AdministrativeUnit.objects.filter(level=level)
    return qs.filter(valid_from=AFTER, valid_to__isnull=True) if current else qs.filter(valid_to=BEFORE)


def test_the_register_after_the_reform_has_34_provinces_and_3321_communes(register):
    assert units(Level.PROVINCE, current=True).count() == 34
    assert units(Level.COMMUNE, current=True).count() == 3321
    assert not units(Level.DISTRICT, current=True).exists()
    kinds = set(units(Level.COMMUNE, current=True).values_list("kind", flat=True))
    assert kinds == {"commune", "ward", "special_zone"}
    assert "Register 1.0.4: created 97 provinces, 696 districts, 13356 communes" in register


def test_the_register_before_the_reform_has_63_provinces_696_districts_and_10035_communes(register):
    assert units(Level.PROVINCE, current=False).count() == 63
    assert units(Level.DISTRICT, current=False).count() == 696
    assert units(Level.COMMUNE, current=False).count() == 10035
    # The GSO's 10,040 rows: 10,035 communes and five island districts that had none.
    islands = units(Level.DISTRICT, current=False).filter(children__isnull=True)
    assert islands.count() == 5
    assert set(units(Level.DISTRICT, current=False).values_list("kind", flat=True)) == {
        "district",
        "urban_district",
        "town",
        "provincial_city",
    }


def test_every_old_commune_has_a_successor(register):
    old = units(Level.COMMUNE, current=False)
    assert not old.filter(successor_links__isnull=True).exists()
    hoang_sa = units(Level.DISTRICT, current=False).get(name="Hoàng Sa")
    assert hoang_sa.successor_links.get().successor.kind == "special_zone"


def test_the_eleven_communes_of_tan_hiep_and_their_successors(register):
    district = units(Level.DISTRICT, current=False).get(code="904")
    assert district.name == "Tân Hiệp" and district.kind == "district" and district.parent.name == "Kiên Giang"
    old = {u.name: u for u in district.children.all()}
    assert len(old) == 11 and old["Tân Hiệp"].kind == "township" and old["Tân Hiệp"].code == "30850"
    successors = {
        name: {s.successor.display_name for s in unit.successor_links.select_related("successor")}
        for name, unit in old.items()
    }
    assert successors == {
        "Tân Hiệp": {"Xã Tân Hiệp"},
        "Tân Hiệp B": {"Xã Tân Hiệp"},
        "Thạnh Đông B": {"Xã Tân Hiệp"},
        "Thạnh Đông": {"Xã Tân Hiệp"},
        "Tân Hội": {"Xã Tân Hội"},
        "Tân Thành": {"Xã Tân Hội"},
        "Tân Hòa": {"Xã Tân Hội"},
        "Tân An": {"Xã Tân Hội"},
        "Tân Hiệp A": {"Xã Thạnh Đông"},
        "Thạnh Đông A": {"Xã Thạnh Đông"},
        "Thạnh Trị": {"Xã Thạnh Đông"},
    }
    thanh_dong = units(Level.COMMUNE, current=True).get(code="30874")
    assert thanh_dong.parent.name == "An Giang" and thanh_dong.parent.code == "91"


def test_a_reused_code_stays_two_units(register):
    new = units(Level.COMMUNE, current=True).get(code="30856")
    old = units(Level.COMMUNE, current=False).get(code="30856")
    assert (new.display_name, new.parent.name) == ("Xã Tân Hội", "An Giang")
    assert (old.display_name, old.parent.name) == ("Xã Tân Thành", "Tân Hiệp")
    assert UnitSuccession.objects.filter(predecessor=old, successor=new).exists()
    kien_giang = units(Level.PROVINCE, current=False).get(code="91")
    assert kien_giang.name == "Kiên Giang"
    assert kien_giang.successor_links.get().successor == units(Level.PROVINCE, current=True).get(code="91")


def test_a_split_commune_is_marked_partial_in_each_successor(register):
    hoa_lien = units(Level.COMMUNE, current=False).get(name="Hòa Liên", parent__name="Hòa Vang")
    links = list(hoa_lien.successor_links.select_related("successor"))
    assert len(links) == 2 and all(link.partial for link in links)
    assert {link.successor.name for link in links} == {"Hải Vân", "Liên Chiểu"}
    assert not UnitSuccession.objects.get(predecessor__code="30874", predecessor__valid_to=BEFORE).partial


def test_a_second_import_changes_nothing(register):
    before = (AdministrativeUnit.objects.count(), UnitSuccession.objects.count())
    out = io.StringIO()
    call_command("import_units", stdout=out)
    assert (AdministrativeUnit.objects.count(), UnitSuccession.objects.count()) == before
    assert "Nothing changed" in out.getvalue()


def test_a_renamed_unit_is_updated_in_place_and_reported(register):
    data = read_register()
    renamed = [dataclasses.replace(u, name="Tân Hội Mới") if u.key == ("2025", 3, "30856") else u for u in data.units]
    unit = units(Level.COMMUNE, current=True).get(code="30856")
    summary = units_import(register=dataclasses.replace(data, units=renamed))
    unit.refresh_from_db()
    assert unit.name == "Tân Hội Mới" and unit.search_name == "tan hoi moi"
    assert summary.updated == 1 and summary.changes == ["30856 (2025): Tân Hội → Tân Hội Mới"]
    assert sum(summary.created.values()) == 0


def test_a_unit_gone_from_the_register_is_kept_and_listed(register):
    data = read_register()
    kept = [u for u in data.units if u.key != ("2025", 3, "30856")]
    links = [s for s in data.successions if s.successor != ("2025", 3, "30856")]
    summary = units_import(register=dataclasses.replace(data, units=kept, successions=links))
    assert units(Level.COMMUNE, current=True).filter(code="30856").exists()
    assert summary.missing == ["30856 Tân Hội (2025)"]
