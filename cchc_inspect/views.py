"""Error pages in the user's language, inside the normal layout."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    """A refused form (expired page, cookies off) explained in the user's language, inside the site."""
    return render(request, "errors/403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # A bare template without context processors: the database may be why we fail.
    return HttpResponseServerError(get_template("errors/500.html").render({}))


def stored_file_damaged(request):
    """A stored file no longer matches its recorded SHA-256: say so rather than hand it out."""
    return render(request, "errors/file_damaged.html", status=500)
