"""The authority a user works for in this session, when he serves several (a district and a province)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

SESSION_KEY = "cchc_authority_id"


def authority_chosen(request, authorities: list):
    """The authority of `authorities` chosen in this session; the only one when there is one; else None."""
    chosen = request.session.get(SESSION_KEY)
    for authority in authorities:
        if authority.pk == chosen:
            return authority
    if len(authorities) == 1:
        return authorities[0]
    return None


def authority_remember(request, authority) -> None:
    """Work for `authority` for the rest of the session."""
    request.session[SESSION_KEY] = authority.pk


def redirect_to_choose(request):
    """Send the user to choose an authority, then back to the page he asked for."""
    url = reverse("accounts:authority_choose")
    return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
