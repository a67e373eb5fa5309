from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .criteria import SCORE_DIGITS
from .history import HistoryWritingQuerySet


class ScoreContest(models.Model):
    """A commune contests the team's first-round score of one criterion (phúc tra); the team's decision is final.

    The first-round score and comment are copied when the contest is filed, so the record
    shows round 1, the contest and round 2 side by side whatever the score row holds later.
    """

    class Status(models.TextChoices):
        # Prepared by the commune's staff; the commune lead files it (as he submits the self-assessment).
        DRAFT = "draft", _("draft, not filed")
        PENDING = "pending", _("awaiting the team's decision")
        KEPT = "kept", _("score kept")
        CHANGED = "changed", _("score changed")

    DECIDED_STATUSES = frozenset({Status.KEPT, Status.CHANGED})

    visit = models.ForeignKey(
        "inspections.Visit", verbose_name=_("visit"), on_delete=models.CASCADE, related_name="contests"
    )
    criterion = models.ForeignKey(
        "inspections.Criterion", verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="contests"
    )
    explanation = models.TextField(_("why the commune contests the score"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_score = models.DecimalField(_("first-round score"), **SCORE_DIGITS)
    first_comment = models.TextField(_("first-round comment"), blank=True)
    contested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contested_at = models.DateTimeField(_("contested at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_score = models.DecimalField(_("second-round score"), **SCORE_DIGITS, null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords(inherit=False)
    objects = HistoryWritingQuerySet.as_manager()

    class Meta:
        verbose_name = _("contested score")
        verbose_name_plural = _("contested scores")
        ordering = ["visit", "criterion__order", "criterion__code"]
        constraints = [
            # One contest per criterion and visit: the second appraisal is final.
            models.UniqueConstraint(fields=["visit", "criterion"], name="contest_one_per_criterion"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "pending"], decided_score__isnull=True)
                | Q(status__in=["kept", "changed"], decided_score__isnull=False),
                name="contest_decided_has_score",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(contested_at__isnull=False), name="contest_filed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.criterion.code}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT
