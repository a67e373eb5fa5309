"""The departments of an authority (Phòng, ban): added, changed and deleted by its secretariat."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Membership
from communes.models import AdministrativeUnit, Department

from .. import permissions
from ..models import TeamMember


def _tidy(text: str) -> str:
    """The text without surrounding or doubled spaces, so that "Phòng  Nội vụ " is "Phòng Nội vụ"."""
    return " ".join(text.split())


def _lock_authority(authority: AdministrativeUnit) -> None:
    # Two people saving departments of one authority at once would both pass the checks below
    # (a name, a standing body); holding the authority's row makes the second wait for the first.
    list(AdministrativeUnit.objects.select_for_update().filter(pk=authority.pk).order_by().values_list("pk"))


def _check(
    *, authority: AdministrativeUnit, department: Department | None, name: str, short_name: str, standing: bool
) -> None:
    """Raise ValidationError for a name or short name the authority already has, or a second standing body."""
    others = Department.objects.filter(authority=authority).order_by()
    if department is not None:
        others = others.exclude(pk=department.pk)
    if not name:
        raise ValidationError({"name": _("Enter the name of the department.")})
    # Compared in Python, casefolded: an authority has a few departments, and SQLite's iexact folds ASCII only.
    taken = list(others.values_list("name", "short_name"))
    same_name = next((other for other, _short in taken if other.casefold() == name.casefold()), None)
    if same_name is not None:
        raise ValidationError(
            {
                "name": _("%(authority)s already has a department named %(name)s.")
                % {"authority": authority, "name": same_name}
            }
        )
    same_short = next((short for _other, short in taken if short and short.casefold() == short_name.casefold()), None)
    if short_name and same_short is not None:
        raise ValidationError(
            {
                "short_name": _("Another department of %(authority)s already has the short name %(short)s.")
                % {"authority": authority, "short": same_short}
            }
        )
    if standing:
        # The standing body drafts and signs for the secretariat (the conclusion notice names it): one per authority.
        current = others.filter(is_standing_body=True).first()
        if current is not None:
            raise ValidationError(
                {
                    "is_standing_body": _(
                        "%(name)s is already the standing body for administrative reform, and an authority has one. "
                        "Untick it there first."
                    )
                    % {"name": current.name}
                }
            )


def _save(department: Department) -> Department:
    try:
        with transaction.atomic():
            department.save()
    except IntegrityError:
        # Only a save outside these services (the admin) can slip between the check and the write.
        raise ValidationError(
            {
                "name": _("%(authority)s already has a department named %(name)s.")
                % {"authority": department.authority, "name": department.name}
            }
        ) from None
    return department


@transaction.atomic
def department_create(
    *,
    user,
    authority: AdministrativeUnit,
    name: str,
    short_name: str = "",
    is_standing_body: bool = False,
    order: int | None = None,
) -> Department:
    """Add a department to the authority; without an order it comes after the others.

    Raises PermissionDenied unless the user sets up the authority's rounds, and ValidationError for a
    name or short name the authority already has, or a second standing body.
    """
    permissions.check_set_up(user, authority.pk)
    _lock_authority(authority)
    name, short_name = _tidy(name), _tidy(short_name)
    _check(authority=authority, department=None, name=name, short_name=short_name, standing=is_standing_body)
    if order is None:
        order = (Department.objects.filter(authority=authority).aggregate(m=Max("order"))["m"] or 0) + 1
    department = Department(
        authority=authority, name=name, short_name=short_name, is_standing_body=is_standing_body, order=order
    )
    return _save(department)


@transaction.atomic
def department_update(
    *,
    user,
    department: Department,
    name: str,
    short_name: str = "",
    is_standing_body: bool = False,
    order: int | None = None,
) -> Department:
    """Rename a department, change its short name, its order, or make it the standing body (or not).

    Team members and accounts keep pointing to it, so every page shows the new name. Raises as
    department_create does.
    """
    authority = department.authority
    permissions.check_set_up(user, authority.pk)
    _lock_authority(authority)
    name, short_name = _tidy(name), _tidy(short_name)
    _check(authority=authority, department=department, name=name, short_name=short_name, standing=is_standing_body)
    department.name, department.short_name, department.is_standing_body = name, short_name, is_standing_body
    if order is not None:
        department.order = order
    return _save(department)


@transaction.atomic
def department_delete(*, user, department: Department) -> None:
    """Delete a department that no team member and no account belongs to.

    A team decision is a record: its members keep their departments in every year's team, so a
    department any team names stays (rename it instead). A department still given to an account
    stays too: deleting it would silently take the account's department away. Raises
    PermissionDenied unless the user sets up the authority's rounds, and ValidationError with the
    reason when the department is in use.
    """
    permissions.check_set_up(user, department.authority_id)
    _lock_authority(department.authority)
    seats = TeamMember.objects.filter(department=department).order_by()
    seat_count = seats.count()
    if seat_count:
        years = sorted(set(seats.values_list("team__plan__year", flat=True)))
        raise ValidationError(
            ngettext(
                "%(name)s cannot be deleted: %(count)d member of the inspection team of %(years)s belongs to it, "
                "and a team decision keeps its members' departments. Rename it instead, or change that member's "
                "department first.",
                "%(name)s cannot be deleted: %(count)d members of the inspection teams of %(years)s belong to it, "
                "and a team decision keeps its members' departments. Rename it instead, or change those members' "
                "department first.",
                seat_count,
            )
            % {"name": department.name, "count": seat_count, "years": ", ".join(str(year) for year in years)}
        )
    account_count = Membership.objects.filter(department=department).order_by().count()
    if account_count:
        raise ValidationError(
            ngettext(
                "%(name)s cannot be deleted: %(count)d account belongs to it. Change that person's position on the "
                "People page first, or rename the department instead.",
                "%(name)s cannot be deleted: %(count)d accounts belong to it. Change those people's positions on the "
                "People page first, or rename the department instead.",
                account_count,
            )
            % {"name": department.name, "count": account_count}
        )
    department.delete()
