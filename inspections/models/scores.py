import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .criteria import SCORE_DIGITS
from .history import HistoryWritingQuerySet


def scores_changed(visit_ids, *, using: str = "default") -> None:
    """Count one more write of the scores of these visits: their kept sums (VisitTally) are no longer trusted.

    One statement per visit that makes the row or adds one to its version under the row's lock, so that
    two writers at once give two versions, and a reader who added up the scores before a write
    committed can never store its sums under the version that follows the write.
    """
    visit_ids = sorted({int(pk) for pk in visit_ids if pk is not None})
    if not visit_ids:
        return
    table = connections[using].ops.quote_name(VisitTally._meta.db_table)
    # Bandit B608 reviewed: the only interpolated name is the model's own table; the values are parameters.
    sql = (
        f"INSERT INTO {table} (visit_id, scores_version, criteria_key) VALUES (%s, 1, '') "  # nosec
        f"ON CONFLICT (visit_id) DO UPDATE SET scores_version = {table}.scores_version + 1"
    )
    with connections[using].cursor() as cursor:
        cursor.executemany(sql, [(pk,) for pk in visit_ids])


class ScoreQuerySet(HistoryWritingQuerySet):
    """Every bulk write of scores also counts as a write for the visits' kept sums (`scores_changed`)."""

    def _visit_ids(self):
        return set(self.order_by().values_list("visit_id", flat=True).distinct())

    def update(self, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            visit_ids = self._visit_ids()
            count = super().update(**kwargs)
            scores_changed(visit_ids, using=self.db)
        return count

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            visit_ids = self._visit_ids()
            result = super().delete()
            scores_changed(visit_ids, using=self.db)
        return result

    delete.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            count = super().bulk_update(objs, fields, batch_size=batch_size)
            scores_changed((obj.visit_id for obj in objs), using=self.db)
        return count

    bulk_update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            scores_changed((obj.visit_id for obj in objs), using=self.db)
        return created

    bulk_create.alters_data = True


class CriterionScore(models.Model):
    """The self score and the appraised score of one criterion at one visit.

    `max_score` is copied from the criterion when the row is made so that the
    database itself can refuse a score above the maximum. `version` grows on
    every save and lets two inspectors detect each other's edits.
    """

    class NotApplicable(models.TextChoices):
        NO = "", _("applies")
        DECLARED = "declared", _("declared not applicable")
        ACCEPTED = "accepted", _("not applicable (accepted)")
        REFUSED = "refused", _("not applicable refused")

    visit = models.ForeignKey(
        "inspections.Visit", verbose_name=_("visit"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        "inspections.Criterion", verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    max_score = models.DecimalField(_("maximum score"), **SCORE_DIGITS)
    self_score = models.DecimalField(_("self score"), **SCORE_DIGITS, null=True, blank=True)
    self_explanation = models.TextField(_("explanation"), blank=True)
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("self-scored by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    self_at = models.DateTimeField(_("self-scored at"), null=True, blank=True)
    appraised_score = models.DecimalField(_("appraised score"), **SCORE_DIGITS, null=True, blank=True)
    appraised_comment = models.TextField(_("appraisal comment"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraised by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    appraised_at = models.DateTimeField(_("appraised at"), null=True, blank=True)
    # Not applicable (không phát sinh): declared by the commune, accepted or refused by the team.
    not_applicable = models.CharField(
        _("not applicable"), max_length=10, choices=NotApplicable.choices, default=NotApplicable.NO, blank=True
    )
    not_applicable_reason = models.TextField(_("why it does not apply"), blank=True)
    not_applicable_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("not applicable decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    not_applicable_decided_at = models.DateTimeField(_("not applicable decided at"), null=True, blank=True)
    explanation_requested = models.BooleanField(_("explanation requested"), default=False)
    explanation_request = models.TextField(_("question to the commune"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(inherit=False)
    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["visit", "criterion__order", "criterion__code"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(condition=Q(max_score__gte=0), name="score_max_not_negative"),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=0, self_score__lte=F("max_score")),
                name="score_self_in_range",
            ),
            models.CheckConstraint(
                condition=Q(appraised_score__isnull=True)
                | Q(appraised_score__gte=0, appraised_score__lte=F("max_score")),
                name="score_appraised_in_range",
            ),
            # An accepted "not applicable" leaves no appraised score to count.
            models.CheckConstraint(
                condition=~Q(not_applicable="accepted") | Q(appraised_score__isnull=True),
                name="score_not_applicable_unscored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.criterion.code}"

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or "default"
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)
            scores_changed([self.visit_id], using=using)

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or "default"
        with transaction.atomic(using=using, savepoint=False):
            result = super().delete(*args, **kwargs)
            scores_changed([self.visit_id], using=using)
        return result

    def clean(self):
        errors = {}
        for field in ("self_score", "appraised_score"):
            value = getattr(self, field)
            if value is not None and self.max_score is not None and not (0 <= value <= self.max_score):
                errors[field] = _("The score must lie between 0 and %(max)s.") % {"max": self.max_score}
        if errors:
            raise ValidationError(errors)

    @property
    def gap(self):
        if self.self_score is None or self.appraised_score is None:
            return None
        return self.appraised_score - self.self_score


class VisitTally(models.Model):
    """The sums of a visit's scores per review area, kept so that a list of many visits need not add them up again.

    Only a cache of `inspections.scoring`: trusted while `sums_version` equals `scores_version`
    (which every write of the visit's scores raises, see `scores_changed`) and `criteria_key`
    equals the digest of the criteria set as it now stands; otherwise the sums are read from the
    scores again and stored afresh. Signed results never come from here but from the minutes.
    """

    visit = models.OneToOneField(
        "inspections.Visit", verbose_name=_("visit"), on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    scores_version = models.PositiveIntegerField(_("scores version"), default=0)
    sums_version = models.PositiveIntegerField(_("version of the sums"), null=True, blank=True)
    criteria_key = models.CharField(_("criteria digest"), max_length=64, blank=True)
    sums = models.JSONField(_("sums per area"), null=True, blank=True)

    class Meta:
        verbose_name = _("score sums of a visit")
        verbose_name_plural = _("score sums of visits")

    def __str__(self) -> str:
        return f"{self.visit_id} · v{self.scores_version}"


def evidence_upload_to(instance, filename: str) -> str:
    """A generated name per commune and month: the original name is kept in the row only."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    now = timezone.now()
    return f"evidence/{instance.unit_id}/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A document that backs a self score (tài liệu kiểm chứng), a contest of the appraisal, or proves a remedy."""

    unit = models.ForeignKey(
        "communes.AdministrativeUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="evidence"
    )
    visit = models.ForeignKey(
        "inspections.Visit",
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    criterion = models.ForeignKey(
        "inspections.Criterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    remedy = models.ForeignKey(
        "inspections.Remedy",
        verbose_name=_("remedy"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    # New evidence filed with a contest of the criterion's appraised score (it also backs the criterion).
    contest = models.ForeignKey(
        "inspections.ScoreContest",
        verbose_name=_("contested score"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=500, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    page_reference = models.CharField(_("page reference"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-uploaded_at"]
        constraints = [
            # Either backs a criterion at a visit, or proves a remedy.
            models.CheckConstraint(
                condition=Q(visit__isnull=False, criterion__isnull=False, remedy__isnull=True)
                | Q(visit__isnull=True, criterion__isnull=True, remedy__isnull=False),
                name="evidence_has_one_target",
            ),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="evidence_sha256_hex"),
        ]
        indexes = [
            models.Index(fields=["visit", "criterion"]),
            models.Index(fields=["unit", "deleted_at"]),
            models.Index(fields=["sha256"]),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class VisitAdjustment(models.Model):
    """A bonus or penalty the team recorded at a visit, with the evidence it rests on."""

    visit = models.ForeignKey(
        "inspections.Visit", verbose_name=_("visit"), on_delete=models.CASCADE, related_name="adjustments"
    )
    item = models.ForeignKey(
        "inspections.AdjustmentItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="recorded"
    )
    points = models.DecimalField(_("points"), **SCORE_DIGITS)
    note = models.TextField(_("grounds"), help_text=_("What was found, and the document that proves it."))
    document = models.CharField(
        _("evidence document"), max_length=300, blank=True, help_text=_("Number and date, e.g. 12/QĐ-UBND, 03/02/2021")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # Points count in the official total: who recorded, changed or removed them stays in the visit's record.
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = _("bonus or penalty")
        verbose_name_plural = _("bonuses and penalties")
        ordering = ["visit", "item__kind", "item__order", "recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="adjustment_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.item.code} {self.points}"


class SurveyResult(models.Model):
    """A commune's result on one survey sub-index, in percent, as imported by the secretariat."""

    visit = models.ForeignKey(
        "inspections.Visit", verbose_name=_("visit"), on_delete=models.CASCADE, related_name="survey_results"
    )
    index = models.ForeignKey(
        "inspections.SurveyIndex", verbose_name=_("survey sub-index"), on_delete=models.PROTECT, related_name="results"
    )
    value = models.DecimalField(_("result (percent)"), max_digits=5, decimal_places=2)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    # An import that replaces a result is part of the visit's record too.
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")
        ordering = ["visit", "index__order"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "index"], name="survey_result_one_per_index"),
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=100), name="survey_result_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.index.code} {self.value}"
