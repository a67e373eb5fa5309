"""Score arithmetic: the one place a visit's total, percentage and grade are computed.

Every page, the dashboard, the ranking, the PDFs (minutes, notice, district report) and
the spreadsheet export read `visit_results`; signing the minutes stores its output
(`visit_result_snapshot`), and `visit_results` returns that stored result for a visit whose
minutes are signed, so that no later change to criteria, bands, scores, bonuses, penalties
or survey results alters what was signed.

The rule, step by step, as the provinces publish it
----------------------------------------------------
1. Criteria. M = the sum of the maxima of the set's scored (leaf) criteria. A criterion the
   commune declared not applicable and the team accepted leaves the count: its maximum is
   taken out of the applicable maximum Ma, and it has no score. A = the sum of the appraised
   scores of the applicable criteria.
2. Conversion to the set's scale: C = A / Ma × M, rounded to two decimals
   ("quy đổi: 82/90 điểm áp dụng × 100"). With nothing declared not applicable, C = A.
3. Bonus and penalty: each recorded item brings at most its own cap (its points at one visit
   are added first); the bonuses together bring at most the set's bonus cap, the penalties
   at most its penalty cap: B and P.
4. Survey: W = the set's survey weight (points of the total). Each sub-index i has a result
   r_i in percent and a weight w_i; S = W × Σ(w_i × r_i) / (100 × Σ w_i), rounded to two
   decimals. A missing result counts 0 and keeps the result provisional.
5. Total T = C + S + B − P, kept within 0 and the scale M + W.
6. Percentage = T / (M + W) × 100, rounded half up to two decimals; per area, the area's
   appraised score over its applicable maximum.
7. Grade: the highest band whose threshold the percentage reaches and whose rules hold —
   no area below the band's floor percent, no serious violation recorded when the band
   requires it; otherwise the next band down. A grade is given only once every criterion
   is appraised (or accepted as not applicable) and every survey result is in.

Self scores are summed alongside, over the criteria the commune declared applicable, so that
the gap stays visible.
"""

import hashlib
import logging
import operator
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce

from django.db import DatabaseError, connection, transaction
from django.db.models import Case, Count, Exists, F, Func, JSONField, OuterRef, Q, Sum, Value, When

from .models import (
    AdjustmentItem,
    ClassificationBand,
    Criterion,
    CriterionScore,
    Minutes,
    ReviewArea,
    SurveyIndex,
    SurveyResult,
    Visit,
    VisitAdjustment,
    VisitTally,
)
from .models.criteria import title_in_language

logger = logging.getLogger(__name__)

# Bump when the layout of a stored result changes; readers keep understanding older layouts.
# 2: not-applicable conversion, bonus and penalty, survey component, band rules.
SNAPSHOT_VERSION = 2

ZERO = Decimal("0")
HUNDRED = Decimal("100")
TWO_PLACES = Decimal("0.01")
ACCEPTED = CriterionScore.NotApplicable.ACCEPTED
DECLARED = CriterionScore.NotApplicable.DECLARED


