"""Writes on people: accounts created, edited, deactivated, passwords reset, sign-in lockouts lifted."""

import logging
import secrets
from dataclasses import dataclass

from axes.utils import reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communes.folding import fold
from communes.models import AdministrativeUnit, Department

from .models import Delivery, Membership, User
from .notifications.services import account_link_send
from .selectors import (
    can_unlock,
    commune_list_for_authority,
    grantable_roles,
    managed_authority_list_for_user,
    units_under,
    unlockable_usernames,
)

Role = Membership.Role
# No look-alike characters (0/O, 1/l/I): the secretariat reads it out or writes it down.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class NewAccount:
    """An account just created or reset, with its temporary password, shown once."""

    user: User
    password: str
    link_sent: bool = False


def temporary_password() -> str:
    """A random 12-character password that must be changed at the first sign-in."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _i in range(12))


def username_suggest(full_name: str, taken: set[str] | None = None) -> str:
    """A free username from the name, given name first: "Nguyễn Văn An" → "annv", then "annv2"."""
    words = fold(full_name).replace("-", " ").split()
    words = ["".join(ch for ch in w if ch.isalnum()) for w in words]
    words = [w for w in words if w]
    base = (words[-1] + "".join(w[0] for w in words[:-1])) if words else "user"
    base = base[:140]
    taken = taken or set()
    candidate, number = base, 1
    while candidate in taken or User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def _check_manages(manager, authority: AdministrativeUnit) -> frozenset[str]:
    if authority not in managed_authority_list_for_user(manager):
        raise PermissionDenied(_("Only the secretariat of the authority manages its people."))
    return grantable_roles(manager, authority)


def _check_role(granted: frozenset[str], role: str) -> None:
    if role not in granted:
        raise PermissionDenied(_("You cannot grant a role above your own."))


def _check_person(manager, authority, person: User, granted: frozenset[str], *, whole_account: bool = True) -> None:
    """A person is managed only by his authority, and only by someone whose role is not below his.

    His name, contacts and password belong to the whole account: only an administrator changes
    them for someone who also works for another authority (`whole_account`).
    """
    if manager.is_superuser:
        return
    if person.is_superuser:
        raise PermissionDenied(_("Only an administrator manages an administrator's account."))
    units = AdministrativeUnit.objects.filter(units_under(authority))
    here = person.memberships.filter(unit__in=units)
    if not here.exists():
        raise PermissionDenied(_("This person does not belong to your authority or its communes."))
    roles = set(here.filter(is_active=True).values_list("role", flat=True))
    if roles - granted:
        raise PermissionDenied(_("This person holds a role above yours; ask an administrator."))
    if whole_account and person.memberships.filter(is_active=True).exclude(unit__in=units).exists():
        raise PermissionDenied(_("This person also works for another authority; ask an administrator."))


def _check_chairman(granted: frozenset[str], role: str, is_chairman: bool) -> None:
    """Only an administrator marks (or unmarks) the chairman, and only on a role in the authority itself."""
    if Membership.Role.ADMIN not in granted:
        raise PermissionDenied(_("Only an administrator names the chairman of the People's Committee."))
    if is_chairman and role in Membership.COMMUNE_ROLES:
        raise ValidationError(
            {"is_chairman": _("The chairman holds a role in the authority itself, not in a commune.")}
        )


def _unit_for(authority: AdministrativeUnit, role: str, commune: AdministrativeUnit | None) -> AdministrativeUnit:
    if role in Membership.COMMUNE_ROLES:
        if commune is None:
            raise ValidationError({"commune": _("Choose the commune of this person.")})
        if not commune_list_for_authority(authority).filter(pk=commune.pk).exists():
            raise ValidationError({"commune": _("This commune is not under your authority.")})
        return commune
    return authority


def _department_for(authority: AdministrativeUnit, role: str, office: str) -> Department | None:
    if role in Membership.COMMUNE_ROLES or not office:
        return None
    folded = fold(office)
    for department in Department.objects.filter(authority=authority):
        if folded in (fold(department.name), fold(department.short_name)):
            return department
    return None


def _send_link_on_commit(user: User, base_url: str) -> bool:
    """Have the worker mail a one-time link to choose a password once the account is stored.

    Returns False without an address.
    """
    return account_link_send(user=user, base_url=base_url, purpose=Delivery.Purpose.ACCOUNT_CREATED)


@transaction.atomic
def person_create(
    *,
    manager,
    authority: AdministrativeUnit,
    full_name: str,
    role: str,
    commune: AdministrativeUnit | None = None,
    username: str = "",
    email: str = "",
    phone: str = "",
    position: str = "",
    base_url: str = "",
    is_chairman: bool = False,
) -> NewAccount:
    """Create an account with a role in the authority or one of its communes, and a temporary password.

    The person must change the password at the first sign-in; with an e-mail address he also
    receives a one-time link. Raises PermissionDenied for a role above the manager's own and
    ValidationError for a taken username or a commune outside the authority.
    """
    granted = _check_manages(manager, authority)
    _check_role(granted, role)
    if is_chairman:
        _check_chairman(granted, role, is_chairman)
    unit = _unit_for(authority, role, commune)
    username = username.strip() or username_suggest(full_name)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username %(username)s is taken.") % {"username": username}})
    password = temporary_password()
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        position=position.strip(),
        must_change_password=True,
    )
    user.set_password(password)
    user.save()
    Membership.objects.create(
        user=user,
        unit=unit,
        role=role,
        department=_department_for(authority, role, position),
        is_chairman=is_chairman,
    )
    return NewAccount(user=user, password=password, link_sent=_send_link_on_commit(user, base_url))


@transaction.atomic
def person_update(
    *,
    manager,
    authority: AdministrativeUnit,
    person: User,
    full_name: str,
    role: str,
    commune: AdministrativeUnit | None = None,
    email: str = "",
    phone: str = "",
    position: str = "",
    is_chairman: bool | None = None,
) -> User:
    """Change a person's details and his role in the authority; his other roles there are ended.

    `is_chairman` None leaves the chairman's mark as it is (only an administrator changes it).

    Raises PermissionDenied as person_create does, and for a person who is not the authority's
    or whose role is above the manager's.
    """
    granted = _check_manages(manager, authority)
    _check_person(manager, authority, person, granted)
    _check_role(granted, role)
    if is_chairman is not None:
        _check_chairman(granted, role, is_chairman)
    unit = _unit_for(authority, role, commune)
    person.full_name, person.email = full_name.strip(), email.strip()
    person.phone, person.position = phone.strip(), position.strip()
    person.save(update_fields=["full_name", "email", "phone", "position"])
    units = AdministrativeUnit.objects.filter(units_under(authority))
    person.memberships.filter(unit__in=units, is_active=True).exclude(unit=unit, role=role).update(is_active=False)
    defaults = {"is_active": True, "department": _department_for(authority, role, position)}
    if is_chairman is not None:
        defaults["is_chairman"] = is_chairman
    Membership.objects.update_or_create(user=person, unit=unit, role=role, defaults=defaults)
    return person


@transaction.atomic
def person_set_active(*, manager, authority: AdministrativeUnit, person: User, active: bool) -> User:
    """Deactivate (or restore) a person's roles in the authority and its communes.

    The account itself is disabled once no active role remains anywhere, so someone who also
    serves another authority keeps his access there. Raises PermissionDenied as person_update.
    """
    granted = _check_manages(manager, authority)
    _check_person(manager, authority, person, granted, whole_account=False)
    if person.pk == manager.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    units = AdministrativeUnit.objects.filter(units_under(authority))
    person.memberships.filter(unit__in=units, role__in=granted).update(is_active=active)
    still_active = person.memberships.filter(is_active=True).exists()
    if person.is_active != still_active:
        person.is_active = still_active
        person.save(update_fields=["is_active"])
    return person


@transaction.atomic
def person_reset_password(*, manager, authority: AdministrativeUnit, person: User, base_url: str = "") -> NewAccount:
    """Give a person a new temporary password, to be changed at the next sign-in.

    For people without an e-mail address, who cannot reset it themselves. Raises
    PermissionDenied as person_update.
    """
    granted = _check_manages(manager, authority)
    _check_person(manager, authority, person, granted)
    password = temporary_password()
    person.set_password(password)
    person.must_change_password = True
    person.save(update_fields=["password", "must_change_password"])
    return NewAccount(user=person, password=password, link_sent=_send_link_on_commit(person, base_url))


@transaction.atomic
def people_import(*, manager, authority: AdministrativeUnit, file, base_url: str = "") -> list[NewAccount]:
    """Create one account a row of an .xlsx sheet (name, office, commune code, role, e-mail, phone).

    All or nothing: raises ValidationError with one message per bad row, and then creates no
    account. Raises PermissionDenied for a role above the manager's own.
    """
    from .sheets import people_sheet_parse

    granted = _check_manages(manager, authority)
    communes = {u.code: u for u in commune_list_for_authority(authority).order_by("-valid_from")}
    rows, errors = people_sheet_parse(file)
    taken: set[str] = set()
    plans = []
    for row in rows:

        def row_error(message, row=row):
            errors.append((row.number, message))

        if row.role not in granted:
            row_error(_("you cannot grant the role “%(role)s”.") % {"role": Role(row.role).label})
            continue
        commune = None
        if row.role in Membership.COMMUNE_ROLES:
            if not row.commune_code:
                row_error(_("a commune role needs the commune code."))
                continue
            commune = communes.get(row.commune_code)
            if commune is None:
                row_error(
                    _("the commune code %(code)s is not a commune of %(authority)s.")
                    % {"code": row.commune_code, "authority": authority}
                )
                continue
        elif row.commune_code:
            row_error(
                _("the role “%(role)s” belongs to the authority; leave the commune code empty.")
                % {"role": Role(row.role).label}
            )
            continue
        username = username_suggest(row.full_name, taken)
        taken.add(username)
        plans.append((row, commune, username))
    if errors:
        raise ValidationError(
            [_("Row %(row)s: %(message)s") % {"row": number, "message": message} for number, message in sorted(errors)]
        )
    return [
        person_create(
            manager=manager,
            authority=authority,
            full_name=row.full_name,
            role=row.role,
            commune=commune,
            username=username,
            email=row.email,
            phone=row.phone,
            position=row.office,
            base_url=base_url,
        )
        for row, commune, username in plans
    ]


log = logging.getLogger("cchc.security")


def lockout_clear(*, user, username: str = "", ip_address: str = "") -> int:
    """Lift the lockout of an account (secretariat within its units, administrator) or of an address (administrator).

    Returns how many failure records were removed; logs the unlock in the security log.
    Raises PermissionDenied outside the user's reach and ValidationError when nothing is named.
    """
    if not can_unlock(user):
        raise PermissionDenied
    allowed = unlockable_usernames(user)
    if not username and not ip_address:
        raise ValidationError(_("Name the account or the address to unlock."))
    if ip_address and allowed is not None:
        raise PermissionDenied(_("Only the administrator unlocks an address."))
    if username and allowed is not None and username not in allowed:
        raise PermissionDenied(_("This account is not one of your units."))
    with transaction.atomic():
        count = 0
        if username:
            count += reset(username=username)
        if ip_address:
            count += reset(ip=ip_address)
    log.warning(
        "sign-in unlocked by=%r username=%r address=%s records=%d", user.get_username(), username, ip_address, count
    )
    return count
