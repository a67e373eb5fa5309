"""The search page behind the header's search box."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import search as finder


@login_required
@require_safe
def search(request):
    """Communes, visits, findings, criteria and evidence matching `q`, among what the user may see."""
    raw = request.GET.get("q", "")
    notices = []
    if len(raw) > finder.MAX_QUERY_LENGTH:
        notices.append(
            _("A search is at most %(count)d characters long; only the beginning of yours was searched.")
            % {"count": finder.MAX_QUERY_LENGTH}
        )
        raw = raw[: finder.MAX_QUERY_LENGTH]
    query = " ".join(raw.replace("\x00", "").split())
    results = None
    if query:
        terms = finder.query_terms(query)
        if not terms:
            notices.append(_("Type a name, a word, a criterion code or a file name: letters or digits."))
        else:
            if finder.has_too_many_terms(query):
                notices.append(_("Only the first %(count)d words were searched.") % {"count": finder.MAX_TERMS})
            results = finder.search_for_user(request.user, query)
    return render(
        request,
        "inspections/search.html",
        {
            "query": query,
            "search_query": query,
            "results": results,
            "notices": notices,
            "per_kind": finder.PER_KIND,
        },
    )
