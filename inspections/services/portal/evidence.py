"""Evidence files: checked, counted against the commune's quota, stored under a generated name, soft-deleted.

The file's content and name are judged by inspections.uploads before anything is kept;
the same file attached twice to one criterion (or one remedy) is recognised by its
SHA-256; deleting only marks the row, so the history of what was shown stays.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit

from ... import uploads
from ...models import Evidence, Remedy, Visit
from . import rights
from .self_assessment import ANSWERING_STATUSES, leaf_criterion, self_assessment_state

EDITABLE_REMEDY_STATUSES = frozenset({Remedy.Status.DRAFT, Remedy.Status.RETURNED})


def commune_storage_used(*, unit_id: int) -> int:
    """Bytes of evidence the commune keeps (deleted files no longer count)."""
    total = Evidence.objects.filter(unit_id=unit_id, deleted_at__isnull=True).aggregate(total=Sum("size"))["total"]
    return total or 0


def commune_storage_quota() -> int:
    """The storage each commune may fill, in bytes (setting COMMUNE_STORAGE_QUOTA_MB)."""
    return int(settings.COMMUNE_STORAGE_QUOTA_MB) * 1024 * 1024


def _store(*, upload, inspected: uploads.InspectedFile, duplicates, unit_id: int, **fields) -> Evidence:
    """Check quota and duplicates under a lock on the commune, then keep the file and its row."""
    with transaction.atomic():
        # One commune's uploads queue here, so two at once cannot both slip under the quota.
        list(AdministrativeUnit.objects.select_for_update().filter(pk=unit_id).values_list("pk", flat=True))
        same = duplicates.filter(sha256=inspected.sha256, deleted_at__isnull=True).first()
        if same is not None:
            raise ValidationError(
                _("This file is already attached here as “%(name)s” (uploaded %(when)s).")
                % {
                    "name": same.original_name,
                    "when": date_format(timezone.localtime(same.uploaded_at), "SHORT_DATETIME_FORMAT"),
                },
                code="duplicate",
            )
        used = commune_storage_used(unit_id=unit_id)
        quota = commune_storage_quota()
        if used + inspected.size > quota:
            raise ValidationError(
                _(
                    "Your commune's storage is full: %(used)s of %(quota)s used, and this file needs %(size)s. "
                    "Delete files that are no longer needed, or ask the secretariat for more space."
                )
                % {
                    "used": filesizeformat(used),
                    "quota": filesizeformat(quota),
                    "size": filesizeformat(inspected.size),
                },
                code="quota",
            )
        evidence = Evidence(
            unit_id=unit_id,
            original_name=inspected.original_name,
            size=inspected.size,
            content_type=inspected.content_type,
            sha256=inspected.sha256,
            **fields,
        )
        upload.seek(0)
        evidence.file.save(inspected.original_name, upload, save=False)
        try:
            evidence.save()
        except Exception:
            evidence.file.storage.delete(evidence.file.name)
            raise
    return evidence


def _details(document_number: str, document_date, page_reference: str, description: str) -> dict:
    return {
        "document_number": (document_number or "").strip(),
        "document_date": document_date,
        "page_reference": (page_reference or "").strip(),
        "description": (description or "").strip(),
    }


def evidence_add_for_criterion(
    *,
    visit: Visit,
    criterion_id: int,
    user,
    upload,
    document_number: str = "",
    document_date=None,
    page_reference: str = "",
    description: str = "",
) -> Evidence:
    """Attach an evidence file to one criterion of the commune's self-assessment.

    Allowed while the self-assessment is open, or afterwards for a criterion the team
    asked to explain. Raises PermissionDenied, or ValidationError when the file is
    refused (see inspections.uploads), already attached, over the quota, or too late.
    """
    rights.require(rights.can_work_for_commune(user, visit))
    state = self_assessment_state(visit=visit)
    criterion = leaf_criterion(visit=visit, criterion_id=criterion_id)
    if not state.editable:
        answering = (
            visit.status in ANSWERING_STATUSES
            and visit.scores.filter(criterion=criterion, explanation_requested=True).exists()
        )
        if not answering:
            raise ValidationError(state.reason, code="locked")
    inspected = uploads.inspect_upload(upload)
    return _store(
        upload=upload,
        inspected=inspected,
        duplicates=Evidence.objects.filter(visit=visit, criterion=criterion),
        unit_id=visit.unit_id,
        visit=visit,
        criterion=criterion,
        uploaded_by=user,
        **_details(document_number, document_date, page_reference, description),
    )


def _remedy_editable_or_raise(remedy: Remedy) -> None:
    if remedy.status not in EDITABLE_REMEDY_STATUSES:
        raise ValidationError(
            _("This remedy has been reported to the team; its proof can no longer change."), code="locked"
        )


def evidence_add_for_remedy(
    *,
    remedy: Remedy,
    user,
    upload,
    document_number: str = "",
    document_date=None,
    page_reference: str = "",
    description: str = "",
) -> Evidence:
    """Attach a proof to a remedy the commune has not yet reported (or that was sent back).

    Raises PermissionDenied, or ValidationError when the file is refused, already
    attached to this remedy, over the quota, or the remedy is already reported.
    """
    visit = remedy.finding.visit
    rights.require(rights.can_work_for_commune(user, visit))
    _remedy_editable_or_raise(remedy)
    inspected = uploads.inspect_upload(upload)
    return _store(
        upload=upload,
        inspected=inspected,
        duplicates=Evidence.objects.filter(remedy=remedy),
        unit_id=visit.unit_id,
        remedy=remedy,
        uploaded_by=user,
        **_details(document_number, document_date, page_reference, description),
    )


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user) -> Evidence:
    """Withdraw an evidence file: the row and the file stay, marked deleted, for the record.

    Raises PermissionDenied for people outside the commune and ValidationError once
    the self-assessment or the remedy can no longer change.
    """
    list(Evidence.objects.select_for_update().filter(pk=evidence.pk).values_list("pk", flat=True))
    evidence = Evidence.objects.select_related("visit__plan", "remedy__finding__visit__plan").get(pk=evidence.pk)
    visit = evidence.visit or evidence.remedy.finding.visit
    rights.require(rights.can_work_for_commune(user, visit))
    if evidence.deleted_at is not None:
        return evidence
    if evidence.remedy_id:
        _remedy_editable_or_raise(evidence.remedy)
    else:
        state = self_assessment_state(visit=visit)
        if not state.editable:
            raise ValidationError(state.reason, code="locked")
    evidence.deleted_at = timezone.now()
    evidence.deleted_by = user
    evidence.save(update_fields=["deleted_at", "deleted_by"])
    return evidence


def evidence_add_for_contest(
    *,
    contest,
    user,
    upload,
    document_number: str = "",
    document_date=None,
    page_reference: str = "",
    description: str = "",
) -> Evidence:
    """Attach new evidence to a commune's contest of an appraised score; it also backs the criterion.

    Only while the contest is a draft or awaits the team's decision. Raises PermissionDenied for people
    outside the commune, ValidationError when the file is refused, already attached to
    the contest, over the quota, or the contest is decided.
    """
    visit = contest.visit
    rights.require(rights.can_work_for_commune(user, visit))
    if not (contest.is_draft or contest.is_pending):
        raise ValidationError(_("The team has decided this contest; its evidence can no longer change."), code="locked")
    inspected = uploads.inspect_upload(upload)
    return _store(
        upload=upload,
        inspected=inspected,
        duplicates=Evidence.objects.filter(contest=contest),
        unit_id=visit.unit_id,
        visit=visit,
        criterion_id=contest.criterion_id,
        contest=contest,
        uploaded_by=user,
        **_details(document_number, document_date, page_reference, description),
    )
