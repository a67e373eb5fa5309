"""Forms of the commune portal: a self score, an evidence file, a deadline, a remedy, a question."""

import functools
from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .. import uploads
from ..models import Criterion, ReviewArea
from .fields import DayMonthYearInput, ScoreField
from .rendering import PlainWidgetRenderer

DATE_WIDGET = {"widget": DayMonthYearInput()}


class BootstrapForm(forms.Form):
    """Bootstrap classes on the widgets, and `is-invalid` on fields with errors, without a template pack.

    The self-assessment page draws two forms per criterion; plain widgets, written without a
    template each (PlainWidgetRenderer), keep it fast.
    """

    default_renderer = PlainWidgetRenderer()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            self._style(field)

    @staticmethod
    def _style(field):
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs["class"]:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class SelfScoreField(ScoreField):
    """A score shown without trailing zeros (7,5 rather than 7,50), so a stored score matches its option."""

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return number_format(Decimal(format(value.normalize(), "f")), use_l10n=True)
        return value


class SelfScoreForm(BootstrapForm):
    """The commune's score and explanation of one criterion, with the version it was loaded at.

    Where the guidance fixes the allowed scores, the score is a choice among them.
    """

    self_score = SelfScoreField(label=_("Self score"), required=False)
    self_explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "placeholder": _(
                    "Required when no evidence is attached: say what was done and where the records are kept."
                ),
            }
        ),
    )
    not_applicable = forms.BooleanField(
        label=_("Not applicable to the commune"),
        required=False,
        help_text=_("No such case arose here: leave the score empty and give the reason above; attach evidence."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, criterion: Criterion, score_locked: bool = False, **kwargs):
        kwargs.setdefault("prefix", f"c{criterion.pk}")
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        field = self.fields["self_score"]
        field.max_value = criterion.max_score
        if criterion.scoring_options:
            options = [("", _("— not scored —"))]
            for option in criterion.scoring_options:
                value = Decimal(str(option["score"]))
                label = f"{option['label']} ({number_format(value, use_l10n=True)})"
                options.append((field.prepare_value(value), label))
            field.widget = forms.Select(choices=options)
            self._style(field)
        field.disabled = score_locked
        if criterion.may_be_not_applicable:
            self.fields["not_applicable"].widget.attrs["class"] = "form-check-input"
            self.fields["not_applicable"].disabled = score_locked
        else:
            del self.fields["not_applicable"]


class FreshScoreForm:
    """An unbound score form of one criterion without scoring options, made only if something asks for it.

    The sheet's cards write such a form from one prototype per page (`sheet_html`); a card that
    goes through the template, or any code that reads a field, gets the real SelfScoreForm, built
    on first use from the same criterion, initial values and lock.
    """

    is_bound = False

    def __init__(self, criterion: Criterion, *, score_locked: bool, initial: dict):
        self.criterion, self.score_locked, self.initial = criterion, score_locked, initial

    @functools.cached_property
    def real(self) -> SelfScoreForm:
        return SelfScoreForm(criterion=self.criterion, initial=self.initial, score_locked=self.score_locked)

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __getitem__(self, name):
        return self.real[name]

    def __iter__(self):
        return iter(self.real)

    def __str__(self) -> str:
        return str(self.real)


class EvidenceForm(BootstrapForm):
    """One evidence file and the document it is: number, date, pages."""

    file = forms.FileField(label=_("File"), required=False)
    document_number = forms.CharField(
        label=_("Document number"), max_length=100, required=False, help_text=_("For example 12/QĐ-UBND")
    )
    document_date = forms.DateField(label=_("Document date"), required=False, **DATE_WIDGET)
    page_reference = forms.CharField(
        label=_("Pages"), max_length=100, required=False, help_text=_("For example: pages 3–5")
    )
    description = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, refused_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.refused_names = list(refused_names)
        self.fields["file"].widget.attrs.update(
            {
                "accept": uploads.ACCEPT_ATTRIBUTE,
                "data-max-bytes": str(uploads.max_upload_bytes()),
                "data-too-large": uploads.too_large_error().messages[0],
            }
        )
        # The camera input beside the file input (see _upload_fields.html) refuses the same sizes.
        self.max_bytes = uploads.max_upload_bytes()
        self.too_large_text = uploads.too_large_error().messages[0]
        self.fields["file"].help_text = _("PDF, JPEG, PNG, DOCX, XLSX, ODT or ODS; at most %(size)s MB a file.") % {
            "size": uploads.max_upload_bytes() // (1024 * 1024)
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            if self.refused_names:
                # The streaming handler dropped the file for its size before the form saw it.
                raise uploads.too_large_error(self.refused_names[0])
            raise forms.ValidationError(_("Choose a file to upload."), code="required")
        return upload


class DeadlineForm(forms.Form):
    """A commune's new self-assessment deadline and why it was extended."""

    deadline = forms.DateField(label=_("New deadline"), **DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"), max_length=100, required=False, help_text=_("For example: official letter no. 45/UBND")
    )


class RemedyForm(forms.Form):
    """What the commune did about a finding, and when it was finished."""

    description = forms.CharField(
        label=_("What was done"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe what was done.")},
    )
    completed_on = forms.DateField(label=_("Completed on"), required=False, **DATE_WIDGET)


class ReturnForm(forms.Form):
    """Why a reported remedy is sent back to the commune."""

    reason = forms.CharField(
        label=_("Reason for sending back"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the remedy is sent back, so the commune knows what to do.")},
    )


class QuestionForm(forms.Form):
    """A question from the commune to the team, optionally about one review area."""

    text = forms.CharField(
        label=_("Your question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your question.")},
    )
    area = forms.ModelChoiceField(
        label=_("Review area"), queryset=ReviewArea.objects.none(), required=False, empty_label=_("— any —")
    )

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ReviewArea.objects.filter(criteria_set_id=visit.plan.criteria_set_id).order_by(
            "order", "number"
        )
        self.fields["area"].label_from_instance = lambda a: f"{a.number}. {a.shown_title}"


class ContestForm(EvidenceForm):
    """The commune's contest of an appraised score: why, and the new evidence (optional)."""

    explanation = forms.CharField(
        label=_("Why the commune contests the score"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Explain why the commune contests this score.")},
    )

    field_order = ["explanation", "file", "document_number", "document_date", "page_reference", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("New evidence")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None and self.refused_names:
            raise uploads.too_large_error(self.refused_names[0])
        return upload
