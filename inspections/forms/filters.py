"""Filters of the lists that grow: they read the query string, so a filtered list can be bookmarked and shared.

A value that is not one of the choices (an old bookmark, a hand-edited address) is dropped and named
in a message; the list then shows as if that filter were not set.
"""

from django import forms
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Criterion, CriterionScore, Finding, Visit

ANY = ("", _("All"))


class ListFilterForm(forms.Form):
    """A GET form whose invalid fields are ignored and reported, never an error page."""

    def __init__(self, data, **kwargs):
        # Only the form's own parameters: others (a page number, say) are not ours to judge.
        super().__init__({k: v for k, v in data.items() if k in self.base_fields}, **kwargs)
        for field in self.fields.values():
            is_box = isinstance(field.widget, forms.CheckboxInput)
            field.widget.attrs["class"] = "form-check-input" if is_box else "form-select form-select-sm"

    @property
    def values(self) -> dict:
        """The valid, non-empty filters."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}

    @property
    def ignored(self) -> list[str]:
        """Labels of the filters whose values were not understood."""
        self.is_valid()
        return [str(self.fields[name].label) for name in self.errors]

    @property
    def is_filtered(self) -> bool:
        return bool(self.values)


class FindingFilterForm(ListFilterForm):
    """Findings addressed to communes: by commune, review area, status, overdue and year."""

    STATUSES = {
        "open": [Finding.Status.OPEN],
        "reported": [Finding.Status.REPORTED],
        "remedied": [Finding.Status.REMEDIED],
    }

    commune = forms.TypedChoiceField(label=_("Commune"), required=False, coerce=int, empty_value=None)
    area = forms.ChoiceField(label=_("Review area"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ANY,
            ("open", _("To remedy")),
            ("reported", _("Awaiting verification")),
            ("remedied", _("Remedied")),
        ],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, findings: QuerySet[Finding], **kwargs):
        super().__init__(data, **kwargs)
        base = findings.order_by()
        communes = base.values_list("visit__unit_id", "visit__unit__name").distinct()
        self.fields["commune"].choices = [ANY, *sorted(communes, key=lambda c: c[1])]
        areas = {}
        for code, title in base.filter(area__isnull=False).values_list("area__code", "area__title").distinct():
            # Areas are data of each year's set; the same code keeps the latest title shown.
            areas.setdefault(code, title)
        self.fields["area"].choices = [ANY, *sorted(areas.items(), key=lambda a: a[1])]
        years = sorted(set(base.values_list("visit__plan__year", flat=True)), reverse=True)
        self.fields["year"].choices = [ANY, *((y, str(y)) for y in years)]

    def apply(self, findings: QuerySet[Finding]) -> QuerySet[Finding]:
        """The findings that pass every valid filter."""
        values = self.values
        if "commune" in values:
            findings = findings.filter(visit__unit_id=values["commune"])
        if "area" in values:
            findings = findings.filter(area__code=values["area"])
        if "status" in values:
            findings = findings.filter(status__in=self.STATUSES[values["status"]])
        if values.get("overdue"):
            findings = findings.filter(status=Finding.Status.OPEN, due_date__lt=timezone.localdate())
        if "year" in values:
            findings = findings.filter(visit__plan__year=values["year"])
        return findings


class VisitFilterForm(ListFilterForm):
    """A campaign's visits: by status, and by a team group's work (its areas appraised or not yet)."""

    TODO, DONE = "todo", "done"

    status = forms.ChoiceField(label=_("Status"), required=False)
    group = forms.TypedChoiceField(label=_("Team group"), required=False, coerce=int, empty_value=None)
    work = forms.ChoiceField(
        label=_("The group's appraisal"),
        required=False,
        choices=[ANY, (TODO, _("Still to appraise")), (DONE, _("Appraised in full"))],
    )

    def __init__(self, data, *, groups, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["status"].choices = [ANY, *((v, label.capitalize()) for v, label in Visit.Status.choices)]
        self.groups = {group.pk: group for group in groups}
        self.fields["group"].choices = [ANY, *((g.pk, g.name) for g in groups)]

    @property
    def chosen_group(self):
        """The chosen team group, if any."""
        return self.groups.get(self.values.get("group"))

    def apply(self, visits: QuerySet[Visit]) -> tuple[QuerySet[Visit], int | None]:
        """The visits that pass every valid filter, and the number of criteria the chosen group appraises.

        With a group chosen each visit carries `group_appraised`, how many of those criteria are appraised.
        """
        values = self.values
        if "status" in values:
            visits = visits.filter(status=values["status"])
        group = self.chosen_group
        if group is None:
            return visits, None
        area_ids = [area.pk for area in group.areas.all()]
        group_total = Criterion.objects.filter(area_id__in=area_ids, children__isnull=True).count()
        appraised = (
            CriterionScore.objects.filter(
                visit=OuterRef("pk"), criterion__area_id__in=area_ids, appraised_score__isnull=False
            )
            .order_by()
            .values("visit")
            .annotate(n=Count("id"))
            .values("n")
        )
        visits = visits.annotate(group_appraised=Coalesce(Subquery(appraised), 0))
        if values.get("work") == self.TODO:
            visits = visits.filter(group_appraised__lt=group_total)
        elif values.get("work") == self.DONE:
            visits = visits.filter(group_appraised__gte=group_total)
        return visits, group_total


class EvidenceFilterForm(ListFilterForm):
    """A visit's evidence files: by criterion."""

    criterion = forms.TypedChoiceField(label=_("Criterion"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, evidence: QuerySet, **kwargs):
        super().__init__(data, **kwargs)
        criteria = (
            evidence.order_by()
            .filter(criterion__isnull=False)
            .values_list("criterion_id", "criterion__code", "criterion__title", "criterion__order")
            .distinct()
        )
        choices = sorted(criteria, key=lambda c: (c[3], c[1]))
        self.fields["criterion"].choices = [ANY, *((pk, f"{code} {title[:60]}") for pk, code, title, _o in choices)]

    def apply(self, evidence: QuerySet) -> QuerySet:
        """The files that pass the valid filter."""
        if "criterion" in self.values:
            evidence = evidence.filter(criterion_id=self.values["criterion"])
        return evidence
