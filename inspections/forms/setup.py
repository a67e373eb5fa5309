"""Forms of setting up a round: criteria sets, areas, criteria, bands, plan, team, groups, members, schedule."""

from decimal import Decimal

from django import forms
from django.forms import IntegerField
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communes.models import Department

from ..models import AdjustmentItem, CriteriaSet, Criterion, InspectionPlan, ReviewArea, TeamGroup, TeamMember
from ..models.criteria import SCORE_DIGITS
from ..selectors import CANDIDATE_MEMBERSHIPS, NOT_A_CANDIDATE
from .fields import DayMonthYearInput, LongTextField, ScoreField, YearField

# The largest score a maximum or a total can store (9999,99 with six digits, two of them decimals).
SCORE_LIMIT = Decimal(10 ** (SCORE_DIGITS["max_digits"] - SCORE_DIGITS["decimal_places"])) - Decimal("0.01")

DATE_WIDGET = DayMonthYearInput()
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CriteriaSetForm(forms.Form):
    """Name, year, total and status of a criteria set."""

    name = forms.CharField(label=_("Name"), max_length=255)
    year = YearField(label=_("Year"))
    total_max = ScoreField(label=_("Total maximum score"), max_value=SCORE_LIMIT)
    legal_basis = LongTextField(label=_("Legal basis"), rows=2)
    status = forms.ChoiceField(label=_("Status"), choices=CriteriaSet.Status.choices, initial=CriteriaSet.Status.DRAFT)
    survey_weight = ScoreField(
        label=_("Survey weight (points)"),
        required=False,
        max_value=SCORE_LIMIT,
        help_text=_("Points of the total that come from the survey; 0 when the method has no survey."),
    )
    bonus_cap = ScoreField(
        label=_("Bonus points at most"),
        required=False,
        max_value=SCORE_LIMIT,
        help_text=_("Empty: only each bonus item's own cap applies."),
    )
    penalty_cap = ScoreField(
        label=_("Penalty points at most"),
        required=False,
        max_value=SCORE_LIMIT,
        help_text=_("Empty: only each penalty item's own cap applies."),
    )

    def clean_total_max(self):
        value = self.cleaned_data["total_max"]
        if value is None or value <= 0:
            raise forms.ValidationError(_("The total must be above 0."))
        return value

    def clean(self):
        data = super().clean()
        weight, total = data.get("survey_weight"), data.get("total_max")
        data["survey_weight"] = weight or Decimal("0")
        if weight is not None and (weight < 0 or (total is not None and weight >= total)):
            self.add_error("survey_weight", _("The survey weight must lie from 0 to below the total."))
        for name in ("bonus_cap", "penalty_cap"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("A cap cannot be negative."))
        return data


