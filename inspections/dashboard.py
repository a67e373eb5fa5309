"""The campaign dashboard's rows, shaped once for the page and the spreadsheet from campaign_results."""

from dataclasses import dataclass
from decimal import Decimal

from .models import Visit
from .results import CampaignResults, CommuneRow


@dataclass
class AreaCell:
    area: object
    percent: Decimal | None
    self_percent: Decimal | None
    change: Decimal | None


@dataclass
class DashboardRow:
    """One commune on the dashboard: area cells, totals, change and finding counts, own and carried together."""

    row: CommuneRow
    cells: list[AreaCell]
    open: int
    remedied: int
    overdue: int
    has_self_score: bool = True
    # Of the open ones, those already carried into next year's visit.
    carried_on: int = 0

    @property
    def visit(self):
        return self.row.visit


@dataclass
class StatusCount:
    status: str
    label: str
    count: int
    percent: int


def dashboard_rows(results: CampaignResults) -> list[DashboardRow]:
    """Rows in rank order (unranked communes last, by name)."""
    rows = []
    for row in results.ranked_rows:
        cells = [
            AreaCell(
                area=area,
                percent=row.area_percents.get(area.code),
                self_percent=row.area_self_percents.get(area.code),
                change=row.area_change(area.code),
            )
            for area in results.areas
        ]
        rows.append(
            DashboardRow(
                row=row,
                cells=cells,
                open=row.findings.unresolved + row.carried.unresolved,
                remedied=row.findings.remedied + row.carried.remedied,
                overdue=row.findings.overdue + row.carried.overdue,
                has_self_score=row.has_self_score,
                carried_on=row.findings.carried_over + row.carried.carried_over,
            )
        )
    return rows


def status_progress(results: CampaignResults) -> list[StatusCount]:
    """How many visits stand at each status, in the order of the cycle."""
    counts = results.status_counts
    total = sum(counts.values()) or 1
    return [
        StatusCount(
            status=value,
            label=str(label),
            count=counts.get(value, 0),
            percent=round(100 * counts.get(value, 0) / total),
        )
        for value, label in Visit.Status.choices
    ]
