"""The inbox, marking read, the bell's count and each user's preferences."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import PreferencesForm


@login_required
def inbox(request):
    """The user's notifications, newest first, 30 a page."""
    page = Paginator(selectors.notification_list_for_user(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": selectors.unread_count_for_user(request.user)},
    )


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go to its page."""
    notification = selectors.notification_get_for_user(request.user, pk)
    if notification is None:
        raise Http404
    services.notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    target = notification.link
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = "notifications:inbox"
    return redirect(target)


@login_required
@require_POST
def mark_read(request):
    """Mark the chosen notifications read, or all of them."""
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()]
    count = services.notifications_mark_read(user=request.user, notification_ids=ids or None)
    if request.htmx:
        return bell(request)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
def bell(request):
    """The bell with the unread count (the header polls it)."""
    return render(
        request,
        "includes/notification_bell.html",
        {
            "notification_unread": selectors.unread_count_for_user(request.user),
            "poll_seconds": settings.NOTIFICATION_POLL_SECONDS,
        },
    )


@login_required
def preferences(request):
    """Choose, per kind, e-mail at once, a daily digest or in-app only, and the language of e-mails."""
    form = PreferencesForm(
        request.POST or None,
        modes=services.preferences_of(request.user),
        language=services.language_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, modes=form.modes(), language=form.cleaned_data["language"])
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
