"""The self-assessment sheet's criterion cards written in Python, byte for byte as `_criterion.html`.

A commune's sheet shows 97 criteria; one template include per card was most of the page's CPU.
An ordinary card (its forms not posted, nothing refused), just saved or not, is written here, its
widgets still drawn by the form itself; any other card goes through the template. Every value
from a person is escaped as the template's autoescape would.
"""

from decimal import Decimal

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.utils.formats import get_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext

from .addresses import address_halves
from .escaping import escape
from .figures import two_places
from .forms.portal import FreshScoreForm, SelfScoreForm
from .models import Criterion

WORDS = {
    "maximum": "Maximum",
    "not_scored": "not scored",
    "needs": "needs evidence or explanation",
    "guidance": "Scoring guidance and evidence expected",
    "expected": "Evidence expected",
    "asks": "The inspection team asks",
    "answering": "The score was submitted; you can still answer the team.",
    "save": "Save",
    "saved": "Saved",
    "unsaved": "Not saved yet",
    "self_score": "Self score",
    "explanation": "Explanation",
    "attach": "Attach evidence",
    "upload": "Upload",
    "uploading": "Uploading…",
}


def writes_plainly(row) -> bool:
    """Whether the card is an ordinary one this module writes (else the template does)."""
    form = row.form
    return (
        not row.problems
        and row.upload_form is None
        and (form is None or not form.is_bound)
        and (form is not None or row.upload_html is None)
    )


def _field(field) -> str:
    # As inspections/portal/_field.html.
    required = '<span aria-hidden="true">*</span>' if field.field.required else ""
    help_text = (
        f'<div class="form-text" id="{field.auto_id}_helptext">{escape(field.help_text)}</div>'
        if field.help_text
        else ""
    )
    return (
        f'<div class="mb-2">\n  <label class="form-label small mb-1" for="{escape(field.id_for_label)}">'
        f"{escape(field.label)}{required}</label>\n  {field}\n  \n  \n  {help_text}\n</div>\n"
    )


def _not_applicable_field(field) -> str:
    # As inspections/portal/_not_applicable_field.html.
    return (
        f'<div class="form-check small mb-2">\n  {field}\n  <label class="form-check-label"'
        f' for="{escape(field.id_for_label)}">{escape(field.label)}</label>\n  \n'
        f'  <div class="form-text">{escape(field.help_text)}</div>\n</div>\n'
    )


# A criterion id no criterion has: the prototype's fields are named with it, then with each card's.
_PROTOTYPE_PK = 987654321
_PROTOTYPE_VERSION = 876543219
_PROTOTYPE_EXPLANATION = "PROTOTYPEEXPLANATIONTEXT"
_PROTOTYPE_SCORE = Decimal("1.5")


class _ScoreFormPrototypes:
    """The fields of a fresh score form, drawn once a page for each way a card's form may look.

    A fresh form differs from card to card only by the criterion's id in its names, its version, its
    score and explanation, and four choices (locked, may be declared not applicable, declared so,
    scored): each of the sixteen looks is drawn once by a real form, then given each card's values.
    """

    def __init__(self):
        # None for a look whose values the form no longer draws where the prototype expects them.
        self._drawn: dict[tuple, tuple | None] = {}
        self._score_field = SelfScoreForm.base_fields["self_score"]

    def _draw(self, key: tuple) -> tuple | None:
        locked, may_be_not_applicable, declared, scored = key
        criterion = Criterion(
            pk=_PROTOTYPE_PK,
            max_score=Decimal("100"),
            scoring_options=[],
            may_be_not_applicable=may_be_not_applicable,
        )
        form = SelfScoreForm(
            criterion=criterion,
            initial={
                "version": _PROTOTYPE_VERSION,
                "self_score": _PROTOTYPE_SCORE if scored else None,
                "self_explanation": _PROTOTYPE_EXPLANATION,
                "not_applicable": declared,
            },
            score_locked=locked,
        )
        prefix = f"c{_PROTOTYPE_PK}-"
        score_value = f'name="{prefix}self_score" value="{escape(self._score_field.prepare_value(_PROTOTYPE_SCORE))}"'
        score_html = _field(form["self_score"])
        version_value = f'value="{_PROTOTYPE_VERSION}"'
        version = str(form["version"])
        explanation = _field(form["self_explanation"])
        if (
            (scored and score_value not in score_html)
            or version_value not in version
            or _PROTOTYPE_EXPLANATION not in explanation
        ):
            # The form no longer draws its values where the prototype looks for them: each card draws its own.
            return None
        return (
            prefix,
            version_value,
            version,
            score_value,
            score_html,
            explanation,
            _not_applicable_field(form["not_applicable"]) if may_be_not_applicable else None,
        )

    def fields(self, form) -> tuple[str, str, str, str | None]:
        """The version, score, explanation and not-applicable fields (None: not offered) of a FreshScoreForm."""
        initial, criterion = form.initial, form.criterion
        score = initial.get("self_score")
        key = (
            form.score_locked,
            criterion.may_be_not_applicable,
            bool(initial.get("not_applicable")),
            score is not None,
        )
        if key not in self._drawn:
            self._drawn[key] = self._draw(key)
        drawn = self._drawn[key]
        if drawn is None:
            real = form.real
            not_applicable = _not_applicable_field(real["not_applicable"]) if "not_applicable" in real.fields else None
            return str(real["version"]), _field(real["self_score"]), _field(real["self_explanation"]), not_applicable
        prefix, version_value, version, score_value, score_html, explanation, not_applicable = drawn
        own = f"c{criterion.pk}-"
        version = version.replace(version_value, f'value="{escape(initial["version"])}"').replace(prefix, own)
        if score is not None:
            shown = escape(self._score_field.prepare_value(score))
            score_html = score_html.replace(score_value, f'name="{own}self_score" value="{shown}"')
        score_html = score_html.replace(prefix, own)
        text = initial.get("self_explanation") or ""
        explanation = explanation.replace(_PROTOTYPE_EXPLANATION, escape(text) if text else "").replace(prefix, own)
        if not_applicable is not None:
            not_applicable = not_applicable.replace(prefix, own)
        return version, score_html, explanation, not_applicable


