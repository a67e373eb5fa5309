"""Writes to the unit register: importing the official units and their successions."""

from dataclasses import dataclass, field

from django.db import transaction

from .folding import fold
from .models import AdministrativeUnit, UnitSuccession
from .register import (
    PROVINCE_LEGAL_BASIS,
    REFORM_DAY,
    Register,
    UnitKey,
    era_of,
    read_register,
    validity_of,
)


@dataclass
class ImportSummary:
    """What an import did: counts by level, and one line per change to a unit already stored."""

    version: str = ""
    created: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0})
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    changes: list[str] = field(default_factory=list)
    # Stored register units the package no longer lists: kept, since plans may use them.
    missing: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(sum(self.created.values()) or self.updated or self.successions_created or self.successions_updated)


def _stored_units() -> dict[UnitKey, AdministrativeUnit]:
    stored = {}
    for unit in AdministrativeUnit.objects.filter(level__in=(1, 2, 3)).only(
        "id", "code", "name", "kind", "level", "parent_id", "valid_from", "valid_to"
    ):
        era = era_of(unit.valid_from, unit.valid_to)
        if era is not None:
            stored[(era, unit.level, unit.code)] = unit
    return stored


@transaction.atomic
def units_import(*, register: Register | None = None) -> ImportSummary:
    """Create or update the official units and successions; a second run changes nothing.

    Units are matched by register (before or after the reform), level and code. A stored
    unit whose name, kind or parent differs is updated in place and the change is listed.
    Nothing is ever deleted. Raises ModuleNotFoundError when the package is not installed.
    """
    register = register or read_register()
    summary = ImportSummary(version=register.version)
    stored = _stored_units()
    seen: set[UnitKey] = set()
    to_update: list[AdministrativeUnit] = []

    for level in (1, 2, 3):
        new_units = []
        for row in (u for u in register.units if u.level == level):
            seen.add(row.key)
            parent_id = stored[row.parent].pk if row.parent else None
            unit = stored.get(row.key)
            if unit is None:
                valid_from, valid_to = validity_of(row.era)
                new_units.append(
                    AdministrativeUnit(
                        code=row.code,
                        name=row.name,
                        kind=row.kind,
                        level=AdministrativeUnit.LEVEL_OF_KIND[row.kind],
                        parent_id=parent_id,
                        valid_from=valid_from,
                        valid_to=valid_to,
                        search_name=fold(row.name),
                    )
                )
                continue
            differences = []
            if unit.name != row.name:
                differences.append(f"{unit.name} → {row.name}")
                unit.name, unit.search_name = row.name, fold(row.name)
            if unit.kind != row.kind:
                differences.append(f"{unit.kind} → {row.kind}")
                unit.kind = row.kind
            if unit.parent_id != parent_id:
                differences.append(f"parent #{unit.parent_id} → #{parent_id}")
                unit.parent_id = parent_id
            if differences:
                summary.changes.append(f"{row.code} ({row.era}): " + "; ".join(differences))
                to_update.append(unit)
            else:
                summary.unchanged += 1
        for unit in AdministrativeUnit.objects.bulk_create(new_units, batch_size=2000):
            era = era_of(unit.valid_from, unit.valid_to)
            stored[(era, unit.level, unit.code)] = unit
        summary.created[level] = len(new_units)
    if to_update:
        AdministrativeUnit.objects.bulk_update(to_update, ["name", "search_name", "kind", "parent"], batch_size=2000)
    summary.updated = len(to_update)
    summary.missing = sorted(f"{unit.code} {unit.name} ({key[0]})" for key, unit in stored.items() if key not in seen)

    existing = {
        (s.predecessor_id, s.successor_id): s
        for s in UnitSuccession.objects.only("id", "predecessor_id", "successor_id", "partial", "effective_on")
    }
    new_links, changed_links = [], []
    for row in register.successions:
        old, new = stored[row.predecessor], stored[row.successor]
        link = existing.get((old.pk, new.pk))
        if link is None:
            basis = PROVINCE_LEGAL_BASIS if new.level == 1 else ""
            new_links.append(
                UnitSuccession(
                    predecessor=old, successor=new, effective_on=REFORM_DAY, partial=row.partial, legal_basis=basis
                )
            )
        elif link.partial != row.partial or link.effective_on != REFORM_DAY:
            link.partial, link.effective_on = row.partial, REFORM_DAY
            changed_links.append(link)
    UnitSuccession.objects.bulk_create(new_links, batch_size=5000)
    UnitSuccession.objects.bulk_update(changed_links, ["partial", "effective_on"], batch_size=2000)
    summary.successions_created, summary.successions_updated = len(new_links), len(changed_links)
    return summary