class _kept:
    """A property computed on first reading and then kept on the object (functools.cached_property
    without the lock Python 3.11 takes on every first reading: some ten thousand per province page)."""

    def __init__(self, method):
        self.method = method
        self.__doc__ = method.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.method(instance)
        return value


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _round(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class AreaResult:
    area_id: int
    max_score: Decimal
    leaf_count: int = 0
    self_score: Decimal = ZERO
    appraised_score: Decimal = ZERO
    appraised_count: int = 0
    # The maxima of criteria accepted as not applicable, and of those the commune declared so.
    not_applicable_max: Decimal = ZERO
    self_not_applicable_max: Decimal = ZERO
    # The commune's own scores of the criteria the team has appraised so far: what the appraised
    # score compares with while the appraisal goes on. None on a signed result, which is complete.
    self_appraised_score: Decimal | None = None
    # The area as it was named when the result was computed (or signed).
    code: str = ""
    number: str = ""
    title: str = ""
    title_en: str = ""
    order: int = 0
    # Set on a signed result: the figures as signed, never recomputed.
    stored: dict | None = None

    @property
    def shown_title(self) -> str:
        return title_in_language(self.title, self.title_en)

    @_kept
    def applicable_max(self) -> Decimal:
        return self.max_score - self.not_applicable_max

    @_kept
    def percent(self) -> Decimal | None:
        if self.stored is not None:
            return self.stored["percent"]
        return percent(self.appraised_score, self.applicable_max) if self.appraised_count else None

    @_kept
    def self_percent(self) -> Decimal | None:
        if self.stored is not None:
            return self.stored["self_percent"]
        return percent(self.self_score, self.max_score - self.self_not_applicable_max)

    @_kept
    def is_complete(self) -> bool:
        return self.appraised_count >= self.leaf_count


@dataclass
class CriterionLine:
    """One scored criterion's final figures in a signed result."""

    criterion_id: int
    area_id: int
    code: str
    title: str
    max_score: Decimal
    self_score: Decimal | None
    appraised_score: Decimal | None
    not_applicable: str = ""


@dataclass
class AdjustmentLine:
    """A bonus or penalty item at a visit: the points recorded and the points counted within its cap."""

    code: str
    title: str
    kind: str
    max_points: Decimal
    recorded: Decimal
    counted: Decimal
    serious_violation: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class SurveyLine:
    """A survey sub-index at a visit: its weight and the commune's result in percent (None: not imported)."""

    code: str
    title: str
    weight: Decimal
    value: Decimal | None


@dataclass
class RefusedBand:
    """A band the percentage reached but a rule refused, and why (for the statement of the result)."""

    label: str
    rule: str  # "area_floor" or "serious_violation"
    floor: Decimal | None = None
    areas: list[str] = field(default_factory=list)


@dataclass
class VisitResult:
    """A visit's result, per area and overall.

    Its derived figures (sums, total, percentages) are computed on first reading and kept: a result
    is made whole by `_computed_results` or `result_from_snapshot` and not changed after.
    """

    visit_id: int
    # M: the sum of the maxima of the scored criteria.
    max_score: Decimal
    areas: dict[int, AreaResult] = field(default_factory=dict)
    grade: ClassificationBand | None = None
    # Set when the result is read from signed minutes: the stored percentages and the criteria lines.
    stored: dict | None = None
    criteria: list[CriterionLine] = field(default_factory=list)
    # W, B, P and S of the rule, with the lines they come from.
    survey_weight: Decimal = ZERO
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO
    survey_points: Decimal = ZERO
    bonus_cap: Decimal | None = None
    penalty_cap: Decimal | None = None
    adjustments: list[AdjustmentLine] = field(default_factory=list)
    survey: list[SurveyLine] = field(default_factory=list)
    serious_violation: bool = False
    refused_bands: list[RefusedBand] = field(default_factory=list)

    @property
    def is_signed(self) -> bool:
        """The result was stored when the minutes were signed; nothing later changes it."""
        return self.stored is not None

    @_kept
    def ordered_areas(self) -> list[AreaResult]:
        return sorted(self.areas.values(), key=lambda a: (a.order, a.number))

    @_kept
    def self_score(self) -> Decimal:
        return sum((a.self_score for a in self.areas.values()), ZERO)

    @_kept
    def appraised_score(self) -> Decimal:
        """A: the appraised scores of the applicable criteria, before conversion."""
        return sum((a.appraised_score for a in self.areas.values()), ZERO)

    @_kept
    def appraised_count(self) -> int:
        return sum(a.appraised_count for a in self.areas.values())

    @_kept
    def not_applicable_max(self) -> Decimal:
        return sum((a.not_applicable_max for a in self.areas.values()), ZERO)

    @_kept
    def applicable_max(self) -> Decimal:
        """Ma: the maximum of the criteria that apply to this commune."""
        return self.max_score - self.not_applicable_max

    @_kept
    def is_converted(self) -> bool:
        return self.not_applicable_max > 0

    @_kept
    def converted_score(self) -> Decimal:
        """C = A / Ma × M: the criteria score on the set's scale."""
        if not self.is_converted:
            return self.appraised_score
        if not self.applicable_max:
            return ZERO
        return _round(self.appraised_score * self.max_score / self.applicable_max)

    @_kept
    def scale_max(self) -> Decimal:
        """M + W: the scale of the total."""
        return self.max_score + self.survey_weight

    @property
    def has_adjustments(self) -> bool:
        return bool(self.adjustments)

    @_kept
    def bonus_lines(self) -> list[AdjustmentLine]:
        return [line for line in self.adjustments if line.kind == AdjustmentItem.Kind.BONUS]

    @_kept
    def penalty_lines(self) -> list[AdjustmentLine]:
        return [line for line in self.adjustments if line.kind == AdjustmentItem.Kind.PENALTY]

    @property
    def has_survey(self) -> bool:
        return self.survey_weight > 0

    @_kept
    def survey_complete(self) -> bool:
        return all(line.value is not None for line in self.survey)

    @_kept
    def total_score(self) -> Decimal:
        """T = C + S + B − P, within 0 and M + W."""
        if self.stored is not None and self.stored.get("total_score") is not None:
            return self.stored["total_score"]
        total = self.converted_score + self.survey_points + self.bonus - self.penalty
        return min(max(total, ZERO), self.scale_max)

    @_kept
    def percent(self) -> Decimal | None:
        if self.stored is not None:
            return self.stored["percent"]
        return percent(self.total_score, self.scale_max) if self.appraised_count else None

    @_kept
    def self_percent(self) -> Decimal | None:
        if self.stored is not None:
            return self.stored["self_percent"]
        declared = sum((a.self_not_applicable_max for a in self.areas.values()), ZERO)
        return percent(self.self_score, self.max_score - declared)

    @_kept
    def gap(self) -> Decimal:
        """The appraised score less the commune's own score, over the criteria the team has appraised.

        While the appraisal goes on, the commune's score of the criteria not yet appraised is left
        out, so that the gap does not grow with what is still to do.
        """
        own = sum(
            (a.self_score if a.self_appraised_score is None else a.self_appraised_score for a in self.areas.values()),
            ZERO,
        )
        return self.appraised_score - own

    @_kept
    def is_complete(self) -> bool:
        """Every scored criterion is appraised and every survey result is in: only then is the grade final."""
        if self.stored is not None:
            return self.stored["complete"]
        return all(a.is_complete for a in self.areas.values()) and self.survey_complete


def leaf_criteria(criteria_set):
    """The scored criteria of a set: those with no children."""
    children = Criterion.objects.filter(parent=OuterRef("pk"))
    return Criterion.objects.filter(criteria_set=criteria_set).exclude(Exists(children))


def area_maxima(criteria_set) -> dict[int, tuple[Decimal, int]]:
    """The maximum score and the number of scored criteria of each review area."""
    return _criteria_outline(criteria_set)[0]


# The values kept per area in a visit's tally, as `_summed_scores` adds them up: part of the criteria
# digest under which they are kept.
SUMS_SHAPE = "self,appraised,count,na_max,self_na_max,self_appraised"


def _criteria_outline(criteria_set) -> tuple[dict[int, tuple[Decimal, int]], str]:
    """The maxima of `area_maxima`, and a digest of the set's criteria as the sums of scores depend on them.

    The digest changes when a criterion is added, removed, moved to another area, given children
    or another maximum: sums kept under another digest are not trusted (`_area_sums`). It also
    names the shape of the kept sums, so that a process of another version of the code, during an
    upgrade, neither trusts nor misreads sums kept in the other shape: it adds them up again.
    """
    rows = sorted(
        Criterion.objects.filter(criteria_set=criteria_set)
        .order_by()
        .values_list("pk", "area_id", "parent_id", "max_score")
    )
    parents = {parent for _pk, _area, parent, _max in rows if parent is not None}
    maxima: dict[int, list] = {}
    for pk, area_id, _parent, maximum in rows:
        if pk in parents:
            continue
        entry = maxima.setdefault(area_id, [ZERO, 0])
        entry[0] += maximum or ZERO
        entry[1] += 1
    outline = repr([(pk, area, parent, str(m)) for pk, area, parent, m in rows])
    digest = hashlib.sha256(f"{SUMS_SHAPE}|{outline}".encode()).hexdigest()
    return {area_id: (total, count) for area_id, (total, count) in maxima.items()}, digest


def _summed_scores(visit_ids: list[int], criteria_set) -> dict[int, dict[int, tuple]]:
    """Adds up the scores of these visits per review area, in one query."""
    accepted = Q(not_applicable=ACCEPTED)
    declared = Q(not_applicable__in=[DECLARED, ACCEPTED])
    # No ordering: the scores' default one would join visit, plan and unit into the aggregate for nothing.
    rows = (
        CriterionScore.objects.filter(visit_id__any_of=visit_ids, criterion__criteria_set=criteria_set)
        .order_by()
        .values("visit_id", "criterion__area_id")
        .annotate(
            self_total=Sum("self_score", filter=~declared),
            appraised_total=Sum("appraised_score", filter=~accepted),
            appraised_count=Count("appraised_score", filter=~accepted) + Count("id", filter=accepted),
            not_applicable_max=Sum("max_score", filter=accepted),
            self_not_applicable_max=Sum("max_score", filter=declared),
            self_appraised_total=Sum("self_score", filter=~declared & Q(appraised_score__isnull=False)),
        )
    )
    sums: dict[int, dict[int, tuple]] = {vid: {} for vid in visit_ids}
    for row in rows:
        sums[row["visit_id"]][row["criterion__area_id"]] = (
            row["self_total"] or ZERO,
            row["appraised_total"] or ZERO,
            row["appraised_count"],
            row["not_applicable_max"] or ZERO,
            row["self_not_applicable_max"] or ZERO,
            row["self_appraised_total"] or ZERO,
        )
    return sums


def _tallies(visit_ids: list[int]) -> dict[int, tuple]:
    """Each visit's kept sums as stored: (scores version, sums version, criteria key, sums)."""
    return {
        pk: (version, sums_version, key, sums)
        for pk, version, sums_version, key, sums in VisitTally.objects.filter(visit_id__any_of=visit_ids).values_list(
            "visit_id", "scores_version", "sums_version", "criteria_key", "sums"
        )
    }


def _trusted(tally: tuple | None, criteria_key: str) -> bool:
    """Whether a visit's kept sums are those of its scores as they are now, under the set's criteria."""
    if tally is None:
        return False
    version, sums_version, key, sums = tally
    return sums is not None and version == sums_version and key == criteria_key


def _area_sums(
    visit_ids: list[int], criteria_set, criteria_key: str, known: dict[int, tuple] | None = None
) -> dict[int, dict[int, tuple]]:
    """The sums of each visit's scores per area (self, appraised, appraised count, not-applicable maxima,
    and the commune's score of the appraised criteria).

    Kept ones (VisitTally) where still true, the others added up from the scores and kept. The
    version is read before the scores, so sums stored under it can only be older than the version
    says, never newer: a write that commits in between raises the version, and the next reader adds
    up again. Keeping them is best effort: a failure to store costs only speed. `known`: the
    visits' tallies, read by the caller (`_tallies`) before anything else of these visits.
    """
    if len(visit_ids) == 1 and known is None:
        # One visit's page or save: adding up its hundred scores costs less than reading and keeping sums.
        return _summed_scores(visit_ids, criteria_set)
    if known is None:
        known = _tallies(visit_ids)
    result, missing = {}, []
    for vid in visit_ids:
        tally = known.get(vid)
        if _trusted(tally, criteria_key):
            result[vid] = {
                int(area_id): (Decimal(a), Decimal(b), int(c), Decimal(d), Decimal(e), Decimal(f))
                for area_id, (a, b, c, d, e, f) in tally[3].items()
            }
        else:
            missing.append(vid)
    if not missing:
        return result
    fresh = _summed_scores(missing, criteria_set)
    result.update(fresh)
    stored = {
        vid: {str(area): [str(value) for value in values] for area, values in fresh[vid].items()} for vid in missing
    }
    read_at = {vid: known[vid][0] for vid in missing if vid in known}
    try:
        with transaction.atomic():
            if read_at:
                # One statement whatever the number of visits; a row is changed only if no write came
                # since its version was read.
                VisitTally.objects.filter(
                    reduce(operator.or_, (Q(visit_id=vid, scores_version=version) for vid, version in read_at.items()))
                ).update(
                    sums_version=F("scores_version"),
                    criteria_key=criteria_key,
                    sums=Case(
                        *(When(visit_id=vid, then=Value(stored[vid], output_field=JSONField())) for vid in read_at),
                        output_field=JSONField(),
                    ),
                )
            new_rows = [
                VisitTally(visit_id=vid, scores_version=0, sums_version=0, criteria_key=criteria_key, sums=stored[vid])
                for vid in missing
                if vid not in read_at
            ]
            if new_rows:
                VisitTally.objects.bulk_create(new_rows, ignore_conflicts=True)
    except DatabaseError:
        logger.warning("score sums of %s visits not kept", len(missing), exc_info=True)
    return result


def grade_for(
    percent_value: Decimal | None,
    bands: list[ClassificationBand],
    *,
    area_percents: list[tuple[str, Decimal | None]] = (),
    serious_violation: bool = False,
    refused: list[RefusedBand] | None = None,
) -> ClassificationBand | None:
    """The band reached by a percentage and allowed by its rules; bands are data of the criteria set.

    Bands are tried highest first. A band with an area floor is refused when an area lies
    below it; a band that requires no serious violation is refused when one was recorded.
    Refused bands that the percentage reached are appended to `refused`, with the reason.
    """
    if percent_value is None:
        return None
    for band in sorted(bands, key=lambda b: b.min_percent, reverse=True):
        if percent_value < band.min_percent:
            continue
        floor = band.area_floor_percent
        if floor is not None:
            below = [name for name, value in area_percents if value is not None and value < floor]
            if below:
                if refused is not None:
                    refused.append(RefusedBand(label=band.label, rule="area_floor", floor=floor, areas=below))
                continue
        if band.requires_no_serious_violation and serious_violation:
            if refused is not None:
                refused.append(RefusedBand(label=band.label, rule="serious_violation"))
            continue
        return band
    return None


def _adjustment_lines(recorded: list[VisitAdjustment], items: list[AdjustmentItem]) -> list[AdjustmentLine]:
    """One line per item recorded at a visit, its points summed and then held to the item's cap."""
    by_item: dict[int, list[VisitAdjustment]] = {}
    for row in recorded:
        by_item.setdefault(row.item_id, []).append(row)
    lines = []
    for item in items:
        rows = by_item.get(item.pk)
        if not rows:
            continue
        total = sum((row.points for row in rows), ZERO)
        lines.append(
            AdjustmentLine(
                code=item.code,
                title=item.title,
                kind=item.kind,
                max_points=item.max_points,
                recorded=total,
                counted=min(total, item.max_points),
                serious_violation=item.serious_violation,
                notes=[row.note for row in rows],
            )
        )
    return lines


def _capped(lines: list[AdjustmentLine], cap: Decimal | None) -> Decimal:
    total = sum((line.counted for line in lines), ZERO)
    return total if cap is None else min(total, cap)


def _survey_points(weight: Decimal, lines: list[SurveyLine]) -> Decimal:
    """S = W × Σ(w_i × r_i) / (100 × Σ w_i); a missing result counts 0."""
    weights = sum((line.weight for line in lines), ZERO)
    if not weight or not weights:
        return ZERO
    weighted = sum((line.weight * (line.value or ZERO) for line in lines), ZERO)
    return _round(weight * weighted / (HUNDRED * weights))


@dataclass(frozen=True)
class _Method:
    """What a criteria set says about adding up: its outline, areas, bands, bonus/penalty items and survey."""

    maxima: dict
    criteria_key: str
    bands: list
    labels: dict
    items: list
    indices: list
    # The digest of the rows it was read from (`_method_digest`); None where the database gives none.
    digest: str | None = None


def _method_read(criteria_set) -> _Method:
    maxima, criteria_key = _criteria_outline(criteria_set)
    return _Method(
        maxima=maxima,
        criteria_key=criteria_key,
        bands=list(criteria_set.bands.all()),
        labels={
            area.pk: area
            for area in ReviewArea.objects.filter(criteria_set=criteria_set).only(
                "code", "number", "title", "title_en", "order"
            )
        },
        items=list(AdjustmentItem.objects.filter(criteria_set=criteria_set).order_by("kind", "order", "code")),
        indices=list(SurveyIndex.objects.filter(criteria_set=criteria_set).order_by("order", "code")),
    )


# The method of each criteria set read by this process, under the digest of its rows (see `_method`).
_METHODS: dict[tuple, tuple[str, _Method]] = {}
_METHODS_KEPT = 32
# One table's part of the digest: its rows (as `row` shows them) of the set, in the order of their ids.
_DIGEST_PART = (
    "coalesce((SELECT string_agg((%s)::text, ',' ORDER BY t.id) FROM %s t WHERE t.criteria_set_id = %%s), '')"
)
# Each table's rows as the digest sees them: the criteria by what the outline reads (their titles and
# guidance are long and not used in adding up), the others whole.
_METHOD_TABLES = (
    (Criterion, "(t.id, t.area_id, t.parent_id, t.max_score)"),
    (ReviewArea, "t"),
    (ClassificationBand, "t"),
    (AdjustmentItem, "t"),
    (SurveyIndex, "t"),
)


def _method_digest(criteria_set_id: int) -> str | None:
    """A digest of the rows of the set's criteria, areas, bands, items and survey sub-indexes (PostgreSQL only).

    Every column the method reads is in it, so that any change, by any path (a service, the admin,
    a bulk update, a raw statement), gives another digest. None where the database cannot say.
    """
    if connection.vendor != "postgresql":
        return None
    # Bandit B608 reviewed: the statement is built from the models' own table names and the row
    # expressions above, never from input; the criteria set's id goes as a parameter.
    parts = ", ".join(
        _DIGEST_PART % (row, connection.ops.quote_name(model._meta.db_table)) for model, row in _METHOD_TABLES
    )  # nosec
    with connection.cursor() as cursor:
        # Bandit B608 reviewed: `parts` as above; the id is a parameter.
        cursor.execute(f"SELECT md5(concat_ws('|', {parts}))", [criteria_set_id] * len(_METHOD_TABLES))  # nosec
        return cursor.fetchone()[0]


def _method(criteria_set) -> _Method:
    """The set's method, read once per process and used again while the database holds the same rows.

    Five queries (and their model instances) become one digest query on a page or a save. The
    objects are shared between requests and only read. Without a digest (SQLite) it is read each time.
    """
    digest = _method_digest(criteria_set.pk)
    if digest is None:
        return _method_read(criteria_set)
    key = (connection.alias, connection.settings_dict["NAME"], criteria_set.pk)
    kept = _METHODS.get(key)
    if kept is not None and kept[0] == digest:
        return kept[1]
    method = replace(_method_read(criteria_set), digest=digest)
    if len(_METHODS) >= _METHODS_KEPT:
        _METHODS.clear()
    _METHODS[key] = (digest, method)
    return method


# Results of several visits added up by this process (the dashboard, the report, the export), each under
# everything it was added up from; see `_computed_results`.
# About 13 KB a visit: 4,000 (the current round of every commune of a country's provinces) hold ~50 MB.
_RESULTS: dict[int, tuple[tuple, "VisitResult"]] = {}
_RESULTS_KEPT = 4_000


def _computed_results(*, visit_ids: list[int], criteria_set) -> dict[int, VisitResult]:
    """Totals of each visit computed from its scores now, in a fixed number of queries whatever the number of visits.

    A list of visits (a province's dashboard reads 170) finds most of them unchanged since its last
    reading: a result added up by this process is used again while everything it came from is the
    same, which every reading checks: the method's digest, the set's weight and caps, the visit's
    kept sums (trusted only while no write of its scores came since they were added up, see
    `_area_sums`), its bonus and penalty entries and its survey results, read each time. Results
    are shared by the requests of a process and only read. Without a method digest (SQLite)
    nothing is kept.
    """
    method = _method(criteria_set)
    maxima, criteria_key, bands, labels = method.maxima, method.criteria_key, method.bands, method.labels
    survey_weight = criteria_set.survey_weight or ZERO
    if not visit_ids:
        return {}

    known = _tallies(visit_ids) if len(visit_ids) > 1 else None
    items = method.items
    recorded: dict[int, list[VisitAdjustment]] = {}
    if items:
        for row in VisitAdjustment.objects.filter(visit_id__any_of=visit_ids, item__criteria_set=criteria_set).only(
            "visit_id", "item_id", "points", "note"
        ):
            recorded.setdefault(row.visit_id, []).append(row)
    indices = method.indices
    survey_values: dict[tuple[int, int], Decimal] = {}
    if indices:
        survey_values = {
            (visit_id, index_id): value
            for visit_id, index_id, value in SurveyResult.objects.filter(
                visit_id__any_of=visit_ids, index__criteria_set=criteria_set
            ).values_list("visit_id", "index_id", "value")
        }

    results: dict[int, VisitResult] = {}
    sources: dict[int, tuple] = {}
    if known is not None and method.digest is not None:
        common = (method.digest, survey_weight, criteria_set.bonus_cap, criteria_set.penalty_cap)
        for vid in visit_ids:
            tally = known.get(vid)
            if not _trusted(tally, criteria_key):
                continue
            sources[vid] = (
                common,
                tally[0],
                tuple((row.item_id, row.points, row.note) for row in recorded.get(vid, ())),
                tuple(survey_values.get((vid, index.pk)) for index in indices),
            )
            kept = _RESULTS.get(vid)
            if kept is not None and kept[0] == sources[vid]:
                results[vid] = kept[1]
    to_add = [vid for vid in visit_ids if vid not in results]
    if not to_add:
        return results

    def area_result(area_id, maximum, count):
        area = labels.get(area_id)
        return AreaResult(
            area_id=area_id,
            max_score=maximum,
            leaf_count=count,
            code=area.code if area else "",
            number=area.number if area else "",
            title=area.title if area else "",
            title_en=area.title_en if area else "",
            order=area.order if area else 0,
        )

    fresh = {
        vid: VisitResult(
            visit_id=vid,
            max_score=sum((m for m, _count in maxima.values()), ZERO),
            areas={area_id: area_result(area_id, m, count) for area_id, (m, count) in maxima.items()},
            survey_weight=survey_weight,
            bonus_cap=criteria_set.bonus_cap,
            penalty_cap=criteria_set.penalty_cap,
        )
        for vid in to_add
    }
    for vid, per_area in _area_sums(to_add, criteria_set, criteria_key, known=known).items():
        areas = fresh[vid].areas
        for area_id, (self_total, appraised_total, count, na_max, self_na_max, self_appraised) in per_area.items():
            area = areas.get(area_id)
            if area is None:
                continue
            area.self_score, area.appraised_score, area.appraised_count = self_total, appraised_total, count
            area.not_applicable_max, area.self_not_applicable_max = na_max, self_na_max
            area.self_appraised_score = self_appraised

    for vid, result in fresh.items():
        result.adjustments = _adjustment_lines(recorded.get(vid, []), items)
        result.bonus = _capped(result.bonus_lines, criteria_set.bonus_cap)
        result.penalty = _capped(result.penalty_lines, criteria_set.penalty_cap)
        result.serious_violation = any(line.serious_violation for line in result.penalty_lines)
        if survey_weight:
            result.survey = [
                SurveyLine(
                    code=index.code, title=index.title, weight=index.weight, value=survey_values.get((vid, index.pk))
                )
                for index in indices
            ]
            result.survey_points = _survey_points(survey_weight, result.survey)
        # A grade is given only once every criterion is appraised; until then the percentage is provisional.
        if result.is_complete:
            result.grade = grade_for(
                result.percent,
                bands,
                area_percents=[(f"{a.number}. {a.title}", a.percent) for a in result.ordered_areas],
                serious_violation=result.serious_violation,
                refused=result.refused_bands,
            )
        if vid in sources:
            if len(_RESULTS) >= _RESULTS_KEPT:
                _RESULTS.clear()
            _RESULTS[vid] = (sources[vid], result)
    results.update(fresh)
    return {vid: results[vid] for vid in visit_ids}


class _WithoutKey(Func):
    """A JSON object without one of its keys, taken out by the database before the object is sent."""

    output_field = JSONField()

    def __init__(self, expression, key: str):
        super().__init__(expression)
        self.key = key

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"JSON_REMOVE({sql}, %s)", (*params, f"$.{self.key}")

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} - %s::text)", (*params, self.key)


