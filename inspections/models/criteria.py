from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
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
    survey_weight = models.DecimalField(
        _("survey weight"),
        **SCORE_DIGITS,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Points of the total that come from the survey; the criteria add up to the rest."),
    )
    bonus_cap = models.DecimalField(
        _("bonus cap"),
        **SCORE_DIGITS,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("At most this many bonus points in all; empty: only each item's cap applies."),
    )
    penalty_cap = models.DecimalField(
        _("penalty cap"),
        **SCORE_DIGITS,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("At most this many penalty points in all; empty: only each item's cap applies."),
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
            models.CheckConstraint(
                condition=Q(survey_weight__gte=0, survey_weight__lt=models.F("total_max")),
                name="criteria_set_survey_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


def title_in_language(title: str, title_en: str) -> str:
    """An area's title in the reader's language: the English one on English pages, when the set has it."""
    if title_en and (get_language() or "").startswith("en"):
        return title_en
    return title


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

    @property
    def shown_title(self) -> str:
        return title_in_language(self.title, self.title_en)


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
    may_be_not_applicable = models.BooleanField(
        _("may be declared not applicable"),
        default=False,
        help_text=_("A commune where it does not arise may declare it not applicable; the team accepts or refuses."),
    )
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
    area_floor_percent = models.DecimalField(
        _("no area below (percent)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The grade also needs every review area at or above this percentage; empty: no such rule."),
    )
    requires_no_serious_violation = models.BooleanField(
        _("no serious violation"),
        default=False,
        help_text=_("The grade is refused when a penalty for a serious violation was recorded."),
    )

    class Meta:
        verbose_name = _("classification band")
        verbose_name_plural = _("classification bands")
        ordering = ["criteria_set", "-min_percent"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "label"], name="band_unique_label"),
            models.UniqueConstraint(fields=["criteria_set", "min_percent"], name="band_unique_threshold"),
            models.CheckConstraint(condition=Q(min_percent__gte=0, min_percent__lte=100), name="band_percent_range"),
            models.CheckConstraint(
                condition=Q(area_floor_percent__isnull=True)
                | Q(area_floor_percent__gte=0, area_floor_percent__lte=100),
                name="band_area_floor_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.min_percent}%"


class AdjustmentItem(models.Model):
    """A bonus or penalty the set allows (điểm thưởng, điểm trừ), with the most points it may bring."""

    class Kind(models.TextChoices):
        BONUS = "bonus", _("bonus")
        PENALTY = "penalty", _("penalty")

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="adjustment_items"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=20, help_text=_("For example T1 or D2"))
    title = models.CharField(_("title"), max_length=300)
    max_points = models.DecimalField(
        _("maximum points"), **SCORE_DIGITS, validators=[MinValueValidator(Decimal("0.01"))]
    )
    serious_violation = models.BooleanField(
        _("serious violation"),
        default=False,
        help_text=_("A penalty of this item counts as a serious violation for the grade rules."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("bonus or penalty item")
        verbose_name_plural = _("bonus and penalty items")
        ordering = ["criteria_set", "kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="adjustment_item_unique_code"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="adjustment_item_max_positive"),
            models.CheckConstraint(
                condition=Q(serious_violation=False) | Q(kind="penalty"), name="adjustment_item_serious_is_penalty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"

    def clean(self):
        if self.serious_violation and self.kind != self.Kind.PENALTY:
            raise ValidationError({"serious_violation": _("Only a penalty can mark a serious violation.")})


class SurveyIndex(models.Model):
    """A sub-index of the survey component (people's satisfaction, officials' assessment) and its weight."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="survey_indices"
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("The column heading of the survey sheet, e.g. SIPAS"))
    title = models.CharField(_("title"), max_length=300)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Share of the survey component, e.g. 60 and 40."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("survey sub-index")
        verbose_name_plural = _("survey sub-indices")
        ordering = ["criteria_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="survey_index_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="survey_index_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"