class CriteriaSetCreateForm(CriteriaSetForm):
    """A new criteria set: everything but the status, since a set starts as a draft (it is empty)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["status"]


class CriteriaSetCopyForm(forms.Form):
    """A new year and name for the copy of a set."""

    year = YearField(label=_("Year"))
    name = forms.CharField(label=_("Name"), max_length=255)


class CriteriaImportForm(forms.Form):
    """An .xlsx sheet of criteria as provinces publish them."""

    name = forms.CharField(label=_("Name"), max_length=255)
    year = YearField(label=_("Year"))
    total_max = ScoreField(label=_("Total maximum score"), initial="100", max_value=SCORE_LIMIT)
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class AreaForm(forms.Form):
    """A review area of a set."""

    number = forms.CharField(label=_("Number"), max_length=10)
    code = forms.SlugField(label=_("Code"), max_length=30, help_text=_("Stable key across years, e.g. procedures."))
    title = forms.CharField(label=_("Title"), max_length=300)
    title_en = forms.CharField(label=_("English title"), max_length=300, required=False)


class CriterionForm(forms.Form):
    """A criterion of a set: its place in the tree, code, title, maximum, guidance and evidence."""

    area = forms.ModelChoiceField(label=_("Review area"), queryset=ReviewArea.objects.none())
    parent = forms.ModelChoiceField(label=_("Parent criterion"), queryset=Criterion.objects.none(), required=False)
    code = forms.CharField(label=_("Code"), max_length=20)
    title = LongTextField(label=_("Title"), required=True, max_length=2000, rows=2)
    max_score = ScoreField(label=_("Maximum score"), max_value=SCORE_LIMIT)
    guidance = LongTextField(label=_("Scoring guidance"), rows=2)
    expected_evidence = LongTextField(label=_("Evidence expected"), rows=2)
    may_be_not_applicable = forms.BooleanField(
        label=_("A commune may declare it not applicable"),
        required=False,
        help_text=_("For a scored criterion that does not arise everywhere; the team accepts or refuses."),
    )

    def __init__(self, *args, criteria_set: CriteriaSet, exclude_pk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = criteria_set.areas.order_by("order", "number")
        self.fields["area"].label_from_instance = lambda a: f"{a.number}. {a.shown_title}"
        parents = criteria_set.criteria.order_by("order", "code")
        if exclude_pk:
            parents = parents.exclude(pk=exclude_pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda c: f"{c.code} {c.title[:60]}"

    def clean(self):
        data = super().clean()
        parent, area = data.get("parent"), data.get("area")
        if parent is not None and area is not None and parent.area_id != area.pk:
            self.add_error("parent", _("A sub-criterion must be in the same review area as its parent."))
        return data


class BandForm(forms.Form):
    """One classification band."""

    label = forms.CharField(label=_("Grade"), max_length=60)
    min_percent = ScoreField(label=_("From percent"), max_value=100)
    # The blank first choice keeps the extra row of the formset unchanged until someone fills
    # it in; with a colour preselected Django takes the row as new and demands its other fields.
    color = forms.ChoiceField(
        label=_("Colour"),
        required=False,
        choices=[
            ("", "—"),
            ("success", _("green")),
            ("primary", _("blue")),
            ("info", _("light blue")),
            ("warning", _("yellow")),
            ("danger", _("red")),
            ("secondary", _("grey")),
        ],
    )

    area_floor_percent = ScoreField(label=_("No area below (%)"), required=False, max_value=100)
    requires_no_serious_violation = forms.BooleanField(label=_("No serious violation"), required=False)


# A set usually grades in four bands (Tốt, Khá, Trung bình, Kém): a new set's page offers four empty rows,
# so that they are entered in one save, a set with fewer bands the rows it still lacks, and any set one.
USUAL_BAND_COUNT = 4


class BaseBandFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra = max(1, USUAL_BAND_COUNT - len(self.initial or []))


BandFormSet = forms.formset_factory(BandForm, formset=BaseBandFormSet, can_delete=True)


class AdjustmentItemForm(forms.Form):
    """A bonus or penalty item of a set, with the most points it may bring."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *AdjustmentItem.Kind.choices])
    code = forms.CharField(label=_("Code"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=300)
    max_points = ScoreField(label=_("Maximum points"), max_value=SCORE_LIMIT)
    serious_violation = forms.BooleanField(label=_("Serious violation"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("serious_violation") and data.get("kind") != AdjustmentItem.Kind.PENALTY:
            self.add_error("serious_violation", _("Only a penalty can mark a serious violation."))
        if data.get("max_points") is not None and data["max_points"] <= 0:
            self.add_error("max_points", _("The maximum must be above 0."))
        return data


AdjustmentItemFormSet = forms.formset_factory(AdjustmentItemForm, extra=2, can_delete=True)


class SurveyIndexForm(forms.Form):
    """A sub-index of the survey component and its weight."""

    code = forms.CharField(label=_("Code"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=300)
    weight = ScoreField(label=_("Weight"), max_value=Decimal("999"))

    def clean_weight(self):
        value = self.cleaned_data["weight"]
        if value is None or value <= 0:
            raise forms.ValidationError(_("The weight must be above 0."))
        return value


SurveyIndexFormSet = forms.formset_factory(SurveyIndexForm, extra=2, can_delete=True)


def _check_plan_dates(form, data) -> None:
    """A plan is issued before its round; communes assess themselves before the round is over."""
    start, end = data.get("round_start"), data.get("round_end")
    issued, deadline = data.get("issued_on"), data.get("self_assessment_deadline")
    if start and end and end < start:
        form.add_error("round_end", _("The round cannot end before it starts."))
    if issued and start and issued > start:
        form.add_error("issued_on", _("The plan must be issued on or before the day the round starts."))
    if deadline and end and deadline > end:
        form.add_error(
            "self_assessment_deadline", _("The self-assessment deadline must be on or before the round's last day.")
        )


class PlanForm(forms.ModelForm):
    """The plan of a campaign."""

    year = YearField(label=_("Year"))
    purpose = LongTextField(label=_("Purpose and requirements"), max_length=10000)
    scope = LongTextField(label=_("Scope and content"), max_length=10000)
    forms = forms.MultipleChoiceField(
        label=_("Forms of inspection"),
        choices=InspectionPlan.Form.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    appeal_working_days = IntegerField(
        label=_("Working days to contest the appraisal"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_(
            "Counted from the day the team publishes its first-round appraisal; weekends and holidays skipped."
        ),
    )

    class Meta:
        model = InspectionPlan
        fields = [
            "year",
            "number",
            "issued_on",
            "title",
            "criteria_set",
            "purpose",
            "scope",
            "forms",
            "round_start",
            "round_end",
            "self_assessment_deadline",
            "appeal_working_days",
            "status",
        ]
        widgets = {
            "issued_on": DATE_WIDGET,
            "round_start": DATE_WIDGET,
            "round_end": DATE_WIDGET,
            "self_assessment_deadline": DATE_WIDGET,
        }

    def __init__(self, *args, criteria_sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].queryset = criteria_sets
        # A new plan shows the number of days it gets (5); left empty, a plan keeps its number.
        self.fields["appeal_working_days"].initial = InspectionPlan._meta.get_field("appeal_working_days").default

    def clean_appeal_working_days(self):
        value = self.cleaned_data.get("appeal_working_days")
        if value is None:
            # Left empty: the plan being edited keeps its number, a new plan gets the default.
            return self.initial.get("appeal_working_days") or self.fields["appeal_working_days"].initial
        return value

    def clean(self):
        data = super().clean()
        _check_plan_dates(self, data)
        criteria_set, year = data.get("criteria_set"), data.get("year")
        if criteria_set and year and criteria_set.year != year:
            self.add_error("criteria_set", _("The criteria set is for another year."))
        return data

    def _post_clean(self):
        # The authority is set by the service, so the model's own validation waits for it.
        pass


class NewCampaignForm(forms.Form):
    """Next year's campaign from this one."""

    year = YearField(label=_("Year"))
    number = forms.CharField(label=_("Plan number"), max_length=60)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE_WIDGET)
    title = forms.CharField(label=_("Title"), max_length=300)
    round_start = forms.DateField(label=_("Round starts"), widget=DATE_WIDGET)
    round_end = forms.DateField(label=_("Round ends"), widget=DATE_WIDGET)
    self_assessment_deadline = forms.DateField(label=_("Self-assessment deadline"), widget=DATE_WIDGET, required=False)
    criteria_set = forms.ModelChoiceField(
        label=_("Criteria set"),
        queryset=CriteriaSet.objects.none(),
        required=False,
        empty_label=_("Copy last year's criteria set"),
    )
    copy_team = forms.BooleanField(label=_("Copy the team, its groups and their areas"), required=False, initial=True)
    copy_schedule = forms.BooleanField(
        label=_("Copy the schedule's shape (same communes, same days from the round's start)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, criteria_sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].queryset = criteria_sets

    def clean(self):
        data = super().clean()
        _check_plan_dates(self, data)
        criteria_set, year = data.get("criteria_set"), data.get("year")
        if criteria_set and year and criteria_set.year != year:
            self.add_error("criteria_set", _("The criteria set is for another year."))
        return data


class TeamForm(forms.Form):
    """The team decision."""

    name = forms.CharField(label=_("Name of the team"), max_length=255)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DATE_WIDGET)


class GroupForm(forms.Form):
    """A group and the areas it covers."""

    name = forms.CharField(label=_("Name"), max_length=120)
    areas = forms.ModelMultipleChoiceField(
        label=_("Review areas"), queryset=ReviewArea.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = plan.criteria_set.areas.order_by("order", "number")
        self.fields["areas"].label_from_instance = lambda a: f"{a.number}. {a.shown_title}"


def _candidate_label(user) -> str:
    """A person's option: "Nguyễn Văn A (nguyenvana) — Phòng Nội vụ / Huyện Tân Hiệp", each role after the dash."""
    held = [
        gettext("%(role)s / %(unit)s")
        % {
            "role": membership.department.name if membership.department else capfirst(membership.get_role_display()),
            "unit": membership.unit.display_name,
        }
        for membership in getattr(user, CANDIDATE_MEMBERSHIPS, ())
    ]
    name = gettext("%(name)s (%(username)s)") % {"name": user.get_full_name(), "username": user.username}
    return gettext("%(person)s — %(roles)s") % {"person": name, "roles": "; ".join(held)} if held else name


class MemberForm(forms.Form):
    """A person on the team, chosen among the candidates of `selectors.team_candidate_list`."""

    user = forms.ModelChoiceField(label=_("Person"), queryset=None, error_messages={"invalid_choice": NOT_A_CANDIDATE})
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    role = forms.ChoiceField(label=_("Role in team"), choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    group = forms.ModelChoiceField(label=_("Group"), queryset=TeamGroup.objects.none(), required=False)

    def __init__(self, *args, users, departments, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = _candidate_label
        self.fields["department"].queryset = departments
        if not departments.exists():
            self.fields["department"].help_text = _(
                "The authority has no department yet: the secretariat adds them under Manage, Departments."
            )
        self.fields["group"].queryset = groups


def _department_limit(name: str) -> int:
    return Department._meta.get_field(name).max_length


class DepartmentForm(forms.Form):
    """A department of the authority: its name, short name, whether it is the standing body, its place in lists."""

    name = forms.CharField(label=_("Name"), max_length=_department_limit("name"), help_text=_("e.g. Phòng Nội vụ"))
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=_department_limit("short_name"),
        required=False,
        help_text=_("Shown in the team's lists instead of the name, e.g. Nội vụ."),
    )
    is_standing_body = forms.BooleanField(
        label=_("Standing body for administrative reform"),
        required=False,
        help_text=_("The office that acts as the secretariat (usually Home Affairs); an authority has one."),
    )
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=32767,
        required=False,
        help_text=_("Departments are listed by this number. Empty: after the others."),
    )


class VisitScheduleForm(forms.Form):
    """A commune's visit: day, time, place."""

    unit = forms.ModelChoiceField(label=_("Commune"), queryset=None)
    scheduled_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET, required=False)
    scheduled_time = forms.TimeField(label=_("Time"), widget=TIME_WIDGET, required=False)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