def visit_results(
    *, visits, criteria_set, criteria_lines: bool = True, read_unsigned: bool = False
) -> dict[int, VisitResult]:
    """The result of each visit, per area and overall: as signed for signed minutes, else computed now.

    A visit whose minutes are signed gets the result stored at signing; the others
    are computed from their scores. The number of queries does not grow with the visits.
    Lists that show totals only pass `criteria_lines=False`: a signed result then comes
    without its criteria lines (`VisitResult.criteria` empty), which the database leaves
    out of the stored result it sends (some 12 KB a visit). `read_unsigned`: the caller has read every
    one of these visits in this request and none was locked (Visit.is_locked), so none has signed
    minutes to read: a page or save of an open visit computes its result without asking.
    """
    visit_ids = [v.pk for v in visits]
    snapshot = F("result_snapshot") if criteria_lines else _WithoutKey(F("result_snapshot"), "criteria")
    signed = (
        {}
        if read_unsigned
        else dict(
            Minutes.objects.filter(visit_id__any_of=visit_ids, signed_at__isnull=False, result_snapshot__isnull=False)
            .order_by()
            .annotate(stored=snapshot)
            .values_list("visit_id", "stored")
        )
    )
    results = {vid: result_from_snapshot(vid, data) for vid, data in signed.items()}
    results.update(_computed_results(visit_ids=[v for v in visit_ids if v not in signed], criteria_set=criteria_set))
    return {vid: results[vid] for vid in visit_ids}


