"""Who may see what: the scope of a user, computed once per request from his memberships."""

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from communes.models import AdministrativeUnit
from communes.selectors import lineages as unit_lineages

from .models import Membership

Role = Membership.Role


@dataclass(frozen=True)
class Scope:
    """The units a user reaches, by the kind of right he holds in them."""

    is_superuser: bool
    roles: frozenset[str]
    # Units where he holds an overseeing role (an authority); `authority_unit_ids` adds those below them.
    overseen_unit_ids: frozenset[int]
    # Commune-level units he belongs to, with the units they succeeded.
    commune_unit_ids: frozenset[int]
    # His commune roles by unit: those held in the unit, or in a unit that succeeded it.
    commune_roles_by_unit: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    # The commune-level units where he holds any membership, with the units they succeeded: the
    # communes he works in, which he never judges (a unit that succeeded a commune is a commune).
    works_in_unit_ids: frozenset[int] = frozenset()

    @cached_property
    def authority_unit_ids(self) -> frozenset[int]:
        """Units whose campaigns he oversees: his authorities and the units below them, read on first use."""
        return frozenset(_with_descendants(set(self.overseen_unit_ids)))

    def oversees(self, unit_id: int) -> bool:
        """Whether the unit is one of `authority_unit_ids`: his own authorities need no read of the units below."""
        return unit_id in self.overseen_unit_ids or unit_id in self.authority_unit_ids

    @property
    def is_anonymous(self) -> bool:
        return not self.is_superuser and not self.roles

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.roles.intersection(roles))

    @property
    def is_authority_user(self) -> bool:
        return self.is_superuser or bool(self.roles & Membership.AUTHORITY_ROLES)

    @property
    def is_commune_user(self) -> bool:
        return bool(self.roles & Membership.COMMUNE_ROLES)


EMPTY_SCOPE = Scope(False, frozenset(), frozenset(), frozenset())
_OVERSEEING_ROLES = {Role.ADMIN, Role.SECRETARIAT, Role.TEAM_LEAD, Role.VIEWER}


def _with_descendants(unit_ids: set[int]) -> set[int]:
    """The units and those below them, two levels down (an authority, its districts, their communes).

    One indexed lookup per level. A single query for both levels (a join on the parent, or an OR
    with a subquery of the children) reads the whole register, some fourteen thousand units, on
    every request of an authority's people.
    """
    found, frontier = set(unit_ids), set(unit_ids)
    for _depth in range(2):
        if not frontier:
            break
        below = AdministrativeUnit.objects.filter(parent_id__any_of=frontier).values_list("id", flat=True)
        frontier = set(below) - found
        found |= frontier
    return found


def scope_for(user) -> Scope:
    """Return the user's scope; cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_cchc_scope", None)
    if cached is not None:
        return cached
    memberships = list(
        # No ordering: the memberships' default one would join the user to sort them.
        Membership.objects.filter(user=user, is_active=True).order_by().values_list("role", "unit_id", "unit__level")
    )
    roles = frozenset(role for role, _unit, _level in memberships)
    overseen = {unit for role, unit, _level in memberships if role in _OVERSEEING_ROLES}
    commune_roles = [(role, unit) for role, unit, _level in memberships if role in Membership.COMMUNE_ROLES]
    commune_level = {unit for _role, unit, level in memberships if level == AdministrativeUnit.Level.COMMUNE}
    lineages = unit_lineages(commune_level | {unit for _role, unit in commune_roles})
    roles_by_unit: dict[int, set[str]] = {}
    for role, unit in commune_roles:
        for older in lineages[unit]:
            roles_by_unit.setdefault(older, set()).add(role)
    scope = Scope(
        is_superuser=user.is_superuser,
        roles=roles,
        overseen_unit_ids=frozenset(overseen),
        commune_unit_ids=frozenset().union(*(lineages[unit] for _role, unit in commune_roles)),
        commune_roles_by_unit=MappingProxyType({unit: frozenset(held) for unit, held in roles_by_unit.items()}),
        works_in_unit_ids=frozenset().union(*(lineages[unit] for unit in commune_level)),
    )
    user._cchc_scope = scope
    return scope
