"""Criteria sets: list, create, copy, import, edit the tree with its totals in view, bands."""

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import scope_for
from accounts.authority import authority_chosen, redirect_to_choose

from ... import permissions, selectors
from ...forms.setup import (
    AdjustmentItemFormSet,
    AreaForm,
    BandFormSet,
    CriteriaImportForm,
    CriteriaSetCopyForm,
    CriteriaSetCreateForm,
    CriteriaSetForm,
    CriterionForm,
    SurveyIndexFormSet,
)
from ...services import setup
from ...services.criteria import criteria_set_is_frozen, criteria_set_plans, criteria_set_problems, frozen_message
from ...xlsx import criteria_sheet_template
from .common import add_service_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_authority_user(request):
    if not scope_for(request.user).is_authority_user:
        raise PermissionDenied


def _set_for_editing(request, pk):
    criteria_set = selectors.criteria_set_get_for_user(request.user, pk)
    if not permissions.can_set_up(request.user, criteria_set.authority_id):
        raise PermissionDenied
    return criteria_set


def _frozen_redirect(request, criteria_set):
    """A set used by a plan is shown read-only: its editing pages lead back to it with the reason."""
    if not criteria_set_is_frozen(criteria_set=criteria_set):
        return None
    messages.error(request, frozen_message())
    return redirect("inspections:criteria_set_detail", pk=criteria_set.pk)


class TreeNode:
    """A criterion with its depth, whether its children add up, and how many criteria lie below it."""

    def __init__(self, criterion, depth, children_total, descendant_count=0):
        self.criterion, self.depth, self.children_total = criterion, depth, children_total
        self.descendant_count = descendant_count

    @property
    def adds_up(self):
        return self.children_total is None or self.children_total == self.criterion.max_score


def criteria_tree(criteria_set):
    """The set's areas, each with its criteria in tree order and totals; two queries."""
    areas = list(criteria_set.areas.order_by("order", "number"))
    criteria = list(criteria_set.criteria.order_by("order", "code"))
    children = defaultdict(list)
    for criterion in criteria:
        children[criterion.parent_id].append(criterion)
    tree = []
    grand_total = Decimal(0)
    for area in areas:
        nodes = []
        stack = [(c, 0) for c in children[None] if c.area_id == area.pk]
        while stack:
            criterion, depth = stack.pop(0)
            kids = children.get(criterion.pk, [])
            total = sum((k.max_score for k in kids), Decimal(0)) if kids else None
            nodes.append(TreeNode(criterion, depth, total))
            stack = [(k, depth + 1) for k in kids] + stack
        # Removing a criterion removes everything below it, so its confirmation counts them all;
        # in reverse tree order every child is counted before its parent.
        below = {}
        for node in reversed(nodes):
            kids = children.get(node.criterion.pk, [])
            node.descendant_count = below[node.criterion.pk] = sum(1 + below[k.pk] for k in kids)
        area_total = sum((n.criterion.max_score for n in nodes if n.children_total is None), Decimal(0))
        grand_total += area_total
        tree.append((area, nodes, area_total))
    return tree, grand_total


def _tree_context(criteria_set):
    tree, total = criteria_tree(criteria_set)
    return {"tree": tree, "tree_total": total, "problems": criteria_set_problems(criteria_set=criteria_set)}


