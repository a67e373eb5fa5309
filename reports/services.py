"""Writes of report records: request, retry, and the render the worker runs.

A request creates a queued record (the next version for its campaign, kind and visit)
and enqueues the render after the transaction commits. The render claims the record,
reports its progress stage by stage, and finishes by storing one file with its size,
page count and SHA-256. It is idempotent: a re-delivered task for a finished record
does nothing, and an attempt that lost its claim (a worker died, another took over)
never writes a second file.
"""

import hashlib
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications.kinds import Kind
from accounts.notifications.services import notify
from inspections.models import ConclusionNotice, InspectionPlan, Minutes, Visit

from . import selectors
from .models import Report, report_folder

logger = logging.getLogger(__name__)

# A render the worker died in this many times is not tried again: it would only kill the next one.
MAX_ATTEMPTS = 3


def _check_documents_exist(kind: str, visit: Visit | None) -> None:
    if kind == Report.Kind.MINUTES and not Minutes.objects.filter(visit=visit).exists():
        raise ValidationError(_("The minutes of this visit have not been recorded yet."))
    if kind == Report.Kind.NOTICE and not ConclusionNotice.objects.filter(visit=visit).exists():
        raise ValidationError(_("No conclusion notice has been recorded for this visit yet."))


@transaction.atomic
def report_create(*, plan: InspectionPlan, kind: str, visit: Visit | None = None, requested_by=None) -> Report:
    """Create a queued report record, the next version of its campaign, kind and visit; no rights checked.

    Used by `report_request` and by the command line. Raises ValidationError when the
    kind and the visit do not go together or the visit's document does not exist yet.
    """
    if kind not in Report.Kind.values:
        raise ValidationError(_("Unknown kind of document."))
    if (kind in Report.PER_VISIT_KINDS) != (visit is not None):
        raise ValidationError(_("Minutes and notices belong to a visit; the district report to a campaign."))
    if visit is not None and visit.plan_id != plan.pk:
        raise ValidationError(_("This visit is not part of this campaign."))
    _check_documents_exist(kind, visit)
    # The campaign's row serialises version numbers between two simultaneous requests.
    InspectionPlan.objects.select_for_update().filter(pk=plan.pk).first()
    last = Report.objects.filter(plan=plan, kind=kind, visit=visit).aggregate(last=Max("version"))["last"]
    return Report.objects.create(plan=plan, kind=kind, visit=visit, version=(last or 0) + 1, requested_by=requested_by)


def _send(report_id: int) -> None:
    """Put the render on the queue; if the queue cannot be reached, say so on the record."""
    from .tasks import render_report  # the task module imports this one

    try:
        render_report.delay(report_id)
    except Exception:
        logger.exception("Could not enqueue the render of report %s", report_id)
        Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
            status=Report.Status.FAILED,
            error=_("The render queue could not be reached. Please try again in a moment."),
            finished_at=timezone.now(),
        )


def _enqueue(report: Report) -> None:
    transaction.on_commit(lambda: _send(report.pk))


@transaction.atomic
def report_request(*, user, plan: InspectionPlan, kind: str, visit: Visit | None = None) -> list[Report]:
    """Ask for a document: create its queued record(s) and enqueue the render after commit.

    The district report brings its .xlsx score table with it. Raises PermissionDenied
    when the user may not ask for this kind in this campaign, ValidationError when the
    visit's document does not exist yet.
    """
    allowed = selectors.requestable_kinds(user, plan)
    if kind not in allowed:
        raise PermissionDenied(_("You may not ask for this document in this campaign."))
    kinds = [Report.Kind.DISTRICT, Report.Kind.DISTRICT_XLSX] if kind == Report.Kind.DISTRICT else [kind]
    reports = [report_create(plan=plan, kind=k, visit=visit, requested_by=user) for k in kinds]
    for report in reports:
        _enqueue(report)
    return reports


@transaction.atomic
def report_texts_save(*, user, plan: InspectionPlan, assessment: str, proposals: str) -> InspectionPlan:
    """Store the district report's overall assessment and proposals, as the secretariat wrote them.

    An empty text lets the report print the draft drawn from the findings. Raises
    PermissionDenied for a user who may not ask for the district report.
    """
    if Report.Kind.DISTRICT not in selectors.requestable_kinds(user, plan):
        raise PermissionDenied(_("Only the secretariat and the team lead write the district report."))
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    plan.report_assessment, plan.report_proposals = assessment.strip(), proposals.strip()
    plan.save(update_fields=["report_assessment", "report_proposals"])
    return plan


@transaction.atomic
def report_retry(*, user, report: Report) -> Report:
    """Queue a failed render again, keeping its version; the attempts start from zero.

    Raises PermissionDenied for a user who may not ask for this kind, ValidationError
    when the render has not failed.
    """
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.kind not in selectors.requestable_kinds(user, report.plan):
        raise PermissionDenied(_("You may not ask for this document in this campaign."))
    if not report.can_be_retried:
        raise ValidationError(_("Only a failed render, or one waiting far too long in the queue, can be retried."))
    _check_documents_exist(report.kind, report.visit)
    report.status = Report.Status.QUEUED
    report.progress = 0
    report.stage = ""
    report.error = ""
    report.attempts = 0
    report.started_at = report.finished_at = None
    report.requested_by = user
    report.save(
        update_fields=["status", "progress", "stage", "error", "attempts", "started_at", "finished_at", "requested_by"]
    )
    _enqueue(report)
    return report


