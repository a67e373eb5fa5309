"""Evidence files: downloaded only through a permission check, withdrawn by a soft delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cchc_inspect import storage
from cchc_inspect.views import stored_file_damaged

from ... import selectors, uploads
from ...services.portal.evidence import evidence_delete as delete_evidence
from .common import finding_remedy_url, flash_errors, is_htmx, post_action, self_assessment_url
from .self_assessment import criterion_response


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII name for old browsers and the original Vietnamese name (RFC 6266/5987)."""
    return storage.attachment_disposition(name, uploads.ascii_file_name(name))


@login_required
def evidence_download(request, pk):
    """Send one evidence file the user may see as an attachment; any other file answers 404."""
    evidence = selectors.evidence_get_for_user(request.user, pk)
    if not evidence.file:
        raise Http404
    try:
        return storage.file_response(
            evidence.file,
            sha256=evidence.sha256,
            content_type=evidence.content_type,
            disposition=content_disposition(evidence.original_name),
            # Should a browser render it anyway, nothing in it may run or load.
            headers={"Content-Security-Policy": "default-src 'none'; sandbox"},
        )
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    except storage.StoredFileDamaged:
        return stored_file_damaged(request)


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
