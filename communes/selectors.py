"""Reads of the unit register. The register is public data: every signed-in user reads all of it."""

from django.db import connection
from django.db.models import Count, Q
from django.http import Http404

from .folding import dictionary_order, fold
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
    return list(qs.order_by("level", dictionary_order("name"), "-valid_from")[:SEARCH_LIMIT])


def province_list(*, era: str = "current") -> list[AdministrativeUnit]:
    """The top of the tree: provinces and centrally-run cities, with how many units each holds."""
    return list(
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.PROVINCE)
        .filter(_era_filter(era))
        .annotate(child_count=Count("children"))
        .order_by(dictionary_order("name"), "-valid_from")
    )


def unit_get(pk) -> AdministrativeUnit:
    """One unit with its parents, or 404."""
    unit = AdministrativeUnit.objects.select_related("parent", "parent__parent").filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def unit_children(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    return list(unit.children.annotate(child_count=Count("children")).order_by("kind", dictionary_order("name")))


def unit_predecessors(unit: AdministrativeUnit) -> list[UnitSuccession]:
    """The units this one took over, with the date and whether it took only part of each."""
    return list(
        unit.predecessor_links.select_related("predecessor__parent").order_by(dictionary_order("predecessor__name"))
    )


def unit_successors(unit: AdministrativeUnit) -> list[UnitSuccession]:
    """The units that took this one over."""
    return list(unit.successor_links.select_related("successor__parent").order_by(dictionary_order("successor__name")))


# Succession chains are short (a merger in 2025, perhaps another later): deeper links are not followed.
LINEAGE_DEPTH = 5


def chain_sql(units: str) -> tuple[str, list]:
    """A recursive `chain(successor_id, predecessor_id, depth)` of the successions behind `units`.

    `units` is the SQL of a list of unit ids (one placeholder per id, or on PostgreSQL one array
    parameter). On PostgreSQL every step looks its links up by the successor's index: the planner,
    expecting a thousand rows where there are a few hundred, otherwise reads the whole register
    (ten thousand successions) into a hash at each step, twice the time.
    """
    table = connection.ops.quote_name(UnitSuccession._meta.db_table)
    if connection.vendor == "postgresql":
        # Bandit B608 reviewed: the only interpolated names are the model's own table and the caller's
        # placeholders; the units and the depth go as parameters.
        step = (
            f"CROSS JOIN LATERAL (SELECT s.successor_id, s.predecessor_id FROM {table} s "  # nosec
            "WHERE s.successor_id = {of} OFFSET 0) link"
        )
        # Bandit B608 reviewed: as above, the caller's placeholders only.
        anchor = f"SELECT link.successor_id, link.predecessor_id, 1 FROM unnest({units}::bigint[]) AS unit(id) "  # nosec
        # Bandit B608 reviewed: the pieces above and placeholders only.
        sql = (
            "chain(successor_id, predecessor_id, depth) AS ("  # nosec
            f"{anchor}{step.format(of='unit.id')} "
            f"UNION SELECT link.successor_id, link.predecessor_id, chain.depth + 1 FROM chain "
            f"{step.format(of='chain.predecessor_id')} WHERE chain.depth < %s)"
        )
    else:
        # Bandit B608 reviewed: the model's own table and the caller's placeholders only.
        sql = (
            "chain(successor_id, predecessor_id, depth) AS ("  # nosec
            f"SELECT successor_id, predecessor_id, 1 FROM {table} WHERE successor_id IN ({units}) "
            f"UNION SELECT s.successor_id, s.predecessor_id, chain.depth + 1 FROM {table} s "
            f"JOIN chain ON s.successor_id = chain.predecessor_id WHERE chain.depth < %s)"
        )
    return sql, [LINEAGE_DEPTH]


def unit_list_sql(unit_ids: list[int]) -> tuple[str, list]:
    """`unit_ids` as `chain_sql` takes them: one array parameter on PostgreSQL, else one placeholder each."""
    if connection.vendor == "postgresql":
        return "%s", [list(unit_ids)]
    return ", ".join(["%s"] * len(unit_ids)), list(unit_ids)


def predecessor_links(unit_ids) -> list[tuple[int, int]]:
    """(successor, predecessor) of every succession behind these units, up to LINEAGE_DEPTH mergers back.

    One query (a recursive one, which PostgreSQL and SQLite both run) whatever the depth, reading
    only the lineage of these units: the official register holds some ten thousand successions.
    """
    unit_ids = sorted({int(pk) for pk in unit_ids})
    if not unit_ids:
        return []
    units, unit_params = unit_list_sql(unit_ids)
    chain, chain_params = chain_sql(units)
    # Bandit B608 reviewed: `chain` holds only the model's table and placeholders (chain_sql).
    sql = f"WITH RECURSIVE {chain} SELECT DISTINCT successor_id, predecessor_id FROM chain"  # nosec
    with connection.cursor() as cursor:
        cursor.execute(sql, [*unit_params, *chain_params])
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
