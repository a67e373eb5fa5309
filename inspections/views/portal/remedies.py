"""Remedies: the findings addressed to a commune, what it did about each with proof, and the team's verdict."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from ... import permissions, selectors, uploads
from ...forms.filters import FindingFilterForm
from ...forms.portal import EvidenceForm, RemedyForm, ReturnForm
from ...models import Finding, Remedy
from ...services.portal import remedies as service
from ...services.portal import rights
from ...services.portal.evidence import EDITABLE_REMEDY_STATUSES, evidence_add_for_remedy
from .common import add_errors, finding_remedy_url, flash_errors, method_not_allowed, post_action, remedy_page


def _ordered_remedies():
    return Prefetch("remedies", queryset=Remedy.objects.order_by("-created_at", "-id"), to_attr="remedy_list")


@login_required
def remedy_list(request):
    """Every shortcoming and recommendation addressed to the user's communes, overdue first; filtered by the URL."""
    visible = selectors.finding_to_remedy_list_for_user(request.user)
    filters = FindingFilterForm(request.GET, findings=visible)
    for label in filters.ignored:
        messages.warning(request, _("The filter “%(name)s” was not understood and is ignored.") % {"name": label})
    findings = filters.apply(visible).prefetch_related(_ordered_remedies())
    today = timezone.localdate()
    rows = []
    for finding in findings:
        finding.overdue = service.finding_is_overdue(finding, today)
        finding.current_remedy = finding.remedy_list[0] if finding.remedy_list else None
        rows.append(finding)
    rows.sort(key=lambda f: (not f.overdue, f.status != Finding.Status.OPEN))
    return render(
        request,
        "inspections/portal/remedy_list.html",
        {"findings": rows, "filters": filters, "overdue": sum(1 for f in rows if f.overdue)},
    )


def _actionable_finding(request, pk) -> Finding:
    finding = selectors.finding_get_for_user(request.user, pk)
    if not finding.is_actionable:
        raise Http404
    return finding


def _page(request, finding, *, remedy_form=None, proof_form=None, return_form=None, anchor="", status=200):
    user = request.user
    visit = finding.visit
    remedies = list(finding.remedies.select_related("reported_by", "verified_by").order_by("-created_at", "-id"))
    proofs = {}
    for item in (
        selectors.evidence_list_for_user(user)
        .filter(remedy__finding=finding)
        .select_related("uploaded_by")
        .order_by("uploaded_at")
    ):
        proofs.setdefault(item.remedy_id, []).append(item)
    for remedy in remedies:
        remedy.proofs = proofs.get(remedy.pk, [])
    current = remedies[0] if remedies else None
    can_work = rights.can_work_for_commune(user, visit)
    editable = can_work and finding.status == Finding.Status.OPEN
    editing = current if current is not None and current.status in EDITABLE_REMEDY_STATUSES else None
    for remedy in remedies:
        remedy.proofs_deletable = editable and editing is not None and remedy.pk == editing.pk
    if remedy_form is None and editable:
        initial = {"description": editing.description, "completed_on": editing.completed_on} if editing else {}
        remedy_form = RemedyForm(initial=initial)
    earlier = []
    if finding.carried_from_id:
        earlier = list(
            Remedy.objects.filter(finding_id=finding.carried_from_id)
            .select_related("reported_by", "verified_by")
            .order_by("-created_at")
        )
    context = {
        "finding": finding,
        "visit": visit,
        "remedies": remedies,
        "current": current,
        "editing": editing if editable else None,
        "earlier": earlier,
        "overdue": service.finding_is_overdue(finding),
        "can_work": can_work,
        "can_judge": rights.can_judge(user, visit)
        and permissions.can_follow_up(user, finding)
        and current is not None
        and current.status == Remedy.Status.REPORTED,
        "remedy_form": remedy_form,
        "proof_form": proof_form or (EvidenceForm(prefix="proof") if editing and editable else None),
        "return_form": return_form or ReturnForm(),
        "upload_limit": uploads.max_upload_bytes(),
        # A form refused on its action's address is shown here; portal.js puts the page's own address back.
        "page_url": finding_remedy_url(finding, anchor),
    }
    return render(request, "inspections/portal/finding_remedy.html", context, status=status)


