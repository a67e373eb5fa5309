"""Two-factor sign-in with an authenticator app (TOTP) and one-time recovery codes (django-otp)."""

import base64
import io
import logging

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import scope_for
from .models import Membership

log = logging.getLogger("cchc.security")

APP_DEVICE = "app"
RECOVERY_DEVICE = "recovery"
RECOVERY_CODE_COUNT = 10
# Roles that sign minutes and notices or issue reports, for whom the authority may require a second factor.
SIGNING_ROLES = {Membership.Role.ADMIN, Membership.Role.TEAM_LEAD, Membership.Role.SECRETARIAT}


def required_for(user) -> bool:
    """Whether this user must use a second factor: the administrator and signing roles, when TWO_FACTOR_REQUIRED."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    return user.is_superuser or bool(scope_for(user).roles & SIGNING_ROLES)


def app_device(user, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user, name=APP_DEVICE)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.first()


def is_enabled(user) -> bool:
    """Whether the user has a confirmed authenticator app."""
    return app_device(user) is not None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE).count()


def pending_device(user) -> TOTPDevice:
    """The not yet confirmed app device of the user, created with a new secret when there is none."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in the groups of four letters an app asks for when it cannot scan the code."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The app's set-up address drawn as a QR code, as a data: URI for an <img>."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _clean(token: str) -> str:
    return "".join((token or "").split()).lower()


@transaction.atomic
def two_factor_enable(*, request, token: str) -> list[str]:
    """Confirm the pending app device with a code from the app; return new recovery codes.

    Marks this session verified. Raises ValidationError when the code is wrong.
    """
    user = request.user
    device = app_device(user, confirmed=False)
    if device is None or not device.verify_token(_clean(token)):
        raise ValidationError(_("The code is not right. Check the time on your phone and type the code shown now."))
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    log.info("two-factor enabled username=%r", user.get_username())
    return recovery_codes_renew(user=user)


def recovery_codes_renew(*, user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones; return them to show once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_disable(*, user) -> None:
    """Remove the user's app and recovery codes. Raises ValidationError where the authority requires them."""
    if required_for(user):
        raise ValidationError(_("Your role must sign in with a second factor; it cannot be turned off."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log.info("two-factor disabled username=%r", user.get_username())


def two_factor_verify(*, request, token: str) -> bool:
    """Check a code from the app, or a recovery code (used up), and mark the session verified."""
    user = request.user
    token = _clean(token)
    candidates = [app_device(user)] + list(StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE))
    for device in candidates:
        if device is not None and verify_token(user, device.persistent_id, token):
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                log.warning("two-factor recovery code used username=%r", user.get_username())
            return True
    log.warning("two-factor code refused username=%r", user.get_username())
    return False