def _claim(report_id: int) -> tuple[Report | None, int]:
    """Mark the record running for a new attempt; (None, 0) when there is nothing to do."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status in (Report.Status.DONE, Report.Status.FAILED):
            return None, 0
        now = timezone.now()
        if report.attempts >= MAX_ATTEMPTS:
            report.status = Report.Status.FAILED
            report.error = _("The worker stopped %(count)s times while rendering this document.") % {
                "count": report.attempts
            }
            report.finished_at = now
            report.save(update_fields=["status", "error", "finished_at"])
            return None, 0
        report.status = Report.Status.RUNNING
        report.attempts += 1
        report.started_at = now
        report.progress = 5
        report.stage = "started"
        report.error = ""
        report.save(update_fields=["status", "attempts", "started_at", "progress", "stage", "error"])
    return Report.objects.select_related("plan", "plan__authority", "visit", "visit__unit").get(pk=report_id), (
        report.attempts
    )


def _progress(report_id: int, attempt: int, percent: int, stage: str) -> None:
    Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, attempts=attempt).update(
        progress=percent, stage=stage
    )


def _fail(report_id: int, attempt: int, message: str) -> None:
    with transaction.atomic():
        failed = Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, attempts=attempt).update(
            status=Report.Status.FAILED, error=message[:2000], finished_at=timezone.now()
        )
        if failed:
            _tell_requester(Report.objects.select_related("plan", "visit__unit").get(pk=report_id))


def _tell_requester(report: Report) -> None:
    """Who asked for the document learns that it is ready, or that it failed."""
    if report.requested_by_id is None:
        return
    document = report.plan.title + (f" – {report.visit.unit.name}" if report.visit_id else "")
    link = (
        reverse("reports:visit_reports", kwargs={"visit_pk": report.visit_id})
        if report.visit_id
        else reverse("reports:plan_reports", kwargs={"plan_pk": report.plan_id})
    )
    notify(
        kind=Kind.REPORT_FINISHED,
        user_ids=[report.requested_by_id],
        params={
            "document": document,
            "report_kind": report.kind,
            "action": "ready" if report.status == Report.Status.DONE else "failed",
        },
        link=link,
    )


def _store(report_id: int, attempt: int, rendered) -> None:
    """Save the one file of the record and mark it done, unless this attempt lost its claim."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status != Report.Status.RUNNING or report.attempts != attempt:
            return
        folder = report_folder(report)
        # A worker killed after writing its file but before committing left it behind. Object
        # storage has no folders to test for: list the prefix, which may hold nothing.
        try:
            leftovers = default_storage.listdir(folder)[1]
        except FileNotFoundError:
            leftovers = []
        for leftover in leftovers:
            default_storage.delete(f"{folder}/{leftover}")
        report.file.save(rendered.file_name, ContentFile(rendered.content), save=False)
        try:
            report.file_name = rendered.file_name
            report.sha256 = hashlib.sha256(rendered.content).hexdigest()
            report.size = len(rendered.content)
            report.page_count = rendered.page_count
            report.status = Report.Status.DONE
            report.progress = 100
            report.stage = "done"
            report.finished_at = timezone.now()
            report.save()
            _tell_requester(report)
        except Exception:
            report.file.delete(save=False)
            raise


def report_render(*, report_id: int) -> Report | None:
    """Render a queued report and store its file: the one code path of the worker and the command line.

    Idempotent: a finished record is left as it is. A failure is recorded on the record
    with a reason a person can read; the exception does not propagate.
    """
    # WeasyPrint is loaded only where a render runs: the worker and the command line.
    from .rendering.documents import render_document
    from .rendering.pdf import FontMissing

    report, attempt = _claim(report_id)
    if report is None:
        return Report.objects.filter(pk=report_id).first()
    try:
        rendered = render_document(
            kind=report.kind,
            plan=report.plan,
            visit=report.visit,
            on_progress=lambda percent, stage: _progress(report_id, attempt, percent, stage),
        )
        _progress(report_id, attempt, 95, "saving")
        _store(report_id, attempt, rendered)
    except SoftTimeLimitExceeded:
        _fail(report_id, attempt, _("The document took longer than allowed to render."))
    except ValidationError as exc:
        _fail(report_id, attempt, " ".join(exc.messages))
    except FontMissing as exc:
        _fail(report_id, attempt, str(exc))
    except Exception as exc:
        logger.exception("Rendering report %s failed", report_id)
        _fail(
            report_id,
            attempt,
            _("The document could not be rendered (%(error)s). Please try again or tell the administrator.")
            % {"error": type(exc).__name__},
        )
    return Report.objects.get(pk=report_id)
