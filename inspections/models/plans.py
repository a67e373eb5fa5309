from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .history import HistoryWritingQuerySet


class InspectionPlan(models.Model):
    """A yearly inspection campaign of one authority (Kế hoạch kiểm tra CCHC)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        IN_PROGRESS = "in_progress", _("in progress")
        CONCLUDED = "concluded", _("concluded")

    class Form(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        DOCUMENTS = "documents", _("by documents")
        UNANNOUNCED = "unannounced", _("unannounced")

    authority = models.ForeignKey(
        "communes.AdministrativeUnit", verbose_name=_("authority"), on_delete=models.PROTECT, related_name="plans"
    )
    criteria_set = models.ForeignKey(
        "inspections.CriteriaSet", verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number"), max_length=60, help_text=_("For example 125/KH-UBND"))
    issued_on = models.DateField(_("issued on"))
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose and requirements"), blank=True)
    scope = models.TextField(_("scope and content"), blank=True)
    forms = models.JSONField(_("forms of inspection"), default=list, blank=True)
    round_start = models.DateField(_("round starts"))
    round_end = models.DateField(_("round ends"))
    self_assessment_deadline = models.DateField(_("self-assessment deadline"), null=True, blank=True)
    # How long a commune may contest the team's first-round appraisal once it is published (phúc tra).
    appeal_working_days = models.PositiveSmallIntegerField(
        _("working days to contest the appraisal"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "Counted from the day the team publishes its first-round appraisal; weekends and holidays skipped."
        ),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_plans",
    )
    # The district report's own text, written by the secretariat from the findings before the final version.
    report_assessment = models.TextField(_("overall assessment"), blank=True)
    report_proposals = models.TextField(_("proposals"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "-round_start"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year", "number"], name="plan_unique_number"),
            models.CheckConstraint(condition=Q(round_end__gte=models.F("round_start")), name="plan_round_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        unknown = set(self.forms or []) - set(self.Form.values)
        if unknown:
            errors["forms"] = _("Unknown form of inspection: %(forms)s") % {"forms": ", ".join(sorted(unknown))}
        if self.round_start and self.round_end and self.round_end < self.round_start:
            errors["round_end"] = _("The round cannot end before it starts.")
        if self.criteria_set_id and self.year and self.criteria_set.year != self.year:
            errors["criteria_set"] = _("The criteria set is for another year.")
        if errors:
            raise ValidationError(errors)

    def get_forms_display(self) -> str:
        labels = dict(self.Form.choices)
        return ", ".join(str(labels.get(f, f)) for f in self.forms or [])


class InspectionTeam(models.Model):
    """The team formed by decision for a campaign (Quyết định thành lập Đoàn kiểm tra)."""

    plan = models.OneToOneField(InspectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=255)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    # Who changed the team, and when, is kept: a seat decides who signs and reopens minutes.
    history = HistoricalRecords(inherit=False)
    objects = HistoryWritingQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection team")
        verbose_name_plural = _("inspection teams")

    def __str__(self) -> str:
        return self.name


class TeamGroup(models.Model):
    """A group of the team and the review areas it appraises at every commune."""

    team = models.ForeignKey(InspectionTeam, verbose_name=_("team"), on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    areas = models.ManyToManyField(
        "inspections.ReviewArea", verbose_name=_("review areas"), related_name="groups", blank=True
    )
    history = HistoricalRecords(inherit=False, m2m_fields=[areas])
    objects = HistoryWritingQuerySet.as_manager()

    class Meta:
        verbose_name = _("team group")
        verbose_name_plural = _("team groups")
        ordering = ["team", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="group_unique_name")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A person on the team, with his department, role in the team and group."""

    class Role(models.TextChoices):
        LEAD = "lead", _("team lead")
        DEPUTY = "deputy", _("deputy lead")
        MEMBER = "member", _("member")
        SECRETARY = "secretary", _("secretary")

    team = models.ForeignKey(InspectionTeam, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    department = models.ForeignKey(
        "communes.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_members",
    )
    role = models.CharField(_("role in team"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    position = models.CharField(_("position"), max_length=150, blank=True)
    group = models.ForeignKey(
        TeamGroup, verbose_name=_("group"), on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords(inherit=False)
    objects = HistoryWritingQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_member_unique_user"),
            models.UniqueConstraint(fields=["team"], condition=Q(role="lead"), name="team_single_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        if self.group_id and self.team_id and self.group.team_id != self.team_id:
            raise ValidationError({"group": _("The group belongs to another team.")})


class Visit(models.Model):
    """The inspection of one commune-level unit within a campaign."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        SELF_ASSESSMENT = "self_assessment", _("self-assessment open")
        SUBMITTED = "submitted", _("self-assessment submitted")
        APPRAISING = "appraising", _("appraising")
        SIGNED = "signed", _("minutes signed")
        CONCLUDED = "concluded", _("concluded")

    LOCKED_STATUSES = frozenset({Status.SIGNED, Status.CONCLUDED})

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="visits")
    unit = models.ForeignKey(
        "communes.AdministrativeUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="visits"
    )
    scheduled_on = models.DateField(_("scheduled on"), null=True, blank=True)
    scheduled_time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    # Overrides the plan's deadline when the secretariat extends it for one commune.
    self_assessment_deadline = models.DateField(_("self-assessment deadline"), null=True, blank=True)
    self_submitted_at = models.DateTimeField(_("self-assessment submitted at"), null=True, blank=True)
    self_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The first-round appraisal is shown to the commune once published; the appeal window opens then.
    appraisal_published_at = models.DateTimeField(_("appraisal published at"), null=True, blank=True)
    appraisal_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraisal published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    appeal_deadline = models.DateField(_("last day to contest the appraisal"), null=True, blank=True)
    appeal_waived_at = models.DateTimeField(_("commune declared it will not contest"), null=True, blank=True)
    appeal_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(inherit=False)
    objects = HistoryWritingQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["plan", "scheduled_on", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="visit_one_per_commune")]
        indexes = [models.Index(fields=["unit", "plan"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.plan.year}"

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED_STATUSES

    @property
    def appraisal_published(self) -> bool:
        return self.appraisal_published_at is not None

    @property
    def effective_deadline(self):
        return self.self_assessment_deadline or self.plan.self_assessment_deadline
