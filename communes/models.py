from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .folding import fold

# The prefix of each kind of unit ("Xã", "Phường"…) by language, translated once: a province's pages
# write some hundreds of unit names, and each lazy translation costs a catalogue lookup.
_PREFIXES: dict[tuple, str] = {}


def _prefix(kind: str) -> str:
    key = (get_language(), kind)
    text = _PREFIXES.get(key)
    if text is None:
        text = _PREFIXES[key] = str(AdministrativeUnit.PREFIX_OF_KIND[kind])
    return text


class AdministrativeUnit(models.Model):
    """A province, district or commune-level unit, kept with its validity dates."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("centrally-run city")
        DISTRICT = "district", _("district")
        URBAN_DISTRICT = "urban_district", _("urban district")
        TOWN = "town", _("district-level town")
        PROVINCIAL_CITY = "provincial_city", _("city under a province")
        COMMUNE = "commune", _("commune")
        WARD = "ward", _("ward")
        TOWNSHIP = "township", _("township")
        SPECIAL_ZONE = "special_zone", _("special zone")

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province level")
        DISTRICT = 2, _("district level")
        COMMUNE = 3, _("commune level")

    LEVEL_OF_KIND = {
        Kind.PROVINCE: Level.PROVINCE,
        Kind.CITY: Level.PROVINCE,
        Kind.DISTRICT: Level.DISTRICT,
        Kind.URBAN_DISTRICT: Level.DISTRICT,
        Kind.TOWN: Level.DISTRICT,
        Kind.PROVINCIAL_CITY: Level.DISTRICT,
        Kind.COMMUNE: Level.COMMUNE,
        Kind.WARD: Level.COMMUNE,
        Kind.TOWNSHIP: Level.COMMUNE,
        Kind.SPECIAL_ZONE: Level.COMMUNE,
    }
    # The word that precedes the name in documents: "xã Tân Hội", "thị trấn Tân Hiệp".
    PREFIX_OF_KIND = {
        Kind.PROVINCE: _("Province"),
        Kind.CITY: _("City"),
        Kind.DISTRICT: _("District"),
        Kind.URBAN_DISTRICT: _("Urban district"),
        Kind.TOWN: _("Town"),
        Kind.PROVINCIAL_CITY: _("City"),
        Kind.COMMUNE: _("Commune"),
        Kind.WARD: _("Ward"),
        Kind.TOWNSHIP: _("Township"),
        Kind.SPECIAL_ZONE: _("Special zone"),
    }
    # The commune-level kinds as a text lists them, in the order official texts write them:
    # "các xã, phường, thị trấn", since 2025 "các xã, phường, đặc khu".
    PLURAL_OF_KIND = {
        Kind.COMMUNE: pgettext_lazy("kinds of units", "communes"),
        Kind.WARD: pgettext_lazy("kinds of units", "wards"),
        Kind.TOWNSHIP: pgettext_lazy("kinds of units", "townships"),
        Kind.SPECIAL_ZONE: pgettext_lazy("kinds of units", "special zones"),
    }

    code = models.CharField(_("official code"), max_length=10)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    # The name without diacritics or case, so that "thanh dong" finds "Thạnh Đông".
    search_name = models.CharField(max_length=120, editable=False, blank=True, db_index=True)
    # Decree 30/2020: the archive line "Lưu: VT, NV." names the clerical office and the drafting unit.
    drafting_unit_code = models.CharField(
        _("drafting unit's code"),
        max_length=20,
        blank=True,
        default="NV",
        help_text=_(
            "The code of the office that drafts the authority's inspection documents, printed in the archive "
            "line of their recipients (Lưu: VT, NV.). Empty for a commune."
        ),
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "name"]
        constraints = [
            # Codes are reused after mergers, so only one *current* unit may hold a code.
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_to__isnull=True),
                name="unit_code_unique_while_current",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]
        indexes = [models.Index(fields=["parent", "kind"])]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.level = self.LEVEL_OF_KIND[self.kind]
        self.search_name = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def clean(self):
        if self.parent_id and self.kind and self.parent.level_of_kind >= self.LEVEL_OF_KIND[self.kind]:
            raise ValidationError({"parent": _("The parent unit must be of a higher level.")})

    @property
    def display_name(self) -> str:
        return f"{_prefix(self.kind)} {self.name}"

    @property
    def name_in_sentence(self) -> str:
        """The unit inside a sentence, its kind in lower case: "xã Tân Hội", "UBND huyện Tân Hiệp"."""
        return f"{_prefix(self.kind).lower()} {self.name}"

    @property
    def level_of_kind(self) -> int:
        return self.LEVEL_OF_KIND[self.kind]

    @property
    def is_commune_level(self) -> bool:
        return self.LEVEL_OF_KIND[self.kind] == self.Level.COMMUNE

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


# The kinds named together, by language and set of kinds: a few texts of a page or document each ask.
_KIND_PHRASES: dict[tuple, str] = {}


def kinds_phrase(kinds) -> str:
    """The commune-level kinds among `kinds` named together: "xã, thị trấn", "communes, wards and special zones".

    In the order official texts list them; communes alone when none of `kinds` is commune-level.
    """
    present = set(kinds)
    wanted = tuple(kind for kind in AdministrativeUnit.PLURAL_OF_KIND if kind in present)
    key = (get_language(), wanted)
    text = _KIND_PHRASES.get(key)
    if text is None:
        names = [str(AdministrativeUnit.PLURAL_OF_KIND[kind]) for kind in wanted or (AdministrativeUnit.Kind.COMMUNE,)]
        text = names[0]
        if len(names) > 1:
            text = pgettext("kinds of units", "%(kinds)s and %(last)s") % {
                "kinds": ", ".join(names[:-1]),
                "last": names[-1],
            }
        _KIND_PHRASES[key] = text
    return text


class UnitSuccession(models.Model):
    """A merger or split: `successor` took over (part of) `predecessor` on `effective_on`."""

    successor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("successor"),
        on_delete=models.CASCADE,
        related_name="predecessor_links",
    )
    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("predecessor"),
        on_delete=models.CASCADE,
        related_name="successor_links",
    )
    effective_on = models.DateField(_("effective on"))
    partial = models.BooleanField(
        _("part of the predecessor"),
        default=False,
        help_text=_("The predecessor was split between several successors; this one took a part of it."),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=200, blank=True, help_text=_("Resolution that decided the change.")
    )

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        ordering = ["-effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["successor", "predecessor"], name="succession_unique_pair"),
            models.CheckConstraint(condition=~Q(successor=models.F("predecessor")), name="succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Department(models.Model):
    """An office or specialised department of an inspecting authority (Phòng Nội vụ …)."""

    authority = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("authority"),
        on_delete=models.CASCADE,
        related_name="departments",
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    is_standing_body = models.BooleanField(
        _("standing body for administrative reform"),
        default=False,
        help_text=_("The office that acts as the secretariat (usually Home Affairs)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["authority", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.short_name or self.name
