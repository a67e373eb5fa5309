"""Evidence files: downloaded only through a permission check, withdrawn by a soft delete."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ... import selectors, uploads
from ...services.portal.evidence import evidence_delete as delete_evidence
from .common import finding_remedy_url, flash_errors, is_htmx, post_action, self_assessment_url
from .self_assessment import criterion_response


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII name for old browsers and the original Vietnamese name (RFC 6266/5987)."""
    return f"attachment; filename=\"{uploads.ascii_file_name(name)}\"; filename*=utf-8''{quote(name, safe='')}"


@login_required
def evidence_download(request, pk):
    """Send one evidence file the user may see as an attachment; any other file answers 404."""
    evidence = selectors.evidence_get_for_user(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition(evidence.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _evidence_page(request, pk) -> str:
    evidence = selectors.evidence_get_for_user(request.user, pk)
    if evidence.remedy_id:
        return finding_remedy_url(evidence.remedy.finding, "proof")
    return self_assessment_url(evidence.visit, evidence.criterion_id)


@login_required
@post_action(_evidence_page)
def evidence_delete(request, pk):
    """Withdraw an evidence file; it stays in the record, marked deleted."""
    evidence = selectors.evidence_get_for_user(request.user, pk)
    problems = []
    try:
        delete_evidence(evidence=evidence, user=request.user)
    except ValidationError as error:
        problems = error.messages
        if not (is_htmx(request) and evidence.criterion_id):
            flash_errors(request, error)
    else:
        if not is_htmx(request):
            messages.success(request, _("“%(name)s” was removed.") % {"name": evidence.original_name})
    if evidence.remedy_id:
        return redirect(finding_remedy_url(evidence.remedy.finding, "proof"))
    if is_htmx(request):
        return criterion_response(
            request, evidence.visit, evidence.criterion_id, problems={evidence.criterion_id: problems}
        )
    return redirect(self_assessment_url(evidence.visit, evidence.criterion_id))
