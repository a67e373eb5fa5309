"""One document from request to bytes: data from the models → HTML → checked PDF (or xlsx).

`render_document` is the single code path used by the Celery task and by the
`render_report` command. It reports its stages through `on_progress(percent, stage_key)`
(see reports.progress).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from cchc_inspect.transliteration import ascii_slug
from inspections.models import InspectionPlan, Visit
from reports.models import Report
from reports.progress import STAGES

from . import district, typesetting, visit_documents
from .pdf import html_to_pdf
from .xlsx import district_score_table

Progress = Callable[[int, str], None]

# The language official documents are written in, whatever the requester's screen language.
DOCUMENT_LANGUAGE = "vi"

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class RenderedFile:
    content: bytes
    file_name: str
    content_type: str
    page_count: int | None = None


def _stage_reporter(on_progress: Progress | None):
    def stage(name: str) -> None:
        if on_progress is not None:
            percent, _label = STAGES[name]
            on_progress(percent, name)

    return stage


def document_html(*, kind: str, plan: InspectionPlan, visit: Visit | None, on_stage=None) -> tuple[str, str]:
    """The final HTML of a PDF document and its file name (without extension), in Vietnamese."""
    stage = on_stage or (lambda *_args: None)
    with translation.override(DOCUMENT_LANGUAGE):
        stage("data")
        if kind == Report.Kind.DISTRICT:
            report = district.district_report(plan=plan, on_stage=stage)
            stage("html")
            html = render_to_string(
                "pdf/district_report.html",
                {"report": report, "letterhead": report.letterhead, "signatures": [report.signature]},
            )
            name = f"bao-cao-kiem-tra-cchc-{plan.year}-{ascii_slug(plan.authority.name)}"
            units = [plan.authority, *(v.unit for v in report.visits)]
            people = [str(member.user) for member in report.members]
        elif kind == Report.Kind.MINUTES:
            doc = visit_documents.minutes_document(visit=visit)
            stage("html")
            html = render_to_string(
                "pdf/minutes.html", {"doc": doc, "letterhead": doc.letterhead, "signatures": doc.signatures}
            )
            name = f"bien-ban-kiem-tra-{plan.year}-{ascii_slug(visit.unit.name)}"
            units = [plan.authority, visit.unit]
            people = [a.get("name", "") for a in doc.minutes.team_attendees + doc.minutes.commune_attendees]
        elif kind == Report.Kind.NOTICE:
            doc = visit_documents.notice_document(visit=visit)
            stage("html")
            html = render_to_string(
                "pdf/notice.html", {"doc": doc, "letterhead": doc.letterhead, "signatures": doc.signatures}
            )
            name = f"thong-bao-ket-luan-{plan.year}-{ascii_slug(visit.unit.name)}"
            units = [plan.authority, visit.unit]
            people = [s.name for s in doc.signatures]
        else:
            raise ValueError(_("Unknown kind of document: %(kind)s") % {"kind": kind})
        # People's names are kept whole too: a table cell widens rather than print "Nguyễn Văn / Hùng".
        html = typesetting.finish(html, names=unit_names(units) | person_names(people))
    return html, name


# A person's name: Nguyễn Thị Thu Hà. A longer entry ("Chủ tịch UBND thị trấn Tân Hiệp") is a description
# that must be free to wrap in its column.
PERSON_NAME_WORDS = 5


def person_names(names) -> set[str]:
    """The names of people that a document keeps whole."""
    return {name for name in names if name and len(name.split()) <= PERSON_NAME_WORDS}


def unit_names(units) -> set[str]:
    """The names a document must not split: each unit's name, and with its kind as a sentence writes it."""
    names = set()
    for unit in units:
        names.update({unit.name, unit.name_in_sentence, unit.display_name})
    return names


def render_document(
    *, kind: str, plan: InspectionPlan, visit: Visit | None = None, on_progress: Progress | None = None
) -> RenderedFile:
    """Render one document of a campaign (or of one of its visits) to bytes, reporting its stages."""
    stage = _stage_reporter(on_progress)
    if kind == Report.Kind.DISTRICT_XLSX:
        stage("data")
        with translation.override(DOCUMENT_LANGUAGE):
            content = district_score_table(plan=plan)
        stage("writing")
        name = f"bang-diem-cchc-{plan.year}-{ascii_slug(plan.authority.name)}.xlsx"
        return RenderedFile(content=content, file_name=name, content_type=XLSX)
    html, name = document_html(kind=kind, plan=plan, visit=visit, on_stage=stage)
    with translation.override(DOCUMENT_LANGUAGE):
        rendered = html_to_pdf(html, on_stage=stage)
    return RenderedFile(
        content=rendered.content, file_name=f"{name}.pdf", content_type=PDF, page_count=rendered.page_count
    )
