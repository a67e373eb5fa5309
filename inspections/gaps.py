"""The gap between a commune's self score and the team's appraised score, per criterion.

gap = appraised − self: negative where the commune rated itself higher than the team did. A gap is
*large* when its size is at least half the criterion's maximum (LARGE_GAP_SHARE): on a 2-point
criterion a difference of 1 point, on a 10-point one 5 points. Signed visits read their gaps from the
result stored at signing, so a signed document and this page never disagree.
"""

from dataclasses import dataclass
from decimal import Decimal

from communes.folding import name_key

from . import scoring, selectors

LARGE_GAP_SHARE = Decimal("0.5")
# Lines shown on a campaign's "largest gaps" page; the criteria summary counts them all.
GAP_LIST_LIMIT = 100


def criterion_gap(self_score: Decimal | None, appraised_score: Decimal | None) -> Decimal | None:
    """appraised − self, or None until both are given."""
    if self_score is None or appraised_score is None:
        return None
    return appraised_score - self_score


def is_large_gap(gap: Decimal | None, max_score: Decimal | None) -> bool:
    """Whether the gap is at least LARGE_GAP_SHARE of the criterion's maximum (never for a 0-point criterion)."""
    if gap is None or not max_score:
        return False
    return abs(gap) >= max_score * LARGE_GAP_SHARE


@dataclass
class GapLine:
    visit: object
    criterion_id: int
    code: str
    title: str
    max_score: Decimal
    self_score: Decimal
    appraised_score: Decimal

    @property
    def gap(self) -> Decimal:
        return self.appraised_score - self.self_score

    @property
    def share(self) -> Decimal:
        """The size of the gap as a share of the maximum, for ranking across criteria of different weights."""
        return abs(self.gap) / self.max_score if self.max_score else Decimal(0)

    @property
    def is_large(self) -> bool:
        return is_large_gap(self.gap, self.max_score)


@dataclass
class CriterionGaps:
    """One criterion across the campaign's communes: how often and how far the two scores part."""

    code: str
    title: str
    max_score: Decimal
    lines: int = 0
    large: int = 0
    total_gap: Decimal = Decimal(0)

    @property
    def mean_gap(self) -> Decimal:
        return self.total_gap / self.lines if self.lines else Decimal(0)


def plan_gap_lines(user, *, plan) -> list[GapLine]:
    """Every criterion of the visits the user sees in the campaign with both scores and a gap, largest first.

    Signed visits give their stored lines; the others their current scores (one query for all of them).
    """
    visits = list(selectors.visit_list_for_user(user, plan=plan).order_by())
    by_id = {visit.pk: visit for visit in visits}
    results = scoring.visit_results(visits=visits, criteria_set=plan.criteria_set)
    lines = []
    signed = {vid for vid, result in results.items() if result.is_signed}
    for vid in signed:
        for c in results[vid].criteria:
            if c.self_score is not None and c.appraised_score is not None and c.self_score != c.appraised_score:
                lines.append(
                    GapLine(by_id[vid], c.criterion_id, c.code, c.title, c.max_score, c.self_score, c.appraised_score)
                )
    open_ids = [vid for vid in by_id if vid not in signed]
    if open_ids:
        scores = (
            selectors.score_list_for_user(user)
            .filter(visit_id__in=open_ids, self_score__isnull=False, appraised_score__isnull=False)
            .order_by()
            .values_list(
                "visit_id",
                "criterion_id",
                "criterion__code",
                "criterion__title",
                "max_score",
                "self_score",
                "appraised_score",
            )
        )
        for vid, cid, code, title, max_score, self_score, appraised in scores:
            if self_score != appraised:
                lines.append(GapLine(by_id[vid], cid, code, title, max_score, self_score, appraised))
    lines.sort(key=lambda line: (-line.share, -abs(line.gap), line.code, name_key(line.visit.unit.name)))
    return lines


def criterion_gap_summary(lines: list[GapLine]) -> list[CriterionGaps]:
    """The gaps grouped by criterion code, those with the most large gaps first."""
    summary: dict[str, CriterionGaps] = {}
    for line in lines:
        entry = summary.setdefault(line.code, CriterionGaps(line.code, line.title, line.max_score))
        entry.lines += 1
        entry.large += line.is_large
        entry.total_gap += line.gap
    return sorted(summary.values(), key=lambda e: (-e.large, -e.lines, e.mean_gap, e.code))
