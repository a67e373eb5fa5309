"""Reads of the unit register. The register is public data: every signed-in user reads all of it."""

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
