"""The data of the two documents of one visit: its minutes and its conclusion notice.

Both read the visit's result per review area (as stored at signing once the minutes
are signed), its findings of this round and last year's findings re-checked at this visit.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from communes.models import kinds_phrase
from inspections.models import ConclusionNotice, Finding, Minutes, TeamMember, Visit
from inspections.results import CommuneRow, campaign_results
from inspections.services import closing

from . import common, formatting


@dataclass
class AreaLine:
    number: str
    title: str
    max_score: object
    self_score: object
    appraised_score: object
    percent: object


@dataclass
class VisitFindings:
    strengths: list[Finding] = field(default_factory=list)
    shortcomings: list[Finding] = field(default_factory=list)
    recommendations: list[Finding] = field(default_factory=list)
    questions: list[Finding] = field(default_factory=list)
    carried_remedied: list[Finding] = field(default_factory=list)
    carried_open: list[Finding] = field(default_factory=list)

    @property
    def recommendation_texts(self) -> list[str]:
        """The recommendations made on their own, then those attached to a shortcoming."""
        return [r.text for r in self.recommendations] + [
            s.recommendation for s in self.shortcomings if s.recommendation
        ]

    @property
    def to_remedy(self) -> list[Finding]:
        """The limitations and shortcomings the commune must remedy: this year's and last year's still open."""
        return self.shortcomings + [f for f in self.carried_open if f.kind == Finding.Kind.SHORTCOMING]

    @property
    def recommended(self) -> list[Finding]:
        """The team's recommendations: advice to the commune, not shortcomings left unremedied."""
        return self.recommendations + [f for f in self.carried_open if f.kind != Finding.Kind.SHORTCOMING]

    @property
    def answered_questions(self) -> list[Finding]:
        return [q for q in self.questions if q.answer.strip()]

    @property
    def unanswered_questions(self) -> list[Finding]:
        return [q for q in self.questions if not q.answer.strip()]


@dataclass
class VisitDocument:
    visit: Visit
    letterhead: common.Letterhead
    row: CommuneRow
    areas: list[AreaLine]
    findings: VisitFindings
    minutes: Minutes | None = None
    notice: ConclusionNotice | None = None
    signatures: list[common.Signature] = field(default_factory=list)
    # The lead's own text of the summary (minutes) or conclusion (notice), one paragraph a line.
    summary: list[str] = field(default_factory=list)
    # The notice: the office the commune reports its remedies to (the authority's standing body).
    standing_body: str = ""
    # The notice: the kinds of unit the campaign inspected, named together ("xã, thị trấn"; "xã, phường").
    units_phrase: str = ""


# The headings of the summary the minutes form pre-fills (inspections.services.closing.minutes_summary_draft).
DRAFT_HEADINGS = ("Strengths", "Limitations and shortcomings", "Recommendations", "Questions answered")
BULLETS = "-–•+*"


def _draft_headings() -> set[str]:
    """The draft's headings as written in either language of the interface."""
    found = set()
    for language in ("vi", "en"):
        with translation.override(language):
            found.update(f"{_(heading)}:".casefold() for heading in DRAFT_HEADINGS)
    return found


def summary_paragraphs(summary: str, findings: list[Finding]) -> list[str]:
    """The paragraphs of a summary, less the lines that only repeat the visit's findings.

    The minutes form pre-fills the summary with the findings listed by kind; the
    document prints the findings in their own section, so a listed line that begins
    with a finding's text is dropped, and so is a heading of that list left with
    nothing under it. What the lead wrote is kept as written, one paragraph a line.
    """
    texts = [text for text in (f.text.strip() for f in findings) if text]
    headings = _draft_headings()
    paragraphs, heading = [], None
    for raw in summary.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.casefold() in headings:
            heading = line
            continue
        body = line.lstrip(BULLETS).strip()
        if body != line and any(body.startswith(text) for text in texts):
            continue
        if heading:
            paragraphs.append(heading)
            heading = None
        paragraphs.append(line)
    return paragraphs


def _visit_row(visit: Visit) -> tuple[CommuneRow, list[AreaLine]]:
    """The visit's own results: scores, percentage, grade and last year's comparison.

    Read for this visit alone: its documents state nothing that depends on other
    communes (their rank belongs to the district report).
    """
    visit = Visit.objects.select_related("unit", "plan").get(pk=visit.pk)
    results = campaign_results(plan=visit.plan, visits=[visit])
    row = results.rows[0]
    # The areas as the result names them: as they were at signing, once the minutes are signed.
    areas = [
        AreaLine(
            number=area.number,
            title=area.title,
            max_score=area.max_score,
            self_score=area.self_score,
            appraised_score=area.appraised_score if area.appraised_count else None,
            percent=area.percent,
        )
        for area in row.result.ordered_areas
    ]
    return row, areas


def _visit_findings(visit: Visit) -> list[Finding]:
    return list(visit.findings.select_related("area", "carried_from").order_by("created_at", "id"))