@login_required
def finding_remedy(request, pk):
    """One finding addressed to the commune: what it did (form), its proofs, and the team's verdict."""
    finding = _actionable_finding(request, pk)
    if request.method in ("GET", "HEAD"):
        return _page(request, finding)
    if request.method != "POST":
        return method_not_allowed(request, ["GET", "HEAD", "POST"])
    rights.require(rights.can_work_for_commune(request.user, finding.visit))
    form = RemedyForm(request.POST)
    if form.is_valid():
        try:
            service.remedy_save(
                finding=finding,
                user=request.user,
                description=form.cleaned_data["description"],
                completed_on=form.cleaned_data["completed_on"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved. Attach the proof, then report the remedy to the team."))
            return redirect(finding_remedy_url(finding, "proof"))
    return _page(request, finding, remedy_form=form)


@login_required
@post_action(remedy_page)
@csrf_exempt
def remedy_evidence_upload(request, pk):
    """Attach a proof to a remedy, streamed to disk and checked before it is kept."""
    remedy = selectors.remedy_get_for_user(request.user, pk)
    rights.require(rights.can_work_for_commune(request.user, remedy.finding.visit))
    if not uploads.install_upload_guard(request):
        messages.error(request, uploads.too_large_error().messages[0])
        return redirect(finding_remedy_url(remedy.finding, "proof"))
    return _remedy_evidence_upload(request, remedy)


@csrf_protect
def _remedy_evidence_upload(request, remedy):
    refused = getattr(request, "upload_refusals", ())
    form = EvidenceForm(request.POST, request.FILES, prefix="proof", refused_names=refused)
    if form.is_valid():
        data = form.cleaned_data
        try:
            evidence = evidence_add_for_remedy(
                remedy=remedy,
                user=request.user,
                upload=data["file"],
                document_number=data["document_number"],
                document_date=data["document_date"],
                page_reference=data["page_reference"],
                description=data["description"],
            )
        except ValidationError as error:
            add_errors(form, error, "file")
        else:
            messages.success(request, _("“%(name)s” attached.") % {"name": evidence.original_name})
            return redirect(finding_remedy_url(remedy.finding, "proof"))
    return _page(request, remedy.finding, proof_form=form, anchor="proof")


@login_required
@post_action(remedy_page)
def remedy_report(request, pk):
    """The commune reports the remedy to the team for verification."""
    remedy = selectors.remedy_get_for_user(request.user, pk)
    try:
        service.remedy_report(remedy=remedy, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The remedy was reported; the inspection team will verify it."))
    return redirect(finding_remedy_url(remedy.finding))


def _back(request, remedy):
    """Where the team member came from (the appraisal workspace, say), else the finding's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(finding_remedy_url(remedy.finding))


@login_required
@post_action(remedy_page)
def remedy_verify(request, pk):
    """A member of the team accepts a reported remedy: the finding is remedied."""
    remedy = selectors.remedy_get_for_user(request.user, pk)
    try:
        service.remedy_verify(remedy=remedy, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The remedy was verified; the finding is marked remedied."))
    return _back(request, remedy)


@login_required
@post_action(remedy_page)
def remedy_return(request, pk):
    """A member of the team sends a reported remedy back with the reason; the finding is open again."""
    remedy = selectors.remedy_get_for_user(request.user, pk)
    rights.require(
        not rights.works_in_commune(request.user, remedy.finding.visit.unit_id), rights.own_commune_message()
    )
    rights.require(
        rights.can_judge(request.user, remedy.finding.visit),
        _("Only a member of the inspection team can send a remedy back."),
    )
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            service.remedy_return(remedy=remedy, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error, "reason")
        else:
            messages.success(request, _("The remedy was sent back to the commune with your reason."))
            return _back(request, remedy)
    return _page(request, remedy.finding, return_form=form)
