"""Vietnam's official register of administrative units, read from the `vietnamadminunits` package.

The package ships the General Statistics Office's register before the 2025 reform (63
provinces, 696 districts, 10,035 communes, and 5 island districts without communes), the
register after it (34 provinces, 3,321 communes) and the conversion map from old communes to
new ones. Its Python API pulls in geocoding and geometry libraries, so its data files are
read here directly: an SQLite file and a JSON file, found without importing the package.
"""

import datetime as dt
import importlib.metadata
import importlib.util
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .models import AdministrativeUnit

PACKAGE = "vietnamadminunits"
# Resolution 202/2025/QH15 merged the provinces; the district level ended the same day.
LAST_DAY_BEFORE_REFORM = dt.date(2025, 6, 30)
REFORM_DAY = dt.date(2025, 7, 1)
PROVINCE_LEGAL_BASIS = "Nghị quyết số 202/2025/QH15 của Quốc hội"

LEGACY = "legacy"
CURRENT = "2025"

Kind = AdministrativeUnit.Kind
# The register writes the kind in front of the name: "Thị trấn Tân Hiệp".
PROVINCE_KINDS = {"Tỉnh": Kind.PROVINCE, "Thành phố": Kind.CITY}
DISTRICT_KINDS = {
    "Quận": Kind.URBAN_DISTRICT,
    "Huyện": Kind.DISTRICT,
    "Thị xã": Kind.TOWN,
    "Thành phố": Kind.PROVINCIAL_CITY,
}
COMMUNE_KINDS = {"Xã": Kind.COMMUNE, "Phường": Kind.WARD, "Thị trấn": Kind.TOWNSHIP, "Đặc khu": Kind.SPECIAL_ZONE}

# (era, level, code): codes are reused across the reform (An Giang is now 91, Kiên Giang's code).
UnitKey = tuple[str, int, str]


@dataclass(frozen=True)
class RegisterUnit:
    key: UnitKey
    name: str
    kind: str
    parent: UnitKey | None

    @property
    def era(self) -> str:
        return self.key[0]

    @property
    def level(self) -> int:
        return self.key[1]

    @property
    def code(self) -> str:
        return self.key[2]


@dataclass(frozen=True)
class RegisterSuccession:
    predecessor: UnitKey
    successor: UnitKey
    partial: bool


@dataclass
class Register:
    version: str
    units: list[RegisterUnit]
    successions: list[RegisterSuccession]


def era_of(valid_from: dt.date | None, valid_to: dt.date | None) -> str | None:
    """Which register a stored unit belongs to, by its dates; None for a unit made by hand."""
    if valid_to == LAST_DAY_BEFORE_REFORM:
        return LEGACY
    if valid_from == REFORM_DAY:
        return CURRENT
    return None


def validity_of(era: str) -> tuple[dt.date | None, dt.date | None]:
    return (None, LAST_DAY_BEFORE_REFORM) if era == LEGACY else (REFORM_DAY, None)


def split_name(full_name: str, kinds: dict[str, str]) -> tuple[str, str]:
    """("Thị trấn Tân Hiệp", commune kinds) → ("Tân Hiệp", "township"); the longest prefix wins."""
    # A few rows write the kind with a capital (Thành Phố Bắc Kạn).
    lowered = full_name.lower()
    for prefix in sorted(kinds, key=len, reverse=True):
        if lowered.startswith(prefix.lower() + " "):
            return full_name[len(prefix) + 1 :].strip(), kinds[prefix]
    raise ValueError(f"Unknown kind of unit: {full_name!r}")


def package_data_dir() -> Path:
    """The package's data folder; ModuleNotFoundError with the pip command when it is missing."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"Install the register: pip install {PACKAGE} (see requirements.txt).")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def read_register(data_dir: Path | None = None) -> Register:
    """Read both registers and the 2025 conversion map into plain rows."""
    data_dir = data_dir or package_data_dir()
    try:
        version = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    units: dict[UnitKey, RegisterUnit] = {}
    by_legacy_key: dict[str, UnitKey] = {}
    by_current_key: dict[tuple[str, str], UnitKey] = {}
    province_by_key: dict[str, UnitKey] = {}

    def add(unit: RegisterUnit) -> None:
        units.setdefault(unit.key, unit)

    with sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True) as connection:
        legacy_rows = connection.execute(
            "SELECT province, provinceCode, provinceKey, district, districtCode, districtKey, ward, wardCode, wardKey"
            " FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
        ).fetchall()
        current_rows = connection.execute(
            "SELECT province, provinceCode, provinceKey, ward, wardCode, wardKey"
            " FROM admin_units ORDER BY provinceCode, wardCode"
        ).fetchall()
    connection.close()

    for province, p_code, p_key, district, d_code, d_key, ward, w_code, w_key in legacy_rows:
        province_key = (LEGACY, 1, p_code)
        name, kind = split_name(province, PROVINCE_KINDS)
        add(RegisterUnit(province_key, name, kind, None))
        province_by_key[p_key] = province_key
        district_key = (LEGACY, 2, d_code)
        name, kind = split_name(district, DISTRICT_KINDS)
        add(RegisterUnit(district_key, name, kind, province_key))
        if ward and w_code:
            ward_key = (LEGACY, 3, w_code)
            name, kind = split_name(ward, COMMUNE_KINDS)
            add(RegisterUnit(ward_key, name, kind, district_key))
            by_legacy_key[f"{p_key}_{d_key}_{w_key}"] = ward_key
        else:
            # Island districts without communes became special zones in 2025.
            by_legacy_key[f"{p_key}_{d_key}_"] = district_key

    new_provinces: dict[str, UnitKey] = {}
    for province, p_code, p_key, ward, w_code, w_key in current_rows:
        province_key = (CURRENT, 1, p_code)
        name, kind = split_name(province, PROVINCE_KINDS)
        add(RegisterUnit(province_key, name, kind, None))
        new_provinces[p_key] = province_key
        ward_key = (CURRENT, 3, w_code)
        name, kind = split_name(ward, COMMUNE_KINDS)
        add(RegisterUnit(ward_key, name, kind, province_key))
        by_current_key[(p_key, w_key)] = ward_key

    conversion = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    successions: dict[tuple[UnitKey, UnitKey], RegisterSuccession] = {}

    def link(old: UnitKey | None, new: UnitKey | None, partial: bool) -> None:
        if old is not None and new is not None:
            successions.setdefault((old, new), RegisterSuccession(old, new, partial))

    for new_key, old_keys in conversion["DICT_PROVINCE"].items():
        for old_key in old_keys:
            link(province_by_key.get(old_key), new_provinces.get(new_key), False)
    for province_key, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                link(by_legacy_key.get(old_key), by_current_key.get((province_key, ward_key)), False)
    for province_key, olds in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            for part in parts:
                link(by_legacy_key.get(old_key), by_current_key.get((province_key, part["newWardKey"])), True)
    return Register(version=version, units=list(units.values()), successions=list(successions.values()))
