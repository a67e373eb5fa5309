"""Remedies: the commune records what it did about a finding, attaches proof and reports it;
an inspector of the campaign's team verifies it (the finding is remedied) or sends it back
with a reason (the finding is open again).

Status flow: remedy draft → reported → verified, or reported → returned → reported …;
the finding follows: open → reported → remedied, or back to open when a remedy is returned.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ... import events, permissions
from ...models import Finding, Remedy
from . import rights
from .evidence import EDITABLE_REMEDY_STATUSES


def _lock_finding(finding: Finding) -> Finding:
    list(Finding.objects.select_for_update().filter(pk=finding.pk).values_list("pk", flat=True))
    finding.refresh_from_db()
    return finding


def _lock_remedy(remedy: Remedy) -> Remedy:
    _lock_finding(remedy.finding)
    remedy.refresh_from_db()
    return remedy


def remedy_current(*, finding: Finding) -> Remedy | None:
    """The latest remedy of a finding: the one the commune edits or the team judges."""
    return finding.remedies.order_by("-created_at", "-id").first()


def finding_is_overdue(finding: Finding, today: dt.date | None = None) -> bool:
    """An open shortcoming or recommendation whose due date has passed."""
    today = today or timezone.localdate()
    if not finding.is_actionable or finding.status != Finding.Status.OPEN or not finding.due_date:
        return False
    return finding.due_date < today


def _require_open_for_commune(finding: Finding) -> None:
    if not finding.is_actionable:
        raise ValidationError(_("Only limitations, shortcomings and recommendations call for a remedy."), code="kind")
    if finding.status == Finding.Status.REPORTED:
        raise ValidationError(_("A remedy has been reported and waits for the team's verification."), code="reported")
    if finding.status != Finding.Status.OPEN:
        raise ValidationError(
            _("This finding is %(status)s; it needs no further remedy.") % {"status": finding.get_status_display()},
            code="closed",
        )


@transaction.atomic
def remedy_save(*, finding: Finding, user, description: str, completed_on: dt.date | None = None) -> Remedy:
    """Record (or correct) what the commune did about a finding, before reporting it.

    Edits the current draft or returned remedy, or starts a new draft. Raises
    PermissionDenied for people outside the commune, ValidationError when the finding
    is not open or the description is empty.
    """
    rights.require(rights.can_work_for_commune(user, finding.visit))
    finding = _lock_finding(finding)
    _require_open_for_commune(finding)
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Describe what was done."), code="required")
    if completed_on and completed_on > timezone.localdate():
        raise ValidationError(_("The completion date cannot be in the future."), code="future")
    remedy = remedy_current(finding=finding)
    if remedy is None or remedy.status not in EDITABLE_REMEDY_STATUSES:
        return Remedy.objects.create(
            finding=finding, description=description, completed_on=completed_on, status=Remedy.Status.DRAFT
        )
    if remedy.description != description or remedy.completed_on != completed_on:
        remedy.description = description
        remedy.completed_on = completed_on
        remedy.save(update_fields=["description", "completed_on"])
    return remedy


@transaction.atomic
def remedy_report(*, remedy: Remedy, user) -> Remedy:
    """Report a remedy to the team for verification: it needs a description and at least one proof.

    The finding becomes "remedy reported". Raises PermissionDenied or ValidationError.
    """
    rights.require(rights.can_work_for_commune(user, remedy.finding.visit))
    remedy = _lock_remedy(remedy)
    finding = remedy.finding
    _require_open_for_commune(finding)
    if remedy.status not in EDITABLE_REMEDY_STATUSES:
        raise ValidationError(_("This remedy has already been reported."), code="reported")
    if not remedy.evidence.filter(deleted_at__isnull=True).exists():
        raise ValidationError(
            _("Attach at least one proof (a document, minutes or photo) before reporting the remedy."),
            code="proof",
        )
    now = timezone.now()
    remedy.status = Remedy.Status.REPORTED
    remedy.reported_by = user
    remedy.reported_at = now
    remedy.save(update_fields=["status", "reported_by", "reported_at"])
    finding.status = Finding.Status.REPORTED
    finding.save(update_fields=["status"])
    events.remedy_reported(remedy)
    return remedy


def _require_reported(remedy: Remedy) -> None:
    if remedy.status != Remedy.Status.REPORTED:
        raise ValidationError(
            _("Only a reported remedy can be verified or sent back; this one is %(status)s.")
            % {"status": remedy.get_status_display()},
            code="not_reported",
        )


@transaction.atomic
def remedy_verify(*, remedy: Remedy, user) -> Remedy:
    """Accept a reported remedy: the remedy is verified and its finding remedied.

    Only the team members who appraise the finding's review area. Raises PermissionDenied or ValidationError.
    """
    rights.require(not rights.works_in_commune(user, remedy.finding.visit.unit_id), rights.own_commune_message())
    rights.require(
        rights.can_judge(user, remedy.finding.visit),
        _("Only a member of the inspection team can verify a remedy."),
    )
    permissions.check_follow_up(user, remedy.finding)
    remedy = _lock_remedy(remedy)
    _require_reported(remedy)
    now = timezone.now()
    remedy.status = Remedy.Status.VERIFIED
    remedy.verified_by = user
    remedy.verified_at = now
    remedy.save(update_fields=["status", "verified_by", "verified_at"])
    finding = remedy.finding
    finding.status = Finding.Status.REMEDIED
    finding.resolved_at = now
    finding.save(update_fields=["status", "resolved_at"])
    events.remedy_decided(remedy, verified=True)
    return remedy


@transaction.atomic
def remedy_return(*, remedy: Remedy, user, reason: str) -> Remedy:
    """Send a reported remedy back to the commune with the reason; its finding is open again.

    Only the team members who appraise the finding's review area. Raises PermissionDenied, or
    ValidationError when the reason is missing or the remedy is not reported.
    """
    rights.require(not rights.works_in_commune(user, remedy.finding.visit.unit_id), rights.own_commune_message())
    rights.require(
        rights.can_judge(user, remedy.finding.visit),
        _("Only a member of the inspection team can send a remedy back."),
    )
    permissions.check_follow_up(user, remedy.finding)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the remedy is sent back, so the commune knows what to do."), code="required")
    remedy = _lock_remedy(remedy)
    _require_reported(remedy)
    remedy.status = Remedy.Status.RETURNED
    remedy.return_reason = reason
    remedy.save(update_fields=["status", "return_reason"])
    finding = remedy.finding
    finding.status = Finding.Status.OPEN
    finding.save(update_fields=["status"])
    events.remedy_decided(remedy, verified=False)
    return remedy
