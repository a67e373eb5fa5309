"""The data of the district summary report, read from the models of one campaign.

Built from the models, not from screens: campaign results (scores, grades, ranks,
year-over-year), the team and schedule, the findings gathered per review area,
last year's findings with what became of them, and the common recommendations.
The number of queries does not grow with the number of communes.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communes.folding import dictionary_order, name_key
from communes.models import AdministrativeUnit
from communes.selectors import lineages as unit_lineages
from inspections.models import CriterionScore, Finding, InspectionPlan, ReviewArea, TeamGroup, TeamMember, Visit
from inspections.results import AreaSummary, CampaignResults, CommuneRow, campaign_results
from inspections.scoring import leaf_criteria
from reports import charts

from . import common, formatting

# The ranking chart is split so that each drawing fits on an A4 page.
RANKING_ROWS_PER_CHART = 40
MAX_NAMED_COMMUNES = 8


@dataclass
class Gathered:
    """One finding text and the communes where the team recorded it."""

    text: str
    communes: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        """The communes by name, or only how many when a province names dozens."""
        count = len(self.communes)
        if count <= MAX_NAMED_COMMUNES:
            return ", ".join(self.communes)
        return ngettext("%(count)s commune", "%(count)s communes", count) % {"count": count}


@dataclass
class AreaSection:
    area: ReviewArea
    summary: AreaSummary
    groups: list[str]
    strengths: list[Gathered]
    shortcomings: list[Gathered]


@dataclass
class CarriedLine:
    """Last year's findings of one commune: how many were remedied, and those still open."""

    unit: AdministrativeUnit
    total: int = 0
    remedied: int = 0
    still_open: list[str] = field(default_factory=list)


@dataclass
class Question:
    unit: AdministrativeUnit
    text: str
    answer: str


@dataclass
class DistrictReport:
    plan: InspectionPlan
    letterhead: common.Letterhead
    signature: common.Signature
    results: CampaignResults
    rows: list[CommuneRow]
    members: list[TeamMember]
    groups: list[TeamGroup]
    visits: list[Visit]
    sections: list[AreaSection]
    carried: list[CarriedLine]
    recommendations: list[Gathered]
    questions: list[Question]
    area_chart: str
    ranking_charts: list[str]
    complete_count: int
    lead: TeamMember | None
    # The visits whose self-assessment is complete (submitted, or scored on every criterion).
    self_complete: set[int] = field(default_factory=set)
    # The overall assessment and the proposals, one paragraph a line: the secretariat's text, or the draft.
    assessment: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)
    # While a visit is unfinished the report is a draft: a DỰ THẢO mark and no date.
    is_draft: bool = False
    # The texts drawn from the findings, offered to the secretariat to edit.
    assessment_draft: str = ""
    proposals_draft: str = ""

    @property
    def max_score(self):
        return self.rows[0].result.max_score if self.rows else None

    @property
    def units_phrase(self) -> str:
        """The kinds of unit inspected, named together: "xã, thị trấn", since 2025 "xã, phường, đặc khu"."""
        return self.results.units_phrase

    @property
    def authority_phrase(self) -> str:
        return formatting.committee_of(self.plan.authority)

    @property
    def period(self) -> str:
        return _("from %(start)s to %(end)s") % {
            "start": formatting.short_date(self.plan.round_start),
            "end": formatting.short_date(self.plan.round_end),
        }

    @property
    def area_table(self) -> list[tuple[str, list]]:
        """Each appraised commune's percentage in each review area, in the order of the results table."""
        codes = [area.code for area in self.results.areas]
        table = [(str(row.unit), [row.area_percents.get(code) for code in codes]) for row in self.rows]
        return [(name, cells) for name, cells in table if any(cell is not None for cell in cells)]

    @property
    def unappraised_units(self) -> list[str]:
        """The communes with no appraised area yet: named under the table instead of an empty row."""
        return [row.unit.name_in_sentence for row in self.rows if not row.result.appraised_count]

    @cached_property
    def gap_shown(self) -> set[int]:
        """The visits whose self/appraised gap is printed: both the self-assessment and the appraisal complete.

        Computed once: the results table asks for it on each of its rows.
        """
        return {row.visit.pk for row in self.rows if row.result.is_complete and row.visit.pk in self.self_complete}


