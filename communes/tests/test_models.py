import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from communes.models import AdministrativeUnit
from communes.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory, SuccessionFactory

pytestmark = pytest.mark.django_db


def test_level_follows_kind():
    assert ProvinceFactory().level == AdministrativeUnit.Level.PROVINCE
    assert DistrictFactory().level == AdministrativeUnit.Level.DISTRICT
    assert CommuneFactory(kind=AdministrativeUnit.Kind.TOWNSHIP).level == AdministrativeUnit.Level.COMMUNE


def test_two_current_units_cannot_share_a_code():
    CommuneFactory(code="30997")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommuneFactory(code="30997")


def test_a_code_is_reused_after_the_old_unit_ends():
    old = CommuneFactory(code="30997", valid_to=dt.date(2025, 6, 30))
    new = CommuneFactory(code="30997", valid_from=dt.date(2025, 7, 1))
    assert old.code == new.code


def test_validity_must_not_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        CommuneFactory(valid_from=dt.date(2025, 7, 1), valid_to=dt.date(2025, 6, 30))


def test_a_unit_cannot_succeed_itself():
    unit = CommuneFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SuccessionFactory(successor=unit, predecessor=unit)


def test_parent_must_be_of_a_higher_level():
    commune = CommuneFactory()
    other = CommuneFactory.build(parent=commune, kind=AdministrativeUnit.Kind.COMMUNE)
    with pytest.raises(ValidationError) as error:
        other.clean()
    assert "parent" in error.value.message_dict


def test_display_name_has_the_vietnamese_prefix():
    from django.utils import translation

    with translation.override("vi"):
        assert str(CommuneFactory(name="Tân Hội")) == "Xã Tân Hội"
        assert str(CommuneFactory(name="Tân Hiệp", kind=AdministrativeUnit.Kind.TOWNSHIP)) == "Thị trấn Tân Hiệp"


def test_a_units_name_takes_the_prefix_of_the_language_it_is_written_in():
    from django.utils import translation

    from communes.models import AdministrativeUnit

    commune = AdministrativeUnit(kind=AdministrativeUnit.Kind.COMMUNE, name="Tân Hội")
    ward = AdministrativeUnit(kind=AdministrativeUnit.Kind.WARD, name="Tân Hội")
    for language, commune_name, ward_name in (
        ("vi", "Xã Tân Hội", "Phường Tân Hội"),
        ("en", "Commune Tân Hội", "Ward Tân Hội"),
        ("vi", "Xã Tân Hội", "Phường Tân Hội"),
    ):
        with translation.override(language):
            assert (str(commune), str(ward)) == (commune_name, ward_name)
            assert commune.name_in_sentence == commune_name[0].lower() + commune_name[1:]
