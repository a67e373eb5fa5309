"""Score arithmetic: totals and percentages of visits, per area and overall, and grades.

Score of a commune = sum of appraised scores / sum of the maxima of the scored
(leaf) criteria, as a percentage; the same per review area. Self scores are
summed alongside so that the gap stays visible.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Sum

from .models import ClassificationBand, Criterion, CriterionScore

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

    @property
    def percent(self) -> Decimal | None:
        return percent(self.appraised_score, self.max_score) if self.appraised_count else None

    @property
    def self_percent(self) -> Decimal | None:
        return percent(self.self_score, self.max_score)

    @property
    def is_complete(self) -> bool:
        return self.appraised_count >= self.leaf_count


@dataclass
class VisitResult:
    visit_id: int
    max_score: Decimal
    areas: dict[int, AreaResult] = field(default_factory=dict)
    grade: ClassificationBand | None = None

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
        return percent(self.appraised_score, self.max_score) if self.appraised_count else None

    @property
    def self_percent(self) -> Decimal | None:
        return percent(self.self_score, self.max_score)

    @property
    def gap(self) -> Decimal:
        return self.appraised_score - self.self_score

    @property
    def is_complete(self) -> bool:
        """Every scored criterion has been appraised: only then is the grade final."""
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


def visit_results(*, visits, criteria_set) -> dict[int, VisitResult]:
    """Totals of each visit, per area and overall, in three queries whatever the number of visits."""
    visit_ids = [v.pk for v in visits]
    maxima = area_maxima(criteria_set)
    bands = list(criteria_set.bands.all())
    results = {
        vid: VisitResult(
            visit_id=vid,
            max_score=sum((m for m, _count in maxima.values()), ZERO),
            areas={
                area_id: AreaResult(area_id=area_id, max_score=m, leaf_count=count)
                for area_id, (m, count) in maxima.items()
            },
        )
        for vid in visit_ids
    }
    if not visit_ids:
        return results
    rows = (
        CriterionScore.objects.filter(visit_id__in=visit_ids, criterion__criteria_set=criteria_set)
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