def _findings(findings: list[Finding]) -> VisitFindings:
    out = VisitFindings()
    for finding in findings:
        if finding.carried_from_id:
            target = out.carried_remedied if finding.status == Finding.Status.REMEDIED else out.carried_open
            target.append(finding)
            continue
        {
            Finding.Kind.STRENGTH: out.strengths,
            Finding.Kind.SHORTCOMING: out.shortcomings,
            Finding.Kind.RECOMMENDATION: out.recommendations,
            Finding.Kind.QUESTION: out.questions,
        }[finding.kind].append(finding)
    return out


def commune_signer(attendees: list[dict]) -> dict:
    """Who signs the minutes for the commune: its chairman, else a vice-chairman, else the first listed."""

    def title(person):
        return str(person.get("position", "")).casefold()

    return (
        next((a for a in attendees if title(a).startswith("chủ tịch") or title(a).startswith("chairman")), None)
        or next((a for a in attendees if "chủ tịch" in title(a) and "bí thư" not in title(a)), None)
        or (attendees or [{}])[0]
    )


def minutes_document(*, visit: Visit) -> VisitDocument:
    """The minutes of a visit (Biên bản kiểm tra): attendees of both sides, results, findings, signatures.

    Raises ValidationError when the visit has no minutes recorded yet.
    """
    minutes = Minutes.objects.filter(visit=visit).select_related("signed_by").first()
    if minutes is None:
        raise ValidationError(_("The minutes of this visit have not been recorded yet."))
    plan = visit.plan
    row, areas = _visit_row(visit)
    findings = _visit_findings(visit)
    lead = common.team_lead(plan)
    secretary = (
        plan.team.members.filter(role=TeamMember.Role.SECRETARY).select_related("user").order_by("order", "id").first()
        if getattr(plan, "team", None)
        else None
    )
    commune_head = commune_signer(minutes.commune_attendees)
    letterhead = common.Letterhead(
        parent_body=common.committee_title(plan.authority),
        issuing_body=_("ADMINISTRATIVE REFORM INSPECTION TEAM"),
        number=_("No.: %(number)s") % {"number": minutes.number or "…/BB-ĐKT"},
        place=visit.unit.name,
        date=minutes.held_on,
        document_kind=_("MINUTES"),
        subject=_("Inspection of administrative reform in %(year)s at %(unit)s")
        % {"year": plan.year, "unit": formatting.unit_phrase(visit.unit)},
        draft=not minutes.is_signed,
    )
    head_title = common.office_title(commune_head.get("position", "")) or str(_("Chairman"))
    signatures = [
        common.Signature(
            lines=[
                _("FOR THE PEOPLE'S COMMITTEE OF %(unit)s") % {"unit": formatting.unit_phrase(visit.unit).upper()},
                head_title.upper(),
            ],
            name=commune_head.get("name", ""),
        ),
        common.Signature(lines=[_("SECRETARY")], name=str(secretary.user) if secretary else ""),
        common.Signature(
            lines=[_("ON BEHALF OF THE INSPECTION TEAM"), _("TEAM LEAD")],
            name=str(minutes.signed_by or (lead.user if lead else "")),
        ),
    ]
    return VisitDocument(
        visit=visit,
        letterhead=letterhead,
        row=row,
        areas=areas,
        findings=_findings(findings),
        minutes=minutes,
        signatures=signatures,
        summary=summary_paragraphs(minutes.summary, findings),
    )


def notice_document(*, visit: Visit) -> VisitDocument:
    """The conclusion notice of a visit (Thông báo kết luận kiểm tra): results, findings, remedy deadline.

    Raises ValidationError when no conclusion notice has been recorded for the visit.
    """
    notice = ConclusionNotice.objects.filter(visit=visit).first()
    if notice is None:
        raise ValidationError(_("No conclusion notice has been recorded for this visit yet."))
    plan = visit.plan
    row, areas = _visit_row(visit)
    findings = _visit_findings(visit)
    recipients = common.recipient_lines(
        notice.recipients or closing.conclusion_recipients_draft(visit=visit), closing.archive_line(plan.authority)
    )
    standing = plan.authority.departments.filter(is_standing_body=True).order_by("order").first()
    letterhead = common.Letterhead(
        parent_body="",
        issuing_body=common.committee_title(plan.authority),
        number=_("No.: %(number)s") % {"number": notice.number},
        place=common.place_of(plan.authority),
        date=notice.issued_on,
        document_kind=_("NOTICE"),
        subject=_("Conclusions of the inspection of administrative reform in %(year)s at %(unit)s")
        % {"year": plan.year, "unit": formatting.unit_phrase(visit.unit)},
        recipients=recipients,
    )
    return VisitDocument(
        visit=visit,
        letterhead=letterhead,
        row=row,
        areas=areas,
        findings=_findings(findings),
        notice=notice,
        summary=summary_paragraphs(notice.summary, findings),
        standing_body=standing.name if standing else "",
        signatures=[common.committee_signature(notice.signer_name or str(notice.signer or ""), notice.signer_title)],
        units_phrase=kinds_phrase(
            Visit.objects.filter(plan_id=plan.pk).order_by().values_list("unit__kind", flat=True).distinct()
        ),
    )
