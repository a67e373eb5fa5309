from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def unit_register(request):
    """The official unit register: search by name or code, or walk the tree from the provinces."""
    query = request.GET.get("q", "").strip()[:100]
    era = request.GET.get("era", "current")
    if era not in selectors.ERAS:
        era = "current"
    context = {"query": query, "era": era, "eras": selectors.ERAS}
    if query:
        context["results"] = selectors.unit_search(query=query, era=era)
        context["limit"] = selectors.SEARCH_LIMIT
    else:
        context["provinces"] = selectors.province_list(era="before" if era == "before" else "current")
    return render(request, "communes/unit_register.html", context)


@login_required
def unit_detail(request, pk):
    """One unit: its kind, code, validity, parents, the units under it, its predecessors and successors."""
    unit = selectors.unit_get(pk)
    return render(
        request,
        "communes/unit_detail.html",
        {
            "unit": unit,
            "children": selectors.unit_children(unit),
            "predecessors": selectors.unit_predecessors(unit),
            "successors": selectors.unit_successors(unit),
        },
    )