def _number(value: Decimal | None) -> str | None:
    # Scores have two decimal places in the database: stored the same way whether read or just typed.
    return None if value is None else str(Decimal(value).quantize(TWO_PLACES))


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def visit_result_snapshot(*, visit: Visit) -> dict:
    """The visit's result computed now, as data to store with signed minutes (JSON: numbers as strings).

    Holds the totals per area and overall, the conversion of not-applicable criteria, the
    bonus, penalty and survey lines, the percentages, the grade and the bands refused by a
    rule, and the final score of every scored criterion the totals rest on.
    """
    return visit_result_snapshots(visits=[visit], criteria_set=visit.plan.criteria_set)[visit.pk]


def visit_result_snapshots(*, visits, criteria_set) -> dict[int, dict]:
    """`visit_result_snapshot` of each visit of one criteria set, in a fixed number of queries."""
    visit_ids = [v.pk for v in visits]
    results = _computed_results(visit_ids=visit_ids, criteria_set=criteria_set)
    scores: dict[int, dict[int, tuple]] = {vid: {} for vid in visit_ids}
    for visit_id, criterion_id, *values in (
        CriterionScore.objects.filter(visit_id__any_of=visit_ids, criterion__criteria_set=criteria_set)
        .order_by()
        .values_list("visit_id", "criterion_id", "self_score", "appraised_score", "not_applicable")
    ):
        scores[visit_id][criterion_id] = values
    leaves = list(
        leaf_criteria(criteria_set).select_related("area").order_by("area__order", "area__number", "order", "code")
    )
    return {vid: _snapshot(results[vid], scores[vid], leaves, criteria_set) for vid in visit_ids}