class CardWriter:
    """Writes the cards of one page: the words, the address patterns and the CSRF field made once."""

    def __init__(self, *, visit, csrf_token: str):
        self.csrf_token = csrf_token
        self.csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        self.words = {key: escape(gettext(text)) for key, text in WORDS.items()}
        self.save_url = self._pattern("inspections:self_score_save", visit)
        self.upload_url = self._pattern("inspections:evidence_upload", visit)
        self.download_url = self._pattern("inspections:evidence_download")
        self.delete_url = self._pattern("inspections:evidence_delete")
        self.prototypes = _ScoreFormPrototypes()
        self.evidence_words = {
            key: escape(gettext(text))
            for key, text in {"doc": "Doc.", "dated": "dated", "pages": "Pages", "remove": "Remove"}.items()
        }

    @staticmethod
    def _pattern(name, visit=None) -> tuple[str, str]:
        head, tail = address_halves(name, *([] if visit is None else [visit.pk]))
        return escape(head), escape(tail)

    def _badges(self, row) -> str:
        words = self.words
        if row.not_applicable:
            badge = (
                f'<span class="badge text-bg-secondary" data-testid="not-applicable">'
                f"{escape(row.not_applicable_label)}</span>"
            )
        elif row.is_scored:
            score = two_places(row.self_score)
            badge = f'<span class="badge text-bg-primary" data-testid="self-score">{score}</span>'
        else:
            badge = f'<span class="badge text-bg-light border">{words["not_scored"]}</span>'
        files = ""
        if row.is_evidenced:
            count = len(row.evidence)
            text = ngettext("%(counter)s file", "%(counter)s files", count) % {"counter": count}
            files = f'<span class="badge text-bg-success">{text}</span>'
        needs = f'<span class="badge text-bg-warning">{words["needs"]}</span>' if row.needs_explanation else ""
        saved = (
            f'<span class="badge text-bg-success" role="status" data-testid="saved">{words["saved"]}</span>'
            if row.saved
            else ""
        )
        return f"        {badge}\n        {files}\n        {needs}\n        {saved}\n"

    def _guidance(self, criterion) -> str:
        if not (criterion.guidance or criterion.expected_evidence or criterion.scoring_options):
            return ""
        advice = f'<p class="mb-1">{escape(criterion.guidance)}</p>' if criterion.guidance else ""
        options = ""
        if criterion.scoring_options:
            items = "".join(
                f"<li>{escape(localize(option['label']))}: {escape(localize(option['score']))}</li>"
                for option in criterion.scoring_options
            )
            options = f'<ul class="mb-1">{items}</ul>'
        expected = (
            f'<p class="mb-1"><strong>{self.words["expected"]}:</strong> {escape(criterion.expected_evidence)}</p>'
            if criterion.expected_evidence
            else ""
        )
        return (
            '\n      <details class="small mb-1">'
            f'<summary class="text-body-secondary">{self.words["guidance"]}</summary>'
            f"\n        {advice}\n        {options}\n        {expected}\n      </details>\n    "
        )

    def _form(self, row) -> str:
        words, form, pk = self.words, row.form, row.criterion.pk
        url = f"{self.save_url[0]}{pk}{self.save_url[1]}"
        answering = f'<div class="form-text">{words["answering"]}</div>' if row.answering else ""
        if isinstance(form, FreshScoreForm):
            version, score, explanation, not_applicable = self.prototypes.fields(form)
            not_applicable = not_applicable or ""
        else:
            version, score, explanation = form["version"], _field(form["self_score"]), _field(form["self_explanation"])
            not_applicable = _not_applicable_field(form["not_applicable"]) if "not_applicable" in form.fields else ""
        disabled = "" if row.can_edit else " disabled"
        return (
            f'\n      <form method="post" action="{url}" novalidate'
            f'\n            hx-post="{url}" hx-target="#criterion-{pk}" hx-swap="outerHTML"'
            f'\n            id="score-form-{pk}" class="row g-2 align-items-start" data-dirty-watch>'
            f"\n        {self.csrf}\n        \n        {version}"
            f'\n        <div class="col-sm-3">{score}{answering}</div>'
            f'\n        <div class="col-sm-7">{explanation}'
            f"\n          {not_applicable}</div>"
            f'\n        <div class="col-sm-2 pt-sm-4"><button type="submit" class="btn btn-primary btn-sm w-100"'
            f' data-testid="save-score"{disabled}>{words["save"]}</button>'
            f'\n          <span class="unsaved-note small" data-testid="unsaved">{words["unsaved"]}</span></div>'
            "\n      </form>\n    "
        )

    def _read_only(self, row) -> str:
        words = self.words
        shown = two_places(row.self_score) if row.is_scored else "—"
        at = row.score.self_at if row.score else None
        when = (
            f'<span class="text-body-secondary">· {date_filter(localtime(at), "SHORT_DATETIME_FORMAT")}</span>'
            if at
            else ""
        )
        explanation = (
            f'<p class="small mb-1"><strong>{words["explanation"]}:</strong>'
            f" {linebreaksbr(row.explanation, autoescape=True)}</p>"
            if row.explanation
            else ""
        )
        return (
            f'\n      <p class="small mb-1">{words["self_score"]}: <strong>{shown}</strong>'
            f"\n        {when}</p>\n      {explanation}\n    "
        )

    def _evidence(self, row) -> str:
        # As inspections/portal/_evidence_list.html with the card as the htmx target.
        if not row.evidence:
            return "\n\n"
        words, target = self.evidence_words, row.criterion.pk
        items = []
        for item in row.evidence:
            pk = item.pk
            name = escape(item.original_name)
            number = f"<span>{words['doc']} {escape(item.document_number)}</span>" if item.document_number else ""
            dated = (
                f"<span>{words['dated']} {escape(date_filter(item.document_date, 'SHORT_DATE_FORMAT'))}</span>"
                if item.document_date
                else ""
            )
            pages = f"<span>{words['pages']}: {escape(item.page_reference)}</span>" if item.page_reference else ""
            note = f'<span class="text-body-secondary">{escape(item.description)}</span>' if item.description else ""
            who = escape(item.uploaded_by) if item.uploaded_by else ""
            when = escape(date_filter(localtime(item.uploaded_at), "SHORT_DATETIME_FORMAT"))
            delete = ""
            if row.can_delete:
                action = f"{self.delete_url[0]}{pk}{self.delete_url[1]}"
                confirm = gettext("Remove “%(name)s”? It stays in the record as removed.") % {"name": name}
                delete = (
                    f'\n        <form method="post" action="{action}" class="ms-auto"'
                    f'\n              hx-post="{action}" hx-target="#criterion-{target}" hx-swap="outerHTML"'
                    f'\n              hx-confirm="{confirm}">'
                    f"\n          {self.csrf}"
                    '\n          <button type="submit" class="btn btn-link btn-sm text-danger p-0"'
                    f' data-testid="evidence-delete">{words["remove"]}</button>'
                    "\n        </form>\n      "
                )
            items.append(
                '\n    <li class="d-flex flex-wrap align-items-baseline gap-2 py-1 border-top" data-testid="evidence">'
                f'\n      <a href="{self.download_url[0]}{pk}{self.download_url[1]}" class="fw-semibold"'
                f' data-testid="evidence-link">{name}</a>'
                f'\n      <span class="text-body-secondary">{escape(filesizeformat(item.size))}</span>'
                f"\n      {number}\n      {dated}\n      {pages}\n      {note}"
                f'\n      <span class="text-body-secondary">· {who} {when}</span>'
                f"\n      {delete}\n    </li>\n  "
            )
        return f'\n\n<ul class="list-unstyled small mb-1 evidence-list">\n  {"".join(items)}\n</ul>\n\n'

    def _upload(self, row) -> str:
        if row.upload_html is None:
            return ""
        words, pk = self.words, row.criterion.pk
        url = f"{self.upload_url[0]}{pk}{self.upload_url[1]}"
        disabled = "" if row.can_upload else " disabled"
        return (
            '\n      <details class="small mt-1" >'
            f'\n        <summary class="link-primary" data-testid="attach-toggle">{words["attach"]}</summary>'
            f'\n        <form method="post" enctype="multipart/form-data" action="{url}" novalidate'
            f'\n              hx-post="{url}" hx-encoding="multipart/form-data"'
            f'\n              hx-target="#criterion-{pk}" hx-swap="outerHTML" hx-disabled-elt="find button"'
            f'\n              id="upload-form-{pk}" class="mt-2" data-dirty-watch>'
            f"\n          {self.csrf}\n          {row.upload_html}"
            f'\n          <button type="submit" class="btn btn-outline-primary btn-sm" data-testid="upload"{disabled}>'
            f"{words['upload']}</button>"
            f'\n          <span class="htmx-indicator small text-body-secondary ms-2">{words["uploading"]}</span>'
            "\n        </form>\n      </details>\n    "
        )

    def write(self, row) -> SafeString:
        """The card, as the template writes an ordinary one."""
        words, criterion = self.words, row.criterion
        level = "h4" if criterion.parent_id else "h3"
        warning = " border-warning" if row.needs_explanation else ""
        request = (
            f'\n      <div class="alert alert-info small py-1 px-2 mb-2" data-testid="explanation-request">'
            f"<strong>{words['asks']}:</strong> {escape(row.explanation_request)}</div>\n    "
            if row.explanation_request
            else ""
        )
        body = self._form(row) if row.form is not None else self._read_only(row)
        html = (
            f'\n\n<article class="card mb-2 criterion{warning}" id="criterion-{criterion.pk}"'
            f' data-testid="criterion-{escape(criterion.code)}">'
            '\n  <div class="card-body py-2">'
            '\n    <div class="d-flex justify-content-between flex-wrap gap-2">\n      \n'
            f'      <{level} class="h6 mb-1"><span class="text-body-secondary">{escape(criterion.code)}</span>'
            f" {escape(criterion.title)}</{level}>\n"
            '      <div class="small text-nowrap">\n'
            f'        <span class="text-body-secondary">{words["maximum"]}: {two_places(criterion.max_score)}'
            "</span>\n"
            f"{self._badges(row)}"
            "      </div>\n    </div>\n"
            f"    {self._guidance(criterion)}\n"
            f"    {request}\n"
            "    \n\n"
            f"    {body}\n\n"
            f"    {self._evidence(row)}\n\n"
            f"    {self._upload(row)}\n"
            "  </div>\n</article>\n\n"
        )
        # Bandit B308/B703 (mark_safe) reviewed: every value above from a person or the database is escaped,
        # the widgets are the form's own rendering and the evidence list the template's.
        return mark_safe(html)  # nosec


