"""Writes about accounts: lifting a sign-in lockout."""

import logging

from axes.utils import reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .selectors import can_unlock, unlockable_usernames

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
