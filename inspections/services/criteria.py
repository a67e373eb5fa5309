"""Rules of a criteria set: the tree adds up, the bands are sane, a set in use is frozen."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..models import CriteriaSet


def _points(value: Decimal) -> str:
    """A number of points as the active language writes it: 100, 7,5 (no trailing zeros)."""
    value = Decimal(value)
    value = value.quantize(Decimal("1")) if value == value.to_integral() else value.normalize()
    return number_format(value, use_l10n=True)


def criteria_set_plans(*, criteria_set: CriteriaSet) -> list:
    """The campaigns (inspection plans) that use a criteria set, newest first."""
    return list(criteria_set.plans.order_by("-year", "-round_start"))


def criteria_set_is_frozen(*, criteria_set: CriteriaSet) -> bool:
    """A set used by any plan is frozen: its criteria, maxima, areas and bands no longer change."""
    return criteria_set.plans.exists()


def frozen_message() -> str:
    """Why a set in use refuses a change, and what to do instead."""
    return _(
        "This criteria set is used by an inspection plan, so it is frozen: changing it would change results "
        "already given and signed. Copy it into a new version and edit the copy."
    )


def criteria_set_check_editable(*, criteria_set: CriteriaSet) -> None:
    """Raise ValidationError (code "frozen") when the set is used by a plan and may no longer change."""
    if criteria_set_is_frozen(criteria_set=criteria_set):
        raise ValidationError(frozen_message(), code="frozen")


def criteria_set_problems(*, criteria_set: CriteriaSet) -> list[str]:
    """List what is wrong with a set's tree: parents whose maximum is not the sum of
    their children's, leaves that do not add up to the set's total, areas without criteria."""
    criteria = list(criteria_set.criteria.all().only("id", "parent_id", "code", "max_score", "area_id"))
    children = defaultdict(list)
    for criterion in criteria:
        if criterion.parent_id:
            children[criterion.parent_id].append(criterion)
    problems = []
    for criterion in criteria:
        kids = children.get(criterion.id)
        if kids:
            total = sum((k.max_score for k in kids), Decimal("0"))
            if total != criterion.max_score:
                problems.append(
                    _("Criterion %(code)s has a maximum of %(max)s but its sub-criteria add up to %(sum)s.")
                    % {"code": criterion.code, "max": _points(criterion.max_score), "sum": _points(total)}
                )
    leaf_total = sum((c.max_score for c in criteria if c.id not in children), Decimal("0"))
    survey = criteria_set.survey_weight or Decimal("0")
    if not survey and leaf_total != criteria_set.total_max:
        problems.append(
            _("The criteria add up to %(sum)s points but the set's total is %(total)s.")
            % {"sum": _points(leaf_total), "total": _points(criteria_set.total_max)}
        )
    elif survey and leaf_total + survey != criteria_set.total_max:
        problems.append(
            _("The criteria add up to %(sum)s points and the survey to %(survey)s, but the set's total is %(total)s.")
            % {"sum": _points(leaf_total), "survey": _points(survey), "total": _points(criteria_set.total_max)}
        )
    if survey and not criteria_set.survey_indices.exists():
        problems.append(_("The survey has a weight but no sub-index: add the survey's sub-indices."))
    used_areas = {c.area_id for c in criteria}
    for area in criteria_set.areas.all():
        if area.id not in used_areas:
            problems.append(_("Review area %(area)s has no criteria.") % {"area": area})
    return problems


def criteria_set_validate(*, criteria_set: CriteriaSet) -> None:
    """Raise ValidationError listing every problem of the set's tree; return quietly when it adds up."""
    problems = criteria_set_problems(criteria_set=criteria_set)
    if problems:
        raise ValidationError(problems)