@login_required
def criteria_set_list(request):
    """The criteria sets the user may see, and a form to create one (secretariat)."""
    _require_authority_user(request)
    sets = list(selectors.criteria_set_list_for_user(request.user).order_by("-year", "name"))
    authorities = selectors.setup_authority_list_for_user(request.user)
    form = CriteriaSetCreateForm(request.POST or None, initial={"total_max": "100"})
    authority = authority_chosen(request, authorities)
    if request.method == "POST":
        if not authorities:
            raise PermissionDenied
        if authority is None:
            return redirect_to_choose(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = setup.criteria_set_create(
                    user=request.user,
                    authority=authority,
                    year=data["year"],
                    name=data["name"],
                    total_max=data["total_max"],
                    legal_basis=data["legal_basis"],
                    survey_weight=data["survey_weight"],
                    bonus_cap=data["bonus_cap"],
                    penalty_cap=data["penalty_cap"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Criteria set created."))
                return redirect("inspections:criteria_set_detail", pk=created.pk)
    return render(
        request,
        "inspections/district/criteria_set_list.html",
        {"sets": sets, "form": form, "can_create": bool(authorities), "authority": authority},
    )


@login_required
def criteria_set_detail(request, pk):
    """The tree of a set with the totals, the problems and the bands; editing links for the secretariat."""
    _require_authority_user(request)
    criteria_set = selectors.criteria_set_get_for_user(request.user, pk)
    may_set_up = permissions.can_set_up(request.user, criteria_set.authority_id)
    plans = criteria_set_plans(criteria_set=criteria_set)
    context = {
        "criteria_set": criteria_set,
        "bands": list(criteria_set.bands.order_by("-min_percent")),
        # A set used by a plan is frozen: shown read-only, changed only by copying it into a new version.
        "frozen": bool(plans),
        "plans": plans,
        "can_copy": may_set_up,
        "can_edit": may_set_up and not plans,
        **_tree_context(criteria_set),
    }
    return render(request, "inspections/district/criteria_set_detail.html", context)


@login_required
def criteria_set_edit(request, pk):
    """Rename a set, change its total, publish it."""
    criteria_set = _set_for_editing(request, pk)
    frozen = _frozen_redirect(request, criteria_set)
    if frozen is not None:
        return frozen
    fields = ("name", "year", "total_max", "legal_basis", "status", "survey_weight", "bonus_cap", "penalty_cap")
    initial = {f: getattr(criteria_set, f) for f in fields}
    form = CriteriaSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup.criteria_set_update(criteria_set=criteria_set, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Criteria set saved."))
            return redirect("inspections:criteria_set_detail", pk=criteria_set.pk)
    return render(
        request,
        "inspections/district/setup_form.html",
        {"form": form, "title": _("Edit criteria set"), "criteria_set": criteria_set, **_tree_context(criteria_set)},
    )


@login_required
def criteria_set_copy(request, pk):
    """Copy a set (last year's, usually) to edit it for a new year."""
    source = _set_for_editing(request, pk)
    form = CriteriaSetCopyForm(
        request.POST or None,
        initial={
            "year": source.year + 1,
            "name": source.name.replace(str(source.year), str(source.year + 1)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = setup.criteria_set_copy(source=source, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Criteria set copied. Edit it below."))
            return redirect("inspections:criteria_set_detail", pk=copy.pk)
    return render(
        request,
        "inspections/district/setup_form.html",
        {"form": form, "title": _("Copy criteria set"), "criteria_set": source},
    )


@login_required
def criteria_set_import(request):
    """Import a set from an .xlsx sheet; every bad row is listed and nothing is imported."""
    authorities = selectors.setup_authority_list_for_user(request.user)
    if not authorities:
        raise PermissionDenied
    authority = authority_chosen(request, authorities)
    if authority is None:
        return redirect_to_choose(request)
    form = CriteriaImportForm(request.POST or None, request.FILES or None, initial={"total_max": "100"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = setup.criteria_set_import(
                user=request.user,
                authority=authority,
                year=data["year"],
                name=data["name"],
                total_max=data["total_max"],
                file=data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Criteria set imported as a draft."))
            return redirect("inspections:criteria_set_detail", pk=created.pk)
    return render(
        request,
        "inspections/district/setup_form.html",
        {"form": form, "title": _("Import criteria from a spreadsheet"), "multipart": True, "import_help": True},
    )


@login_required
def criteria_sheet_example(request):
    """An example sheet in the layout the import reads."""
    _require_authority_user(request)
    response = HttpResponse(criteria_sheet_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-bo-tieu-chi.xlsx"'
    return response


@login_required
def area_edit(request, pk, area_pk=None):
    """Add (or change) a review area of a set."""
    criteria_set = _set_for_editing(request, pk)
    frozen = _frozen_redirect(request, criteria_set)
    if frozen is not None:
        return frozen
    area = None
    if area_pk is not None:
        area = selectors.area_get_for_user(request.user, area_pk)
        if area.criteria_set_id != criteria_set.pk:
            raise PermissionDenied
    initial = {f: getattr(area, f) for f in ("number", "code", "title", "title_en")} if area else {}
    form = AreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup.area_save(criteria_set=criteria_set, user=request.user, area=area, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Review area saved."))
            return redirect("inspections:criteria_set_detail", pk=criteria_set.pk)
    return render(
        request,
        "inspections/district/setup_form.html",
        {
            "form": form,
            "title": _("Review area"),
            "criteria_set": criteria_set,
            **_tree_context(criteria_set),
        },
    )


@login_required
def criterion_edit(request, pk, criterion_pk=None):
    """Add or change a criterion, with the tree and its totals beside the form."""
    criteria_set = _set_for_editing(request, pk)
    frozen = _frozen_redirect(request, criteria_set)
    if frozen is not None:
        return frozen
    criterion = None
    if criterion_pk is not None:
        criterion = selectors.criterion_get_for_user(request.user, criterion_pk)
        if criterion.criteria_set_id != criteria_set.pk:
            raise PermissionDenied
    fields = ("area", "parent", "code", "title", "max_score", "guidance", "expected_evidence", "may_be_not_applicable")
    initial = {f: getattr(criterion, f) for f in fields} if criterion else {"area": request.GET.get("area")}
    if criterion is None and request.GET.get("parent"):
        initial["parent"] = request.GET.get("parent")
    form = CriterionForm(
        request.POST or None,
        initial=initial,
        criteria_set=criteria_set,
        exclude_pk=criterion.pk if criterion else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            setup.criterion_save(criteria_set=criteria_set, user=request.user, criterion=criterion, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Criterion saved."))
            if "add_another" in request.POST:
                return redirect("inspections:criterion_add", pk=criteria_set.pk)
            return redirect("inspections:criteria_set_detail", pk=criteria_set.pk)
    return render(
        request,
        "inspections/district/criterion_form.html",
        {"form": form, "criteria_set": criteria_set, "criterion": criterion, **_tree_context(criteria_set)},
    )


@login_required
@require_POST
def criterion_move(request, pk):
    """Move a criterion (with its sub-criteria) up or down among its siblings."""
    criterion = selectors.criterion_get_for_user(request.user, pk)
    try:
        setup.criterion_move(criterion=criterion, user=request.user, up=request.POST.get("direction") == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{_detail_url(criterion.criteria_set_id)}#criterion-{criterion.pk}")


@login_required
@require_POST
def criterion_delete(request, pk):
    """Remove a criterion and its sub-criteria."""
    criterion = selectors.criterion_get_for_user(request.user, pk)
    try:
        setup.criterion_delete(criterion=criterion, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Criterion removed."))
    return redirect("inspections:criteria_set_detail", pk=criterion.criteria_set_id)


def _detail_url(pk):
    from django.urls import reverse

    return reverse("inspections:criteria_set_detail", args=[pk])


@login_required
def bands_edit(request, pk):
    """Edit the classification bands of a set."""
    criteria_set = _set_for_editing(request, pk)
    frozen = _frozen_redirect(request, criteria_set)
    if frozen is not None:
        return frozen
    initial = [
        {
            "label": b.label,
            "min_percent": b.min_percent,
            "color": b.color,
            "area_floor_percent": b.area_floor_percent,
            "requires_no_serious_violation": b.requires_no_serious_violation,
        }
        for b in criteria_set.bands.order_by("-min_percent")
    ]
    formset = BandFormSet(request.POST or None, initial=initial, prefix="bands")
    if request.method == "POST" and formset.is_valid():
        bands = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            setup.bands_replace(criteria_set=criteria_set, user=request.user, bands=bands)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Classification bands saved."))
            return redirect("inspections:criteria_set_detail", pk=criteria_set.pk)
    return render(request, "inspections/district/bands_form.html", {"formset": formset, "criteria_set": criteria_set})


@login_required
def scoring_method_edit(request, pk):
    """Edit the bonus and penalty items and the survey sub-indices of a set no plan uses."""
    criteria_set = _set_for_editing(request, pk)
    frozen = _frozen_redirect(request, criteria_set)
    if frozen is not None:
        return frozen
    items = [
        {
            "kind": i.kind,
            "code": i.code,
            "title": i.title,
            "max_points": i.max_points,
            "serious_violation": i.serious_violation,
        }
        for i in criteria_set.adjustment_items.order_by("kind", "order", "code")
    ]
    indices = [
        {"code": i.code, "title": i.title, "weight": i.weight}
        for i in criteria_set.survey_indices.order_by("order", "code")
    ]
    data = request.POST if request.method == "POST" else None
    item_formset = AdjustmentItemFormSet(data, initial=items, prefix="items")
    index_formset = SurveyIndexFormSet(data, initial=indices, prefix="indices")
    if request.method == "POST" and item_formset.is_valid() and index_formset.is_valid():

        def kept(formset):
            return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

        try:
            setup.scoring_method_replace(
                criteria_set=criteria_set, user=request.user, items=kept(item_formset), indices=kept(index_formset)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Bonus, penalty and survey saved."))
            return redirect("inspections:criteria_set_detail", pk=criteria_set.pk)
    return render(
        request,
        "inspections/district/scoring_method_form.html",
        {"item_formset": item_formset, "index_formset": index_formset, "criteria_set": criteria_set},
    )
