"""The results of a campaign, read once for the dashboard, the district report and the score sheet.

Everything here is derived from the models: scores, findings, last year's campaign
and unit successions. Year-over-year comparison goes by area *percentage* and area
*code*, so it survives a changed criteria set and merged communes.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext

from communes.folding import fold, name_key
from communes.models import AdministrativeUnit, kinds_phrase
from communes.selectors import chain_sql
from communes.selectors import lineages as unit_lineages

from .models import CriterionScore, Finding, InspectionPlan, Minutes, ReviewArea, Visit
from .scoring import ZERO, VisitResult, percent, visit_results


@dataclass
class FindingCounts:
    open: int = 0
    reported: int = 0
    remedied: int = 0
    carried_over: int = 0
    overdue: int = 0
    strengths: int = 0
    questions: int = 0

    @property
    def unresolved(self) -> int:
        # A finding carried into next year is still unresolved in the year it was found.
        return self.open + self.reported + self.carried_over


@dataclass
class CommuneRow:
    """One commune's line in the results table."""

    visit: Visit
    result: VisitResult
    area_percents: dict[str, Decimal | None]
    area_self_percents: dict[str, Decimal | None]
    findings: FindingCounts
    carried: FindingCounts
    rank: int | None = None
    previous_percent: Decimal | None = None
    previous_area_percents: dict[str, Decimal | None] = field(default_factory=dict)
    # The names of last year's communes this row is compared with, when they are not the commune
    # itself (a commune that took over merged ones is compared with them taken together).
    compared_with: list[str] = field(default_factory=list)
    # Whether the commune has given itself at least one score: if not, its self figures are "—", not 0,
    # and it counts in no average of self-assessed percentages.
    has_self_score: bool = True

    @property
    def unit(self):
        return self.visit.unit

    @property
    def percent(self) -> Decimal | None:
        return self.result.percent

    @property
    def is_provisional(self) -> bool:
        """A total shown before every criterion is appraised: marked with an asterisk, with no grade or rank."""
        return self.result.percent is not None and not self.result.is_complete

    @property
    def change(self) -> Decimal | None:
        if not self.result.is_complete or self.previous_percent is None:
            return None
        return self.percent - self.previous_percent

    @property
    def comparison_note(self) -> str:
        """Which of last year's communes the change is against, when not the commune itself."""
        if not self.compared_with:
            return ""
        names = ", ".join(self.compared_with)
        if len(self.compared_with) == 1:
            return gettext("Compared with %(units)s, which it succeeded.") % {"units": names}
        return gettext("Compared with %(units)s taken together, which it succeeded.") % {"units": names}

    def area_change(self, code: str) -> Decimal | None:
        now, before = self.area_percents.get(code), self.previous_area_percents.get(code)
        if now is None or before is None:
            return None
        return now - before


@dataclass
class AreaSummary:
    area: ReviewArea
    average_percent: Decimal | None
    average_self_percent: Decimal | None
    previous_average_percent: Decimal | None


@dataclass
class CampaignResults:
    plan: InspectionPlan
    previous_plan: InspectionPlan | None
    areas: list[ReviewArea]
    rows: list[CommuneRow]
    area_summaries: list[AreaSummary]
    # Every campaign of last year compared with: one, or for a new authority several.
    previous_plans: list[InspectionPlan] = field(default_factory=list)

    @property
    def status_counts(self) -> dict[str, int]:
        counts = defaultdict(int)
        for row in self.rows:
            counts[row.visit.status] += 1
        return dict(counts)

    @property
    def units_phrase(self) -> str:
        """The kinds of unit the campaign inspects, named together: "xã, thị trấn", since 2025 "xã, phường, đặc khu"."""
        return kinds_phrase({row.unit.kind for row in self.rows})

    @property
    def ranked_rows(self) -> list[CommuneRow]:
        # Unranked communes in the dictionary's order (Tân Hội before Thạnh Trị), not by code point.
        return sorted(self.rows, key=lambda r: (r.rank is None, r.rank or 0, name_key(r.unit.name)))


