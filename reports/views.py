"""Pages of the reports: versions per campaign and visit, requests, live progress, downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc_inspect import storage
from cchc_inspect.views import stored_file_damaged
from inspections.selectors import plan_get_for_user, plan_list_for_user, visit_get_for_user

from . import selectors, services
from .forms import ReportRequestForm, ReportTextsForm
from .models import Report
from .rendering.district import district_report

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Campaigns on one page of the reports list.
REPORT_INDEX_PAGE_SIZE = 20


def _back(request, fallback: str):
    """Back to the page the form was on (a local URL only), else to `fallback`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _say_queued_or_failed(request, reports: list[Report], queued_message: str) -> None:
    """Tell what became of the records once the request committed: queued, or failed with the reason.

    The render is enqueued after the commit, and a queue that cannot be reached fails the
    record there (services._send); the objects the service returned predate that.
    """
    for report in reports:
        report.refresh_from_db(fields=["status", "error"])
    names = {r.pk: f"{r.get_kind_display()} ({_('version')} {r.version})" for r in reports}
    failed = [r for r in reports if r.status == Report.Status.FAILED]
    if failed:
        messages.error(
            request,
            " ".join(
                capfirst(_("%(document)s was not queued: %(reason)s") % {"document": names[r.pk], "reason": r.error})
                for r in failed
            ),
        )
    queued = [r for r in reports if r.status != Report.Status.FAILED]
    if queued:
        messages.success(request, queued_message % {"documents": ", ".join(names[r.pk] for r in queued)})


@login_required
def report_index(request):
    """The campaigns the user sees, each with a link to its documents."""
    plans = plan_list_for_user(request.user).order_by("-year", "-round_start", "-pk")
    page = Paginator(plans, REPORT_INDEX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/report_index.html", {"plans": page.object_list, "page": page})


@login_required
def plan_reports(request, plan_pk):
    """A campaign's documents: district report versions, and the minutes and notices of its visits."""
    plan = plan_get_for_user(request.user, plan_pk)
    reports = list(selectors.report_list_for_user(request.user, plan=plan))
    visits = list(selectors.report_visit_list_for_user(request.user, plan=plan))
    return render(
        request,
        "reports/plan_reports.html",
        {
            "plan": plan,
            "district_reports": [r for r in reports if r.visit_id is None],
            "visit_reports": [r for r in reports if r.visit_id is not None],
            "visits": visits,
            "kinds": selectors.requestable_kinds(request.user, plan),
        },
    )


@login_required
def visit_reports(request, visit_pk):
    """One visit's minutes and conclusion notice: every version, and buttons to ask for a new one."""
    visit = visit_get_for_user(request.user, visit_pk)
    visit = selectors.report_visit_list_for_user(request.user, plan=visit.plan).get(pk=visit.pk)
    reports = list(selectors.report_list_for_user(request.user, visit=visit))
    return render(
        request,
        "reports/visit_reports.html",
        {
            "visit": visit,
            "plan": visit.plan,
            "visit_reports": reports,
            "kinds": selectors.requestable_kinds(request.user, visit.plan),
        },
    )


@login_required
@require_POST
def report_request(request, plan_pk):
    """Ask for a document; the worker renders it and the page follows its progress."""
    plan = plan_get_for_user(request.user, plan_pk)
    if not selectors.requestable_kinds(request.user, plan):
        raise PermissionDenied(_("You may not ask for documents in this campaign."))
    form = ReportRequestForm(request.POST, user=request.user, plan=plan)
    if form.is_valid():
        try:
            created = services.report_request(
                user=request.user, plan=plan, kind=form.cleaned_data["kind"], visit=form.cleaned_data["visit"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            _say_queued_or_failed(request, created, _("Queued: %(documents)s. The list below shows its progress."))
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    return _back(request, reverse("reports:plan_reports", args=[plan.pk]))


@login_required
def report_texts(request, plan_pk):
    """The district report's overall assessment and proposals: the draft from the findings, edited and kept."""
    plan = plan_get_for_user(request.user, plan_pk)
    if Report.Kind.DISTRICT not in selectors.requestable_kinds(request.user, plan):
        raise PermissionDenied(_("Only the secretariat and the team lead write the district report."))
    # The texts are printed in the documents' language, whatever the screen's (and without loading WeasyPrint).
    from .rendering.documents import DOCUMENT_LANGUAGE

    with translation.override(DOCUMENT_LANGUAGE):
        report = district_report(plan=plan)
    if request.method == "POST":
        form = ReportTextsForm(request.POST)
        if form.is_valid():
            services.report_texts_save(user=request.user, plan=plan, **form.cleaned_data)
            messages.success(request, _("The texts of the district report are saved; the next version prints them."))
            return redirect("reports:texts", plan.pk)
    else:
        form = ReportTextsForm(
            initial={
                "assessment": plan.report_assessment or report.assessment_draft,
                "proposals": plan.report_proposals or report.proposals_draft,
            }
        )
    return render(
        request,
        "reports/report_texts.html",
        {"plan": plan, "form": form, "is_draft": report.is_draft, "saved": bool(plan.report_assessment)},
    )


@login_required
def report_status(request, pk):
    """The row of one report: htmx polls it every second while the render runs."""
    report = selectors.report_get_for_user(request.user, pk)
    return render(
        request,
        "reports/_report_row.html",
        {
            "report": report,
            "kinds": selectors.requestable_kinds(request.user, report.plan),
            "show_commune": request.GET.get("commune") == "1",
        },
    )


@login_required
@require_POST
def report_retry(request, pk):
    """Queue a failed render again."""
    report = selectors.report_get_for_user(request.user, pk)
    try:
        retried = services.report_retry(user=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _say_queued_or_failed(request, [retried], _("Queued again: %(documents)s. The list below shows its progress."))
    if report.visit_id:
        return redirect("reports:visit_reports", report.visit_id)
    return redirect("reports:plan_reports", report.plan_id)


@login_required
def report_download(request, pk):
    """The finished file, as an attachment, for a user who may see the record."""
    report = selectors.report_get_for_user(request.user, pk)
    if report.status != Report.Status.DONE or not report.file:
        raise Http404
    content_type = PDF if report.is_pdf else XLSX
    try:
        return storage.file_response(
            report.file,
            sha256=report.sha256,
            content_type=content_type,
            disposition=content_disposition_header(True, report.file_name),
        )
    except (FileNotFoundError, OSError):
        raise Http404 from None
    except storage.StoredFileDamaged:
        return stored_file_damaged(request)