def report_date(plan: InspectionPlan, today: dt.date) -> dt.date:
    """Today, kept within the campaign's year and after its round, for a report about a past year."""
    return max(plan.round_end, min(today, dt.date(plan.year, 12, 31)))


def self_complete_visits(plan: InspectionPlan, leaf_count: int) -> set[int]:
    """The visits whose self-assessment is submitted, or self-scored on every scored criterion."""
    scored = (
        CriterionScore.objects.filter(visit__plan=plan, self_score__isnull=False)
        .order_by()
        .values("visit_id")
        .annotate(n=Count("id"))
    )
    complete = {row["visit_id"] for row in scored if leaf_count and row["n"] >= leaf_count}
    submitted = Visit.objects.filter(plan=plan, self_submitted_at__isnull=False).values_list("pk", flat=True)
    return complete | set(submitted)


def is_unfinished(visit: Visit) -> bool:
    """A visit whose minutes are not signed yet: its results may still change."""
    return visit.status not in Visit.LOCKED_STATUSES


def report_order(rows: list[CommuneRow]) -> list[CommuneRow]:
    """Ranked communes by rank; then those partly scored; then those not started; by name within each."""

    def group(row: CommuneRow) -> int:
        if row.rank is not None:
            return 0
        if row.has_self_score or row.result.appraised_count:
            return 1
        return 2

    return sorted(rows, key=lambda r: (group(r), r.rank or 0, name_key(r.unit.name)))


def _gather(findings, key) -> list[Gathered]:
    gathered: dict[str, Gathered] = {}
    for finding in findings:
        text = key(finding).strip()
        if not text:
            continue
        entry = gathered.setdefault(text, Gathered(text=text))
        name = finding.visit.unit.name_in_sentence
        if name not in entry.communes:
            entry.communes.append(name)
    # The most widespread first; equal ones in the order they were recorded.
    return sorted(gathered.values(), key=lambda g: -len(g.communes))


def _carried_lines(plan: InspectionPlan, previous_plans: list[InspectionPlan], rows: list[CommuneRow]):
    """For each commune, last year's actionable findings (its predecessors' too): remedied or still open."""
    if not previous_plans:
        return []
    ancestors = unit_lineages({row.visit.unit_id for row in rows})
    owner = {}
    for row in rows:
        for unit_id in ancestors[row.visit.unit_id]:
            owner.setdefault(unit_id, row.visit.unit_id)
    old = Finding.objects.filter(
        visit__plan__in=previous_plans, visit__unit_id__in=list(owner), kind__in=Finding.ACTIONABLE_KINDS
    ).values("id", "text", "status", "visit__unit_id")
    now = {
        f["carried_from_id"]: f["status"]
        for f in Finding.objects.filter(visit__plan=plan, carried_from__isnull=False).values(
            "carried_from_id", "status"
        )
    }
    lines = {row.visit.unit_id: CarriedLine(unit=row.unit) for row in rows}
    for finding in old.order_by("id"):
        line = lines[owner[finding["visit__unit_id"]]]
        line.total += 1
        status = now.get(finding["id"], finding["status"])
        if status == Finding.Status.REMEDIED:
            line.remedied += 1
        else:
            line.still_open.append(finding["text"])
    return [
        lines[row.visit.unit_id]
        for row in sorted(rows, key=lambda r: name_key(r.unit.name))
        if lines[row.visit.unit_id].total
    ]


DRAFT_ITEMS = 6