def previous_plan_for(plan: InspectionPlan) -> InspectionPlan | None:
    """Last year's campaign: the one the plan names, else the same authority's campaign of the year before."""
    if plan.previous_id:
        return plan.previous
    return (
        InspectionPlan.objects.filter(authority=plan.authority, year=plan.year - 1)
        .select_related("criteria_set")
        .order_by("-round_start")
        .first()
    )


def previous_plans_for(plan: InspectionPlan, unit_ids: set[int] | None = None) -> list[InspectionPlan]:
    """Last year's campaigns behind this plan's communes.

    The campaign the plan names or the same authority's campaign of the year before; failing
    those, for an authority without a campaign last year (a province inspecting its communes
    directly since the 2025 reform), the campaigns that visited these communes or the
    communes they succeeded, whichever authority ran them.
    """
    previous = previous_plan_for(plan)
    if previous is not None:
        return [previous]
    if unit_ids is None:
        unit_ids = set(plan.visits.values_list("unit_id", flat=True))
    lineage = unit_lineages(set(unit_ids))
    wanted = set().union(*lineage.values()) if lineage else set()
    if not wanted:
        return []
    visited = Visit.objects.filter(plan=OuterRef("pk"), unit_id__any_of=wanted)
    return list(
        InspectionPlan.objects.filter(Exists(visited), year=plan.year - 1)
        .exclude(pk=plan.pk)
        .select_related("criteria_set")
        .order_by("round_start", "pk")
    )


def _area_percents(result: VisitResult, code_of: dict[int, str]) -> tuple[dict, dict]:
    """The appraised and the self percentages of each area of a result, by area code."""
    percents, self_percents = {}, {}
    for area_id, area_result in result.areas.items():
        # A signed result keeps the code its area had at signing.
        code = area_result.code or code_of.get(area_id)
        if code:
            percents[code] = area_result.percent
            self_percents[code] = area_result.self_percent
    return percents, self_percents


def _finding_counts(visit_ids: list[int], today: dt.date) -> tuple[dict[int, FindingCounts], dict[int, FindingCounts]]:
    """Counts of this round's findings, and separately of those carried over from last year, per visit.

    A finding carried on into next year's visit keeps counting as unresolved (and overdue
    by its due date) here, under `carried_over`.
    """
    unresolved = Q(status__in=[Finding.Status.OPEN, Finding.Status.REPORTED, Finding.Status.CARRIED_OVER])
    rows = (
        # No ordering: the findings' default one joined visit, campaign and commune into the count for nothing.
        Finding.objects.filter(visit_id__any_of=visit_ids)
        .order_by()
        .values("visit_id", "kind", "status", carried=Q(carried_from__isnull=False))
        .annotate(n=Count("id"), overdue=Count("id", filter=unresolved & Q(due_date__lt=today)))
    )
    own, carried = defaultdict(FindingCounts), defaultdict(FindingCounts)
    for row in rows:
        target = (carried if row["carried"] else own)[row["visit_id"]]
        if row["kind"] == Finding.Kind.STRENGTH:
            target.strengths += row["n"]
            continue
        if row["kind"] == Finding.Kind.QUESTION:
            target.questions += row["n"]
            continue
        status_field = {
            Finding.Status.OPEN: "open",
            Finding.Status.REPORTED: "reported",
            Finding.Status.REMEDIED: "remedied",
            Finding.Status.CARRIED_OVER: "carried_over",
        }.get(row["status"])
        if status_field:
            setattr(target, status_field, getattr(target, status_field) + row["n"])
        target.overdue += row["overdue"]
    return own, carried


