import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .progress import stage_label

# A render still queued after this long will not start by itself: it may be asked for again.
STALE_QUEUED_AFTER = dt.timedelta(minutes=15)


def report_folder(instance) -> str:
    """One folder per record, so that a record never has more than the one file it names."""
    return f"reports/{instance.plan_id}/{instance.pk}"


def report_upload_to(instance, filename: str) -> str:
    return f"{report_folder(instance)}/{filename}"


class Report(models.Model):
    """One version of a rendered document, from request to downloadable file."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("inspection results report")
        DISTRICT_XLSX = "district_xlsx", _("score table (xlsx)")
        MINUTES = "minutes", _("inspection minutes")
        NOTICE = "notice", _("conclusion notice")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("rendering")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    PER_VISIT_KINDS = frozenset({Kind.MINUTES, Kind.NOTICE})

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    plan = models.ForeignKey(
        "inspections.InspectionPlan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reports"
    )
    visit = models.ForeignKey(
        "inspections.Visit",
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=60, blank=True)
    file = models.FileField(_("file"), upload_to=report_upload_to, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "visit", "version"], name="report_unique_version"),
            models.UniqueConstraint(
                fields=["plan", "kind", "version"], condition=Q(visit__isnull=True), name="report_unique_plan_version"
            ),
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="report_progress_range"),
            models.CheckConstraint(
                condition=Q(kind__in=["minutes", "notice"], visit__isnull=False)
                | Q(kind__in=["district", "district_xlsx"], visit__isnull=True),
                name="report_scope_matches_kind",
            ),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""), name="report_done_has_file"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def can_be_retried(self) -> bool:
        """Failed, or still queued long after the request (its message was lost with a broker)."""
        if self.status == self.Status.FAILED:
            return True
        return self.status == self.Status.QUEUED and self.requested_at < timezone.now() - STALE_QUEUED_AFTER

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)

    @property
    def is_pdf(self) -> bool:
        return self.kind != self.Kind.DISTRICT_XLSX
