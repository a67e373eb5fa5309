"""Reads of the unit register. The register is public data: every signed-in user reads all of it."""

from django.db import connection
from django.db.models import Count, Q
from django.http import Http404

from .folding import fold
from .models import AdministrativeUnit, UnitSuccession

ERAS = ("current", "before", "all")
SEARCH_LIMIT = 100


def _era_filter(era: str) -> Q:
    if era == "current":
        return Q(valid_to__isnull=True)
    if era == "before":
        return Q(valid_to__isnull=False)
    return Q()


def unit_search(*, query: str, era: str = "all") -> list[AdministrativeUnit]:
    """Units whose code starts with `query` or whose name contains it, with or without diacritics."""
    query = query.strip()
    qs = AdministrativeUnit.objects.filter(_era_filter(era)).select_related("parent", "parent__parent")
    qs = qs.filter(code__startswith=query) if query.isdigit() else qs.filter(search_name__contains=fold(query))
    return list(qs.order_by("level", "search_name", "-valid_from")[:SEARCH_LIMIT])


def province_list(*, era: str = "current") -> list[AdministrativeUnit]:
    """The top of the tree: provinces and centrally-run cities, with how many units each holds."""
    return list(
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.PROVINCE)
        .filter(_era_filter(era))
        .annotate(child_count=Count("children"))
        .order_by("search_name", "-valid_from")
    )


def unit_get(pk) -> AdministrativeUnit:
    """One unit with its parents, or 404."""
    unit = AdministrativeUnit.objects.select_related("parent", "parent__parent").filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def unit_children(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    return list(unit.children.annotate(child_count=Count("children")).order_by("kind", "search_name"))


def unit_predecessors(unit: AdministrativeUnit) -> list[UnitSuccession]:
    """The units this one took over, with the date and whether it took only part of each."""
    return list(unit.predecessor_links.select_related("predecessor__parent").order_by("predecessor__search_name"))


def unit_successors(unit: AdministrativeUnit) -> list[UnitSuccession]:
    """The units that took this one over."""
    return list(unit.successor_links.select_related("successor__parent").order_by("successor__search_name"))


# Succession chains are short (a merger in 2025, perhaps another later): deeper links are not followed.
LINEAGE_DEPTH = 5


def predecessor_links(unit_ids) -> list[tuple[int, int]]:
    """(successor, predecessor) of every succession behind these units, up to LINEAGE_DEPTH mergers back.

    One query (a recursive one, which PostgreSQL and SQLite both run) whatever the depth, reading
    only the lineage of these units: the official register holds some ten thousand successions.
    """
    unit_ids = sorted({int(pk) for pk in unit_ids})
    if not unit_ids:
        return []
    table = connection.ops.quote_name(UnitSuccession._meta.db_table)
    placeholders = ", ".join(["%s"] * len(unit_ids))
    # Bandit B608 reviewed: the only interpolated names are the model's own table and one placeholder a
    # unit; the units and the depth go as parameters.
    sql = (
        f"WITH RECURSIVE chain(successor_id, predecessor_id, depth) AS ("  # nosec
        f"SELECT successor_id, predecessor_id, 1 FROM {table} WHERE successor_id IN ({placeholders}) "
        f"UNION SELECT s.successor_id, s.predecessor_id, chain.depth + 1 FROM {table} s "
        f"JOIN chain ON s.successor_id = chain.predecessor_id WHERE chain.depth < %s"
        f") SELECT DISTINCT successor_id, predecessor_id FROM chain"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*unit_ids, LINEAGE_DEPTH])
        return [(successor, predecessor) for successor, predecessor in cursor.fetchall()]


def lineages(unit_ids) -> dict[int, set[int]]:
    """For each unit, itself and every unit it succeeded."""
    succeeded: dict[int, set[int]] = {}
    for successor, predecessor in predecessor_links(unit_ids):
        succeeded.setdefault(successor, set()).add(predecessor)

    def lineage(unit_id: int) -> set[int]:
        found, stack = {unit_id}, [unit_id]
        while stack:
            for older in succeeded.get(stack.pop(), ()):
                if older not in found:
                    found.add(older)
                    stack.append(older)
        return found

    return {unit_id: lineage(unit_id) for unit_id in set(unit_ids)}