def _snapshot(result: VisitResult, scores: dict[int, tuple], leaves: list, criteria_set) -> dict:
    """One visit's snapshot: `scores` maps a criterion id to (self score, appraised score, not applicable)."""
    grade = result.grade
    return {
        "version": SNAPSHOT_VERSION,
        "criteria_set": {
            "id": criteria_set.pk,
            "name": criteria_set.name,
            "total_max": _number(criteria_set.total_max),
        },
        "max_score": _number(result.max_score),
        "self_score": _number(result.self_score),
        "appraised_score": _number(result.appraised_score),
        "appraised_count": result.appraised_count,
        "not_applicable_max": _number(result.not_applicable_max),
        "converted_score": _number(result.converted_score),
        "survey_weight": _number(result.survey_weight),
        "survey_points": _number(result.survey_points),
        "bonus": _number(result.bonus),
        "penalty": _number(result.penalty),
        "bonus_cap": _number(result.bonus_cap),
        "penalty_cap": _number(result.penalty_cap),
        "total_score": _number(result.total_score),
        "serious_violation": result.serious_violation,
        "percent": _number(result.percent),
        "self_percent": _number(result.self_percent),
        "complete": result.is_complete,
        "grade": None
        if grade is None
        else {"label": grade.label, "min_percent": str(grade.min_percent), "color": grade.color},
        "refused_bands": [
            {"label": band.label, "rule": band.rule, "floor": _number(band.floor), "areas": band.areas}
            for band in result.refused_bands
        ],
        "adjustments": [
            {
                "code": line.code,
                "title": line.title,
                "kind": line.kind,
                "max_points": _number(line.max_points),
                "recorded": _number(line.recorded),
                "counted": _number(line.counted),
                "serious_violation": line.serious_violation,
                "notes": line.notes,
            }
            for line in result.adjustments
        ],
        "survey": [
            {"code": line.code, "title": line.title, "weight": _number(line.weight), "value": _number(line.value)}
            for line in result.survey
        ],
        "areas": [
            {
                "area_id": area.area_id,
                "code": area.code,
                "number": area.number,
                "title": area.title,
                "order": area.order,
                "max_score": _number(area.max_score),
                "leaf_count": area.leaf_count,
                "self_score": _number(area.self_score),
                "appraised_score": _number(area.appraised_score),
                "appraised_count": area.appraised_count,
                "not_applicable_max": _number(area.not_applicable_max),
                "percent": _number(area.percent),
                "self_percent": _number(area.self_percent),
            }
            for area in result.ordered_areas
        ],
        "criteria": [
            {
                "criterion_id": criterion.pk,
                "area_id": criterion.area_id,
                "code": criterion.code,
                "title": criterion.title,
                "max_score": _number(criterion.max_score),
                "self_score": _number(scores[criterion.pk][0]) if criterion.pk in scores else None,
                "appraised_score": _number(scores[criterion.pk][1]) if criterion.pk in scores else None,
                "not_applicable": scores[criterion.pk][2] if criterion.pk in scores else "",
            }
            for criterion in leaves
        ],
    }


