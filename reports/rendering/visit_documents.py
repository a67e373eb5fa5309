"""The data of the two documents of one visit: its minutes and its conclusion notice.

Both read the visit's result per review area (as stored at signing once the minutes
are signed), its findings of this round and last year's findings re-checked at this visit.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from inspections.models import ConclusionNotice, Finding, Minutes, Visit
from inspections.results import CommuneRow, campaign_results

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
    commune_head = next(
        (a for a in minutes.commune_attendees if "chủ tịch" in str(a.get("position", "")).lower()),
        (minutes.commune_attendees or [{}])[0],
    )
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
    signatures = [
        common.Signature(
            lines=[_("FOR THE PEOPLE'S COMMITTEE OF %(unit)s") % {"unit": formatting.unit_phrase(visit.unit).upper()}],
            name=commune_head.get("name", ""),
            note=commune_head.get("position", ""),
        ),
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
    recipients = [line.strip() for line in notice.recipients.splitlines() if line.strip()]
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
        signatures=[common.committee_signature(notice.signer_name or str(notice.signer or ""), notice.signer_title)],
    )