def _rank(rows: list[CommuneRow]) -> None:
    """Competition ranking by percentage (1, 2, 2, 4) among communes whose appraisal is complete."""
    scored = sorted((r for r in rows if r.result.is_complete), key=lambda r: r.percent, reverse=True)
    previous_percent, previous_rank = None, 0
    for position, row in enumerate(scored, start=1):
        if row.percent != previous_percent:
            previous_rank, previous_percent = position, row.percent
        row.rank = previous_rank


def self_scored_visit_ids(visit_ids) -> set[int]:
    """The visits whose commune has given itself at least one score: the others show "—", not 0.

    One row per visit (EXISTS), not a DISTINCT over every self score of the campaign.
    """
    scored = CriterionScore.objects.filter(visit_id=OuterRef("pk"), self_score__isnull=False)
    return set(
        Visit.objects.filter(pk__any_of=visit_ids).filter(Exists(scored)).order_by().values_list("pk", flat=True)
    )


def _average(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return (sum(values, ZERO) / len(values)).quantize(Decimal("0.01"))


# Last year's figures of a campaign's communes are kept this long when every one of them was signed.
PREVIOUS_FIGURES_SECONDS = 24 * 3600


def previous_figures(previous_plans: list[InspectionPlan], unit_ids: set[int]) -> dict[int, tuple]:
    """For each commune, last year's (percentage, percentage per area code, names compared with).

    A commune is compared with its own visit of last year, or, having succeeded merged communes,
    with theirs taken together. When every one of those visits has signed minutes, their figures
    cannot change: what they come to is kept in the cache under a digest of everything they
    rest on (the campaigns, the communes and their lineage, each visit with its unit's name and
    the moment it was signed, and the language), so a changed signature, succession or name is
    a new key. Otherwise they are computed afresh.

    On PostgreSQL the digest is made by the database in one query, lineage included, and a page
    that finds the figures kept reads nothing else; elsewhere it is made here from the rows.
    """
    unit_ids = sorted(unit_ids)
    plan_ids = [p.pk for p in previous_plans]
    key = None
    kept_under = _previous_digest(plan_ids, unit_ids)
    if kept_under is not None:
        all_signed, digest = kept_under
        if all_signed:
            key = f"previous-figures:{get_language()}:{digest}"
            if (kept := _kept_figures(key)) is not None:
                return kept
    ancestors = unit_lineages(unit_ids)
    old_rows = _previous_rows(previous_plans, ancestors)
    if kept_under is None and all(row[-1] for row in old_rows):
        lineage = sorted((unit, sorted(units)) for unit, units in ancestors.items())
        digest = hashlib.sha256(repr((get_language(), plan_ids, old_rows, lineage)).encode()).hexdigest()
        key = f"previous-figures:{digest}"
        if (kept := _kept_figures(key)) is not None:
            return kept
    figures = _previous_figures(previous_plans, ancestors, old_rows)
    if key is not None:
        cache.set(key, figures, PREVIOUS_FIGURES_SECONDS)
        _seen(key, figures)
    return figures


# Last year's figures this process has read, by the key they are kept under: that key is a digest of
# everything they rest on, so a copy found here is as true as the shared cache's, and a dashboard read
# after every save does not fetch and unpickle the same figures from the cache each time. Shared by the
# requests of the process and only read.
_FIGURES_SEEN: dict[str, dict] = {}
_FIGURES_SEEN_KEPT = 64


def _seen(key: str, figures: dict) -> None:
    if len(_FIGURES_SEEN) >= _FIGURES_SEEN_KEPT:
        _FIGURES_SEEN.clear()
    _FIGURES_SEEN[key] = figures


def _kept_figures(key: str) -> dict | None:
    """The figures kept under `key`: this process's copy, else the shared cache's (then copied here)."""
    figures = _FIGURES_SEEN.get(key)
    if figures is None:
        figures = cache.get(key)
        if figures is not None:
            _seen(key, figures)
    return figures


def _previous_rows(previous_plans, ancestors) -> list[tuple]:
    """Last year's visits of these lineages: (pk, plan, unit, unit's kind and name, signed at, signed), by pk."""
    wanted_units = set().union(*ancestors.values()) if ancestors else set()
    signed = Q(minutes__signed_at__isnull=False, minutes__result_snapshot__isnull=False)
    return sorted(
        Visit.objects.filter(plan__in=previous_plans, unit_id__any_of=wanted_units)
        .order_by()
        .annotate(signed=ExpressionWrapper(signed, output_field=BooleanField()))
        .values_list("pk", "plan_id", "unit_id", "unit__kind", "unit__name", "minutes__signed_at", "signed")
    )


def _previous_digest(plan_ids: list[int], unit_ids: list[int]) -> tuple[bool, str] | None:
    """(every visit signed, digest) of what last year's figures of these communes rest on; None off PostgreSQL.

    The digest covers the campaigns, the communes asked for, each succession of their lineage and
    each of last year's visits in it with its unit's kind and name and its minutes' signature, as
    `previous_figures` keeps its figures under: a new succession, name or signature is a new digest.
    """
    if connection.vendor != "postgresql":
        return None
    chain, chain_params = chain_sql("%s")
    quote = connection.ops.quote_name
    visit, unit, minutes = (quote(m._meta.db_table) for m in (Visit, AdministrativeUnit, Minutes))
    # Bandit B608 reviewed: the statement holds only the models' own table names and chain_sql's
    # placeholders; campaigns and units go as parameters.
    sql = (
        f"WITH RECURSIVE {chain}, "  # nosec
        "wanted AS (SELECT unnest(%s::bigint[]) AS id UNION SELECT predecessor_id FROM chain), "
        # A few hundred rows, each unit and minutes looked up by its key (LATERAL … OFFSET 0): the planner,
        # expecting the lineage to be a hundred times longer than it is, would otherwise read both tables whole.
        "old AS (SELECT v.id, v.plan_id, v.unit_id, u.kind, u.name, m.signed_at, "
        "coalesce(m.signed_at IS NOT NULL AND m.has_result, false) AS signed "
        f"FROM {visit} v CROSS JOIN LATERAL (SELECT kind, name FROM {unit} WHERE id = v.unit_id OFFSET 0) u "
        f"LEFT JOIN LATERAL (SELECT signed_at, result_snapshot IS NOT NULL AS has_result FROM {minutes} "
        "WHERE visit_id = v.id OFFSET 0) m ON true "
        "WHERE v.plan_id = ANY(%s) AND v.unit_id IN (SELECT id FROM wanted)) "
        "SELECT coalesce(bool_and(old.signed), true), md5(concat_ws('|', %s::text, "
        "coalesce(string_agg(old::text, ',' ORDER BY old.id), ''), "
        "(SELECT coalesce(string_agg(DISTINCT concat(successor_id, '>', predecessor_id), ','), '') FROM chain))) "
        "FROM old"
    )
    with connection.cursor() as cursor:
        # Bandit B608 reviewed: as above.
        cursor.execute(sql, [unit_ids, *chain_params, unit_ids, plan_ids, repr((plan_ids, unit_ids))])  # nosec
        all_signed, digest = cursor.fetchone()
    return bool(all_signed), digest


def _previous_figures(previous_plans, ancestors, old_rows) -> dict[int, tuple]:
    old_by_unit, name_of, code_of = {}, {}, {}
    for previous in previous_plans:
        group = [
            Visit(pk=pk, plan_id=plan_id, unit_id=unit_id)
            for pk, plan_id, unit_id, *_rest in old_rows
            if plan_id == previous.pk
        ]
        if not group:
            continue
        old_results = visit_results(visits=group, criteria_set=previous.criteria_set, criteria_lines=False)
        code_of.update({a.pk: a.code for a in previous.criteria_set.areas.all()})
        for old_visit in group:
            old_by_unit[old_visit.unit_id] = old_results[old_visit.pk]
    for _pk, _plan_id, unit_id, kind, name, *_rest in old_rows:
        name_of[unit_id] = (name, str(AdministrativeUnit(kind=kind, name=name)))
    figures = {}
    for unit_id, lineage in ancestors.items():
        merged_units = sorted((u for u in lineage if u in old_by_unit), key=lambda u: fold(name_of[u][0]))
        merged = [old_by_unit[u] for u in merged_units]
        if not merged:
            continue
        compared_with = [name_of[u][1] for u in merged_units] if merged_units != [unit_id] else []
        # A merged commune is compared with its predecessors taken together.
        appraised = sum((r.total_score for r in merged), ZERO)
        maximum = sum((r.scale_max for r in merged), ZERO)
        previous_percent = percent(appraised, maximum) if all(r.is_complete for r in merged) else None
        per_area = defaultdict(lambda: [ZERO, ZERO, 0])
        for old in merged:
            for area_id, area_result in old.areas.items():
                bucket = per_area[area_result.code or code_of.get(area_id)]
                bucket[0] += area_result.appraised_score
                bucket[1] += area_result.applicable_max
                bucket[2] += area_result.appraised_count
        area_percents = {
            code: percent(vals[0], vals[1]) if vals[2] else None for code, vals in per_area.items() if code
        }
        figures[unit_id] = (previous_percent, area_percents, compared_with)
    return figures


def campaign_results(*, plan: InspectionPlan, visits: list[Visit], today: dt.date | None = None) -> CampaignResults:
    """Scores, grades, ranks, year-over-year change and finding counts for the given visits of a campaign.

    `visits` comes from a scoped selector, so the table never holds a commune the
    reader may not see. The number of queries does not grow with the number of communes.
    """
    today = today or timezone.localdate()
    criteria_set = plan.criteria_set
    areas = list(criteria_set.areas.order_by("order", "number"))
    results = visit_results(visits=visits, criteria_set=criteria_set, criteria_lines=False)
    own_counts, carried_counts = _finding_counts([v.pk for v in visits], today)
    self_scored = self_scored_visit_ids([v.pk for v in visits]) if visits else set()
    code_of = {area.id: area.code for area in areas}
    rows = []
    for visit in visits:
        percents, self_percents = _area_percents(results[visit.pk], code_of)
        rows.append(
            CommuneRow(
                visit=visit,
                result=results[visit.pk],
                area_percents=percents,
                # A commune that has not self-assessed has no self percentage (its sums are 0, not its claim).
                area_self_percents=self_percents if visit.pk in self_scored else {},
                findings=own_counts[visit.pk],
                carried=carried_counts[visit.pk],
                has_self_score=visit.pk in self_scored,
            )
        )
    _rank(rows)

    previous_plans = previous_plans_for(plan, {v.unit_id for v in visits})
    previous_by_area: dict[str, list[Decimal | None]] = defaultdict(list)
    if previous_plans:
        figures = previous_figures(previous_plans, {v.unit_id for v in visits})
        for row in rows:
            if row.visit.unit_id not in figures:
                continue
            row.previous_percent, row.previous_area_percents, row.compared_with = figures[row.visit.unit_id]
            for code, value in row.previous_area_percents.items():
                previous_by_area[code].append(value)

    summaries = [
        AreaSummary(
            area=area,
            average_percent=_average(r.area_percents.get(area.code) for r in rows),
            average_self_percent=_average(r.area_self_percents.get(area.code) for r in rows),
            previous_average_percent=_average(previous_by_area.get(area.code, [])),
        )
        for area in areas
    ]
    return CampaignResults(
        plan=plan,
        previous_plan=previous_plans[0] if previous_plans else None,
        areas=areas,
        rows=rows,
        area_summaries=summaries,
        previous_plans=previous_plans,
    )
