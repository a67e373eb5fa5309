from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Vietnamese names are kept whole in `full_name`."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(
        _("position"),
        max_length=150,
        blank=True,
        help_text=_("For example: Vice-Chairman of the district People's Committee."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set while the password is a temporary one: the next sign-in asks for a new password."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    SECRETARIAT = "secretariat", _("secretariat")
    TEAM_LEAD = "team_lead", _("team lead")
    INSPECTOR = "inspector", _("inspector")
    COMMUNE_STAFF = "commune_staff", _("commune staff")
    COMMUNE_LEAD = "commune_lead", _("commune lead")
    VIEWER = "viewer", _("viewer")


class Membership(models.Model):
    """A role a user holds in one administrative unit.

    Authority roles (secretariat, team lead, inspector, viewer, admin) sit on the
    inspecting unit (a district, or a province since 2025); commune roles sit on
    a commune-level unit. An inspector's team group comes from his TeamMember row
    in the campaign's team.
    """

    Role = Role

    AUTHORITY_ROLES = frozenset({Role.ADMIN, Role.SECRETARIAT, Role.TEAM_LEAD, Role.INSPECTOR, Role.VIEWER})
    COMMUNE_ROLES = frozenset({Role.COMMUNE_STAFF, Role.COMMUNE_LEAD})

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        "communes.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        "communes.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The Chairman of the authority's People's Committee, who signs the team decision: once the visits
    # have started he changes the team beside its lead. Only an administrator marks him.
    is_chairman = models.BooleanField(
        _("chairman of the People's Committee"),
        default=False,
        help_text=_("Signs the team decision; once the visits have started, may change the team beside its lead."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role_per_unit"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.unit_id is None or not self.role:
            return
        commune_level = self.unit.is_commune_level
        if self.role in self.COMMUNE_ROLES and not commune_level:
            raise ValidationError({"unit": _("Commune roles must be held in a commune, ward or township.")})
        if self.role in self.AUTHORITY_ROLES and commune_level:
            raise ValidationError({"unit": _("Inspecting roles must be held in a district or province.")})


class DemoDataset(models.Model):
    """Present while the illustrative demo data is loaded; the UI then says so."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("demo data set")
        verbose_name_plural = _("demo data sets")

    def __str__(self) -> str:
        return self.name


# The notification models live in their own package; Django finds them through this module.
from .notifications.models import Delivery, MessageLanguage, Notification, NotificationPreference  # noqa: E402

__all__ = [
    "DemoDataset",
    "Delivery",
    "Membership",
    "MessageLanguage",
    "Notification",
    "NotificationPreference",
    "Role",
    "User",
]