def _lines(text: str) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def assessment_draft(
    *, sections: list[AreaSection], rows: list[CommuneRow], results: CampaignResults, self_complete: set[int]
) -> str:
    """A first text of the overall assessment, drawn from the findings and scores: strengths, limitations, causes.

    The secretariat edits it before the final version; the causes it proposes are what the
    scores show (self-assessment above the appraisal, the weakest review areas).
    """
    strengths = sorted((g for s in sections for g in s.strengths), key=lambda g: -len(g.communes))
    shortcomings = sorted((g for s in sections for g in s.shortcomings), key=lambda g: -len(g.communes))
    lines = [_("1. Strengths")]
    graded = [row for row in rows if row.result.grade is not None]
    if graded:
        counts = defaultdict(int)
        for row in graded:
            counts[row.result.grade.label] += 1
        grades = "; ".join(f"{label}: {count}" for label, count in counts.items())
        lines.append(
            _("%(done)s of %(count)s %(units)s have a final result (%(grades)s).")
            % {"done": len(graded), "count": len(rows), "units": results.units_phrase, "grades": grades}
        )
    lines += [f"- {formatting.no_stop(g.text)} ({g.where})." for g in strengths[:DRAFT_ITEMS]]
    lines.append(_("2. Limitations and shortcomings, and their causes"))
    lines += [f"- {formatting.no_stop(g.text)} ({g.where})." for g in shortcomings[:DRAFT_ITEMS]]
    causes = []
    gaps = [row.result.gap for row in rows if row.result.is_complete and row.visit.pk in self_complete]
    if gaps:
        average = sum(gaps) / len(gaps)
        if average < 0:
            causes.append(
                _(
                    "the self-assessment of some communes was not close to reality (the self score was on average "
                    "%(points)s points above the appraised score)"
                )
                % {"points": formatting.number(-average)}
            )
    weakest = sorted(
        (s for s in results.area_summaries if s.average_percent is not None), key=lambda s: s.average_percent
    )[:2]
    if weakest:
        causes.append(
            _("the review areas with the lowest results (%(areas)s) have not received enough attention")
            % {
                "areas": "; ".join(
                    f"{formatting.short_area_title(s.area.title)} {formatting.number(s.average_percent)}%"
                    for s in weakest
                )
            }
        )
    if causes:
        lines.append(_("Causes: %(causes)s.") % {"causes": "; ".join(causes)})
    return "\n".join(lines)


def proposals_draft(*, plan: InspectionPlan, recommendations: list[Gathered], units: str) -> str:
    """A first text of the proposals: what the communes are asked to do, the recommendations gathered.

    `units`: the kinds of unit inspected, named together ("xã, thị trấn").
    """
    lines = [
        _(
            "The People's Committees of the %(units)s are asked to issue remedy plans for the "
            "limitations and shortcomings the team pointed out and to report the results within the time set "
            "in the conclusion notices."
        )
        % {"units": units}
    ]
    lines += [f"- {formatting.no_stop(g.text)} ({g.where})." for g in recommendations[: DRAFT_ITEMS * 2]]
    return "\n".join(lines)


def _ranking_charts(results: CampaignResults, rows: list[CommuneRow]) -> list[str]:
    """Every commune in the order of the results table, in drawings that each fit on a page."""
    return [
        charts.printed(charts.ranking_chart_svg(results, rows=rows, start=start, count=RANKING_ROWS_PER_CHART))
        for start in range(0, len(rows), RANKING_ROWS_PER_CHART)
    ]


