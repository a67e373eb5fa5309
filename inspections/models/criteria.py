from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCORE_DIGITS = {"max_digits": 6, "decimal_places": 2}


class CriteriaSet(models.Model):
    """The scored criteria of one year for one inspecting authority (bộ tiêu chí)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    authority = models.ForeignKey(
        "communes.AdministrativeUnit",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="criteria_sets",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total_max = models.DecimalField(
        _("total maximum score"),
        **SCORE_DIGITS,
        default=Decimal("100"),
        help_text=_("The criteria's maxima must add up to this total."),
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year", "name"], name="criteria_set_unique_name"),
            models.CheckConstraint(condition=Q(total_max__gt=0), name="criteria_set_total_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class ReviewArea(models.Model):
    """One of the review areas of a set (lĩnh vực), e.g. administrative procedures."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="areas"
    )
    code = models.SlugField(_("code"), max_length=30, help_text=_("Stable key across years, e.g. procedures."))
    number = models.CharField(_("number"), max_length=10, help_text=_("As printed, e.g. 4 or IV."))
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("review area")
        verbose_name_plural = _("review areas")
        ordering = ["criteria_set", "order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="area_unique_code"),
            models.UniqueConstraint(fields=["criteria_set", "number"], name="area_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Criterion(models.Model):
    """A node of the criteria tree (tiêu chí, tiêu chí thành phần) with its maximum score.

    Leaves are scored; a parent's maximum is the sum of its children's.
    """

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="criteria"
    )
    area = models.ForeignKey(
        ReviewArea, verbose_name=_("review area"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent criterion"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("For example 1.1.2"))
    title = models.TextField(_("title"))
    max_score = models.DecimalField(_("maximum score"), **SCORE_DIGITS, validators=[MinValueValidator(Decimal("0"))])
    guidance = models.TextField(_("scoring guidance"), blank=True)
    expected_evidence = models.TextField(_("evidence expected"), blank=True)
    # A fixed list of [{"label": "...", "score": "0.25"}] where the guidance allows only set values.
    scoring_options = models.JSONField(_("scoring options"), default=list, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code"),
            models.CheckConstraint(condition=Q(max_score__gte=0), name="criterion_max_not_negative"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="criterion_not_own_parent"),
        ]
        indexes = [models.Index(fields=["criteria_set", "area"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"

    @property
    def depth(self) -> int:
        return self.code.count(".")

    def clean(self):
        errors = {}
        if self.area_id and self.criteria_set_id and self.area.criteria_set_id != self.criteria_set_id:
            errors["area"] = _("The review area belongs to another criteria set.")
        if self.parent_id:
            if self.parent.criteria_set_id != self.criteria_set_id:
                errors["parent"] = _("The parent criterion belongs to another criteria set.")
            elif self.parent.area_id != self.area_id:
                errors["parent"] = _("A sub-criterion must be in the same review area as its parent.")
        options_error = validate_scoring_options(self.scoring_options, self.max_score)
        if options_error:
            errors["scoring_options"] = options_error
        if errors:
            raise ValidationError(errors)


def validate_scoring_options(options, max_score) -> str | None:
    """Return a message when the fixed scoring options are malformed or exceed the maximum."""
    if not options:
        return None
    if not isinstance(options, list):
        return _("Scoring options must be a list.")
    for option in options:
        if not isinstance(option, dict) or "label" not in option or "score" not in option:
            return _("Each scoring option needs a label and a score.")
        try:
            score = Decimal(str(option["score"]))
        except ArithmeticError:
            return _("A scoring option has a score that is not a number.")
        if score < 0 or (max_score is not None and score > max_score):
            return _("A scoring option's score must lie between 0 and the maximum.")
    return None


class ClassificationBand(models.Model):
    """A grade reached from `min_percent` upwards (Tốt ≥ 90 %, Khá ≥ 70 % …)."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="bands"
    )
    label = models.CharField(_("grade"), max_length=60)
    min_percent = models.DecimalField(
        _("from percent"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    color = models.CharField(_("colour"), max_length=20, default="secondary", help_text=_("Bootstrap colour name."))

    class Meta:
        verbose_name = _("classification band")
        verbose_name_plural = _("classification bands")
        ordering = ["criteria_set", "-min_percent"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "label"], name="band_unique_label"),
            models.UniqueConstraint(fields=["criteria_set", "min_percent"], name="band_unique_threshold"),
            models.CheckConstraint(condition=Q(min_percent__gte=0, min_percent__lte=100), name="band_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.min_percent}%"