def result_from_snapshot(visit_id: int, data: dict) -> VisitResult:
    """A VisitResult holding exactly the figures stored at signing.

    A version-1 result (stored before not-applicable criteria, bonus, penalty and survey
    existed) reads as having none of them: its total is its appraised score.
    """
    areas = {}
    for row in data["areas"]:
        areas[row["area_id"]] = AreaResult(
            area_id=row["area_id"],
            max_score=_decimal(row["max_score"]),
            leaf_count=row["leaf_count"],
            self_score=_decimal(row["self_score"]),
            appraised_score=_decimal(row["appraised_score"]),
            appraised_count=row["appraised_count"],
            not_applicable_max=_decimal(row.get("not_applicable_max")) or ZERO,
            code=row["code"],
            number=row["number"],
            title=row["title"],
            order=row["order"],
            stored={"percent": _decimal(row["percent"]), "self_percent": _decimal(row["self_percent"])},
        )
    grade = data.get("grade")
    return VisitResult(
        visit_id=visit_id,
        max_score=_decimal(data["max_score"]),
        areas=areas,
        grade=None
        if grade is None
        else ClassificationBand(label=grade["label"], min_percent=_decimal(grade["min_percent"]), color=grade["color"]),
        stored={
            "percent": _decimal(data["percent"]),
            "self_percent": _decimal(data["self_percent"]),
            "complete": data["complete"],
            # Version 1 had no bonus, penalty, survey or conversion: its total is its appraised score.
            "total_score": _decimal(data.get("total_score", data["appraised_score"])),
        },
        criteria=[
            CriterionLine(
                criterion_id=row["criterion_id"],
                area_id=row["area_id"],
                code=row["code"],
                title=row["title"],
                max_score=_decimal(row["max_score"]),
                self_score=_decimal(row["self_score"]),
                appraised_score=_decimal(row["appraised_score"]),
                not_applicable=row.get("not_applicable", ""),
            )
            for row in data.get("criteria", [])
        ],
        survey_weight=_decimal(data.get("survey_weight")) or ZERO,
        survey_points=_decimal(data.get("survey_points")) or ZERO,
        bonus=_decimal(data.get("bonus")) or ZERO,
        penalty=_decimal(data.get("penalty")) or ZERO,
        bonus_cap=_decimal(data.get("bonus_cap")),
        penalty_cap=_decimal(data.get("penalty_cap")),
        serious_violation=data.get("serious_violation", False),
        adjustments=[
            AdjustmentLine(
                code=row["code"],
                title=row["title"],
                kind=row["kind"],
                max_points=_decimal(row["max_points"]),
                recorded=_decimal(row["recorded"]),
                counted=_decimal(row["counted"]),
                serious_violation=row["serious_violation"],
                notes=row.get("notes", []),
            )
            for row in data.get("adjustments", [])
        ],
        survey=[
            SurveyLine(
                code=row["code"], title=row["title"], weight=_decimal(row["weight"]), value=_decimal(row["value"])
            )
            for row in data.get("survey", [])
        ],
        refused_bands=[
            RefusedBand(label=row["label"], rule=row["rule"], floor=_decimal(row["floor"]), areas=row["areas"])
            for row in data.get("refused_bands", [])
        ],
    )
