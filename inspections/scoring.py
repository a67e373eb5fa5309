"""Score arithmetic: totals and percentages of visits, per area and overall, and grades.

Score of a commune = sum of appraised scores / sum of the maxima of the scored
(leaf) criteria, as a percentage; the same per review area. Self scores are
summed alongside so that the gap stays visible.

This is the one place a visit's result is computed. Signing the minutes stores its
output (`visit_result_snapshot`) on the minutes, and `visit_results` reads that
stored result for a visit whose minutes are signed, so that no later change to the
criteria, maxima, bands, areas or scores alters what was signed.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Sum

from .models import ClassificationBand, Criterion, CriterionScore, Minutes, ReviewArea, Visit

# Bump when the layout of a stored result changes; readers keep understanding older layouts.
SNAPSHOT_VERSION = 1

ZERO = Decimal("0")
HUNDRED = Decimal("100")
TWO_PLACES = Decimal("0.01")


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class AreaResult:
    area_id: int
    max_score: Decimal
    leaf_count: int = 0
    self_score: Decimal = ZERO
    appraised_score: Decimal = ZERO
    appraised_count: int = 0
    # The area as it was named when the result was computed (or signed).
    code: str = ""
    number: str = ""
    title: str = ""
    order: int = 0
    # Set on a signed result: the figures as signed, never recomputed.
    stored: dict | None = None

    @property
    def percent(self) -> Decimal | None:
        if self.stored is not None:
            return self.stored["percent"]
        return percent(self.appraised_score, self.max_score) if self.appraised_count else None

    @property
    def self_percent(self) -> Decimal | None:
        if self.stored is not None:
            return self.stored["self_percent"]
        return percent(self.self_score, self.max_score)

    @property
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


@dataclass
class VisitResult:
    visit_id: int
    max_score: Decimal
    areas: dict[int, AreaResult] = field(default_factory=dict)
    grade: ClassificationBand | None = None
    # Set when the result is read from signed minutes: the stored percentages and the criteria lines.
    stored: dict | None = None
    criteria: list[CriterionLine] = field(default_factory=list)

    @property
    def is_signed(self) -> bool:
        """The result was stored when the minutes were signed; nothing later changes it."""
        return self.stored is not None

    @property
    def ordered_areas(self) -> list[AreaResult]:
        return sorted(self.areas.values(), key=lambda a: (a.order, a.number))

    @property
    def self_score(self) -> Decimal:
        return sum((a.self_score for a in self.areas.values()), ZERO)

    @property
    def appraised_score(self) -> Decimal:
        return sum((a.appraised_score for a in self.areas.values()), ZERO)

    @property
    def appraised_count(self) -> int:
        return sum(a.appraised_count for a in self.areas.values())

    @property
    def percent(self) -> Decimal | None:
        if self.stored is not None:
            return self.stored["percent"]
        return percent(self.appraised_score, self.max_score) if self.appraised_count else None

    @property
    def self_percent(self) -> Decimal | None:
        if self.stored is not None:
            return self.stored["self_percent"]
        return percent(self.self_score, self.max_score)

    @property
    def gap(self) -> Decimal:
        return self.appraised_score - self.self_score

    @property
    def is_complete(self) -> bool:
        """Every scored criterion has been appraised: only then is the grade final."""
        if self.stored is not None:
            return self.stored["complete"]
        return all(a.is_complete for a in self.areas.values())


def leaf_criteria(criteria_set):
    """The scored criteria of a set: those with no children."""
    children = Criterion.objects.filter(parent=OuterRef("pk"))
    return Criterion.objects.filter(criteria_set=criteria_set).exclude(Exists(children))


def area_maxima(criteria_set) -> dict[int, tuple[Decimal, int]]:
    """The maximum score and the number of scored criteria of each review area."""
    rows = leaf_criteria(criteria_set).values("area_id").annotate(total=Sum("max_score"), count=Count("id"))
    return {row["area_id"]: (row["total"] or ZERO, row["count"]) for row in rows}


def grade_for(percent_value: Decimal | None, bands: list[ClassificationBand]) -> ClassificationBand | None:
    """The band reached by a percentage; bands are data of the criteria set, highest first."""
    if percent_value is None:
        return None
    for band in sorted(bands, key=lambda b: b.min_percent, reverse=True):
        if percent_value >= band.min_percent:
            return band
    return None


def _computed_results(*, visit_ids: list[int], criteria_set) -> dict[int, VisitResult]:
    """Totals of each visit computed from its scores now, in four queries whatever the number of visits."""
    maxima = area_maxima(criteria_set)
    bands = list(criteria_set.bands.all())
    labels = {
        area.pk: area
        for area in ReviewArea.objects.filter(criteria_set=criteria_set).only("code", "number", "title", "order")
    }

    def area_result(area_id, maximum, count):
        area = labels.get(area_id)
        return AreaResult(
            area_id=area_id,
            max_score=maximum,
            leaf_count=count,
            code=area.code if area else "",
            number=area.number if area else "",
            title=area.title if area else "",
            order=area.order if area else 0,
        )

    results = {
        vid: VisitResult(
            visit_id=vid,
            max_score=sum((m for m, _count in maxima.values()), ZERO),
            areas={area_id: area_result(area_id, m, count) for area_id, (m, count) in maxima.items()},
        )
        for vid in visit_ids
    }
    if not visit_ids:
        return results
    # No ordering: the scores' default one would join visit, plan and unit into the aggregate for nothing.
    rows = (
        CriterionScore.objects.filter(visit_id__in=visit_ids, criterion__criteria_set=criteria_set)
        .order_by()
        .values("visit_id", "criterion__area_id")
        .annotate(
            self_total=Sum("self_score"),
            appraised_total=Sum("appraised_score"),
            appraised_count=Count("appraised_score"),
        )
    )
    for row in rows:
        area = results[row["visit_id"]].areas.get(row["criterion__area_id"])
        if area is None:
            continue
        area.self_score = row["self_total"] or ZERO
        area.appraised_score = row["appraised_total"] or ZERO
        area.appraised_count = row["appraised_count"]
    for result in results.values():
        # A grade is given only once every criterion is appraised; until then the percentage is provisional.
        result.grade = grade_for(result.percent, bands) if result.is_complete else None
    return results


def visit_results(*, visits, criteria_set) -> dict[int, VisitResult]:
    """The result of each visit, per area and overall: as signed for signed minutes, else computed now.

    A visit whose minutes are signed gets the result stored at signing; the others
    are computed from their scores. The number of queries does not grow with the visits.
    """
    visit_ids = [v.pk for v in visits]
    signed = dict(
        Minutes.objects.filter(visit_id__in=visit_ids, signed_at__isnull=False, result_snapshot__isnull=False)
        .order_by()
        .values_list("visit_id", "result_snapshot")
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

    Holds the totals per area and overall, the percentages, the grade and its band,
    and the final score of every scored criterion the totals rest on.
    """
    criteria_set = visit.plan.criteria_set
    result = _computed_results(visit_ids=[visit.pk], criteria_set=criteria_set)[visit.pk]
    scores = {
        s.criterion_id: s
        for s in CriterionScore.objects.filter(visit=visit, criterion__criteria_set=criteria_set).only(
            "criterion_id", "self_score", "appraised_score"
        )
    }
    leaves = leaf_criteria(criteria_set).select_related("area").order_by("area__order", "area__number", "order", "code")
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
        "percent": _number(result.percent),
        "self_percent": _number(result.self_percent),
        "complete": result.is_complete,
        "grade": None
        if grade is None
        else {"label": grade.label, "min_percent": str(grade.min_percent), "color": grade.color},
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
                "self_score": _number(scores[criterion.pk].self_score) if criterion.pk in scores else None,
                "appraised_score": _number(scores[criterion.pk].appraised_score) if criterion.pk in scores else None,
            }
            for criterion in leaves
        ],
    }


def result_from_snapshot(visit_id: int, data: dict) -> VisitResult:
    """A VisitResult holding exactly the figures stored at signing."""
    areas = {}
    for row in data["areas"]:
        areas[row["area_id"]] = AreaResult(
            area_id=row["area_id"],
            max_score=_decimal(row["max_score"]),
            leaf_count=row["leaf_count"],
            self_score=_decimal(row["self_score"]),
            appraised_score=_decimal(row["appraised_score"]),
            appraised_count=row["appraised_count"],
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
            )
            for row in data["criteria"]
        ],
    )
