from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .history import HistoryWritingQuerySet


class Finding(models.Model):
    """What the team noted at a visit: a strength, a shortcoming, a recommendation or a question.

    A shortcoming or recommendation not verified as remedied is carried into the
    commune's next visit as a new finding linked by `carried_from`.
    """

    class Kind(models.TextChoices):
        STRENGTH = "strength", _("strength")
        SHORTCOMING = "shortcoming", _("limitation or shortcoming")
        RECOMMENDATION = "recommendation", _("recommendation")
        QUESTION = "question", _("question")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        REPORTED = "reported", _("remedy reported")
        REMEDIED = "remedied", _("remedied")
        CARRIED_OVER = "carried_over", _("carried over")
        ANSWERED = "answered", _("answered")
        NOTED = "noted", _("noted")

    # Kinds that ask the commune to act and are followed until remedied.
    ACTIONABLE_KINDS = frozenset({Kind.SHORTCOMING, Kind.RECOMMENDATION})
    UNRESOLVED_STATUSES = frozenset({Status.OPEN, Status.REPORTED})

    visit = models.ForeignKey(
        "inspections.Visit", verbose_name=_("visit"), on_delete=models.CASCADE, related_name="findings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    area = models.ForeignKey(
        "inspections.ReviewArea",
        verbose_name=_("review area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    criterion = models.ForeignKey(
        "inspections.Criterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    text = models.TextField(_("text"))
    recommendation = models.TextField(_("recommendation"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.OPEN)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    rechecked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("re-checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rechecked_at = models.DateTimeField(_("re-checked at"), null=True, blank=True)
    history = HistoricalRecords(inherit=False)
    objects = HistoryWritingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["visit", "kind", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(carried_from=models.F("id")), name="finding_not_carried_from_self"),
            models.CheckConstraint(
                condition=Q(kind__in=["shortcoming", "recommendation"]) | Q(status__in=["open", "answered", "noted"]),
                name="finding_remedy_status_only_when_actionable",
            ),
        ]
        indexes = [models.Index(fields=["visit", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def clean(self):
        errors = {}
        if self.criterion_id and self.area_id and self.criterion.area_id != self.area_id:
            errors["criterion"] = _("The criterion is not in the chosen review area.")
        if self.kind not in self.ACTIONABLE_KINDS and self.due_date:
            errors["due_date"] = _("Only shortcomings and recommendations have a due date.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_actionable(self) -> bool:
        return self.kind in self.ACTIONABLE_KINDS

    @property
    def is_unresolved(self) -> bool:
        return self.is_actionable and self.status in self.UNRESOLVED_STATUSES


class Remedy(models.Model):
    """What a commune did about a finding, with proof, and the inspector's verdict."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REPORTED = "reported", _("reported")
        VERIFIED = "verified", _("verified")
        RETURNED = "returned", _("returned")

    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="remedies")
    description = models.TextField(_("what was done"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for sending back"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(inherit=False)
    objects = HistoryWritingQuerySet.as_manager()

    class Meta:
        verbose_name = _("remedy")
        verbose_name_plural = _("remedies")
        ordering = ["finding", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="remedy_return_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class Minutes(models.Model):
    """The minutes of a visit (Biên bản kiểm tra), signed off by the team lead."""

    visit = models.OneToOneField(
        "inspections.Visit", verbose_name=_("visit"), on_delete=models.CASCADE, related_name="minutes"
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    held_on = models.DateField(_("held on"))
    opened_at = models.TimeField(_("opened at"), null=True, blank=True)
    closed_at = models.TimeField(_("closed at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    # [{"name": "...", "position": "...", "side": "team" | "commune"}]
    team_attendees = models.JSONField(_("attendees of the team"), default=list, blank=True)
    commune_attendees = models.JSONField(_("attendees of the commune"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    commune_opinion = models.TextField(_("opinion of the commune"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    # The visit's result as signed (inspections.scoring.visit_result_snapshot), taken by the signing
    # service and discarded on reopening; pages and documents of a signed visit read it. Its history
    # keeps every signed version.
    result_snapshot = models.JSONField(_("result as signed"), null=True, blank=True, editable=False)
    history = HistoricalRecords(inherit=False)
    objects = HistoryWritingQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{_('Minutes')} · {self.visit}"

    def clean(self):
        for field in ("team_attendees", "commune_attendees"):
            value = getattr(self, field)
            if not isinstance(value, list) or any(not isinstance(a, dict) or not a.get("name") for a in value):
                raise ValidationError({field: _("Each attendee needs a name.")})

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class ConclusionNotice(models.Model):
    """The conclusion notice sent to a commune (Thông báo kết luận kiểm tra)."""

    visit = models.OneToOneField(
        "inspections.Visit", verbose_name=_("visit"), on_delete=models.CASCADE, related_name="conclusion"
    )
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    remedy_deadline = models.DateField(_("remedy deadline"), null=True, blank=True)
    summary = models.TextField(_("conclusion"), blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(inherit=False)
    objects = HistoryWritingQuerySet.as_manager()

    class Meta:
        verbose_name = _("conclusion notice")
        verbose_name_plural = _("conclusion notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(remedy_deadline__isnull=True) | Q(remedy_deadline__gte=models.F("issued_on")),
                name="notice_deadline_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.visit}"