def sheet_areas_html(sheet) -> SafeString | None:
    """The sheet's criteria column, byte for byte as `_sheet_areas.html`, once every card is written.

    None while a card is left to the template (refused, being posted) or the set has no area yet:
    the template then writes the column. A province's 97 criteria and their 28 headings through
    the template's loop took a quarter of the page's CPU.
    """
    if not sheet.areas:
        return None
    separator = get_format("DECIMAL_SEPARATOR")
    up_to = gettext("up to %(max)s points")
    parts = []
    for block in sheet.areas:
        area = block.area
        parts.append(
            f'\n<section class="mb-4" aria-labelledby="area-{area.pk}"><h2 class="h5 border-bottom pb-1"'
            f' id="area-{area.pk}">{escape(area.number)}. {escape(area.shown_title)} <span class="badge text-bg-light'
            f' border fw-normal" id="area-total-{area.pk}">{two_places(block.self_score, separator)} /'
            f" {two_places(block.max_score, separator)}</span></h2>\n"
        )
        for node in block.nodes:
            if node.leaf:
                if not node.leaf.html:
                    return None
                parts.append(node.leaf.html)
            else:
                criterion = node.criterion
                # As blocktranslate: the value escaped, the translated words as they are.
                points = up_to % {"max": escape(two_places(criterion.max_score, separator))}
                guidance = (
                    f'<p class="small text-body-secondary mb-2">{escape(criterion.guidance)}</p>'
                    if criterion.guidance
                    else ""
                )
                parts.append(
                    f'<h3 class="h6 mt-3 mb-2">{escape(criterion.code)}. {escape(criterion.title)}'
                    f' <span class="small text-body-secondary fw-normal">({points})</span></h3>{guidance}'
                )
            parts.append("\n")
        parts.append("</section>")
    parts.append("\n")
    # Bandit B308/B703 (mark_safe) reviewed: every value from a person is escaped above; the cards were
    # written escaped by CardWriter.
    return mark_safe("".join(parts))  # nosec