def district_report(*, plan: InspectionPlan, on_stage=None, today: dt.date | None = None) -> DistrictReport:
    """Everything the district report prints about one campaign, every commune included."""
    today = today or timezone.localdate()
    stage = on_stage or (lambda *_args: None)
    visits = list(
        Visit.objects.filter(plan=plan)
        .select_related("unit", "plan")
        .order_by("scheduled_on", dictionary_order("unit__name"))
    )
    results = campaign_results(plan=plan, visits=visits, today=today)
    team = getattr(plan, "team", None)
    members = list(team.members.select_related("user", "department", "group").order_by("order", "id")) if team else []
    groups = list(team.groups.prefetch_related("areas").order_by("order", "name")) if team else []
    groups_of_area = defaultdict(list)
    for group in groups:
        for area in group.areas.all():
            groups_of_area[area.pk].append(group.name)

    findings = list(
        Finding.objects.filter(visit__plan=plan, carried_from__isnull=True)
        .select_related("visit__unit", "area")
        .order_by("created_at", "id")
    )
    by_area = defaultdict(lambda: defaultdict(list))
    for finding in findings:
        by_area[finding.area_id][finding.kind].append(finding)
    sections = [
        AreaSection(
            area=summary.area,
            summary=summary,
            groups=groups_of_area.get(summary.area.pk, []),
            strengths=_gather(by_area[summary.area.pk][Finding.Kind.STRENGTH], lambda f: f.text),
            shortcomings=_gather(by_area[summary.area.pk][Finding.Kind.SHORTCOMING], lambda f: f.text),
        )
        for summary in results.area_summaries
    ]
    recommendations = _gather(
        [f for f in findings if f.kind == Finding.Kind.RECOMMENDATION], lambda f: f.text
    ) + _gather([f for f in findings if f.kind == Finding.Kind.SHORTCOMING], lambda f: f.recommendation)
    questions = [
        Question(unit=f.visit.unit, text=f.text, answer=f.answer)
        for f in findings
        if f.kind == Finding.Kind.QUESTION and f.answer
    ]
    stage("charts")
    rows = report_order(results.rows)
    area_chart = charts.printed(charts.area_chart_svg(results))
    ranking = _ranking_charts(results, rows)
    lead = common.team_lead(plan)
    self_complete = self_complete_visits(plan, leaf_criteria(plan.criteria_set).count())
    is_draft = any(is_unfinished(visit) for visit in visits)
    letterhead = common.Letterhead(
        parent_body=common.committee_title(plan.authority),
        issuing_body=_("ADMINISTRATIVE REFORM INSPECTION TEAM"),
        number=_("No.: …/BC-ĐKT"),
        place=common.place_of(plan.authority),
        # A draft carries no date: it is dated when the last visit's minutes are signed and it is issued.
        date=None if is_draft else report_date(plan, today),
        document_kind=_("REPORT"),
        subject=_("Results of the inspection of administrative reform in %(year)s") % {"year": plan.year},
        recipients=[
            _("Standing committee of the district Party committee;"),
            _("Standing committee of the district People's Council;"),
            _("Chairman and vice-chairmen of the district People's Committee;"),
            _("Home Affairs office;"),
            _("People's Committees of the %(units)s;") % {"units": results.units_phrase},
            _("Archive: clerical office, team."),
        ],
        draft=is_draft,
    )
    drafted_assessment = assessment_draft(sections=sections, rows=rows, results=results, self_complete=self_complete)
    drafted_proposals = proposals_draft(plan=plan, recommendations=recommendations, units=results.units_phrase)
    return DistrictReport(
        plan=plan,
        letterhead=letterhead,
        signature=common.team_signature(plan),
        results=results,
        rows=rows,
        members=members,
        groups=groups,
        visits=visits,
        sections=sections,
        carried=_carried_lines(plan, results.previous_plans, results.rows),
        recommendations=recommendations,
        questions=questions,
        area_chart=area_chart,
        ranking_charts=ranking,
        complete_count=sum(1 for row in results.rows if row.result.is_complete),
        lead=lead,
        self_complete=self_complete,
        assessment=_lines(plan.report_assessment) or _lines(drafted_assessment),
        proposals=_lines(plan.report_proposals) or _lines(drafted_proposals),
        is_draft=is_draft,
        assessment_draft=drafted_assessment,
        proposals_draft=drafted_proposals,
    )
