"""The workspace's criterion rows written in Python, byte for byte as `_score_row.html` writes them.

The lead's workspace shows 97 criteria; one template include and one bound form per criterion was
most of the page's CPU. An ordinary row (its form not yet posted, no conflict, no not-applicable
claim), just saved or not, is written here from the score itself; any other row still goes through
the template, so rare states keep one definition. Every value from a person is escaped as the template would.
"""

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.utils.formats import localize, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

from .addresses import address_halves
from .escaping import escape
from .figures import two_places
from .forms.appraisal import ScoreForm
from .templatetags.result_statement import result_statement

# The comment's length limit, as the form states it in `maxlength`.
COMMENT_MAX_LENGTH = ScoreForm.base_fields["appraised_comment"].max_length


def writes_plainly(row) -> bool:
    """Whether the row is an ordinary one this module writes (else the template does)."""
    return row.conflict is None and row.form is None and not (row.score and row.score.not_applicable)


def _number(value) -> str:
    return two_places(value)


def _score_value(value) -> str:
    # As ScoreField.prepare_value: 7 rather than 7,00; 7,5 in Vietnamese.
    if value is None:
        return ""
    return number_format(value.normalize() if value == value.to_integral() else value, use_l10n=True)


class ScoreRowWriter:
    """Writes the rows of one page: the words, the address pattern and the CSRF field made once."""

    def __init__(self, *, visit, csrf_token: str):
        self.csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        # A page shows few distinct scores (0, 0,5, 1 …): each is formatted once.
        self.numbers = {}
        head, tail = address_halves("inspections:score_save", visit.pk)
        self.action = (escape(head), escape(tail))
        self.words = {
            key: escape(gettext(text))
            for key, text in {
                "maximum": "Maximum",
                "self_score": "Self score",
                "gap": "Gap",
                "large_gap": "Large gap: at least half the maximum",
                "large": "(large gap)",
                "explanation": "Explanation",
                "evidence": "Evidence",
                "none": "none",
                "guidance": "Guidance",
                "expected": "Evidence expected",
                "appraised": "Appraised score",
                "comment": "Comment",
                "requested": "Explanation requested",
                "question": "Question to the commune",
                "save": "Save",
                "saved": "Saved.",
            }.items()
        }

    def _number(self, value) -> str:
        # floatformat's text depends on the value only (1,5 and 1,50 read alike), so equal values share it.
        text = self.numbers.get(value)
        if text is None:
            text = self.numbers[value] = _number(value)
        return text

    def _gap(self, row) -> str:
        # As inspections/_gap.html with labelled=True.
        gap = row.gap
        if gap is None:
            return ""
        large = row.gap_is_large
        words = self.words
        shade = " badge text-bg-warning gap-large" if large else ""
        title = f' title="{words["large_gap"]}"' if large else ""
        hidden = f'<span class="visually-hidden"> {words["large"]}</span>' if large else ""
        sign = "+" if gap > 0 else ""
        number = self._number(gap)
        return (
            f'· {words["gap"]}: <span class="text-nowrap{shade}" data-testid="gap"{title}>{sign}{number}</span>{hidden}'
        )

    def _claim(self, row) -> str:
        words, criterion, score = self.words, row.criterion, row.score
        parent = criterion.parent
        parent_line = (
            f'<div class="small text-body-secondary">{escape(parent.code)} {escape(parent.title)}</div>'
            if parent
            else ""
        )
        self_score = score.self_score if score is not None else None
        shown_self = self._number(self_score) if self_score is not None else "—"
        explanation = score.self_explanation if score is not None else ""
        explanation_line = (
            f'<div class="small"><span class="text-body-secondary">{words["explanation"]}:</span> '
            f"{escape(explanation)}</div>"
            if explanation
            else ""
        )
        files = []
        for evidence in row.evidence:
            name = escape(evidence.original_name)
            url = getattr(evidence, "url", None)
            files.append(f'<a href="{escape(url)}" target="_blank" rel="noopener">{name}</a>' if url else name)
        listed = ", ".join(files) if files else f'<span class="text-body-secondary">{words["none"]}</span>'
        guidance = ""
        if criterion.guidance or criterion.expected_evidence:
            advice = (
                f'<p class="mb-1">{linebreaksbr(criterion.guidance, autoescape=True)}</p>' if criterion.guidance else ""
            )
            expected = (
                f'<p class="mb-1"><em>{words["expected"]}:</em> {escape(criterion.expected_evidence)}</p>'
                if criterion.expected_evidence
                else ""
            )
            guidance = (
                f'\n        <details class="small"><summary>{words["guidance"]}</summary>'
                f"\n          {advice}\n          {expected}\n        </details>\n        "
            )
        return (
            f'\n        <div class="fw-semibold">{escape(criterion.code)} {escape(criterion.title)}</div>'
            f"\n        {parent_line}"
            f'\n        <div class="small">{words["maximum"]}: <strong>{self._number(criterion.max_score)}</strong>'
            f'\n          · {words["self_score"]}: <strong data-testid="self-score">{shown_self}</strong>'
            # The gap's template ends with a newline.
            f"\n          {self._gap(row)}\n</div>"
            "\n        "
            f"\n        {explanation_line}"
            f'\n        <div class="small"><span class="text-body-secondary">{words["evidence"]}:</span>'
            f"\n          {listed}"
            "\n        </div>"
            f"\n        {guidance}"
            "\n      "
        )

    def _form(self, row, visit) -> str:
        words, criterion, score = self.words, row.criterion, row.score
        pk = criterion.pk
        action = f"{self.action[0]}{pk}{self.action[1]}"
        version = score.version if score is not None else 0
        appraised = _score_value(score.appraised_score) if score is not None else ""
        comment = escape(score.appraised_comment) if score is not None else ""
        checked = "checked" if score is not None and score.explanation_requested else ""
        question = escape(score.explanation_request) if score is not None else ""
        saved_by = ""
        if score is not None and score.appraised_by_id:
            when = date_filter(localtime(score.appraised_at), "SHORT_DATETIME_FORMAT") if score.appraised_at else ""
            text = gettext("Last saved by %(who)s at %(when)s") % {
                "who": escape(score.appraised_by),
                "when": escape(when),
            }
            saved_by = f'<div class="small text-body-secondary mt-1">{text}</div>'
        # Blank lines keep the indentation the template leaves where an error would have been.
        lines = [
            "",
            f'        <form method="post" action="{action}"',
            f'              hx-post="{action}" hx-target="#score-row-{pk}" hx-swap="outerHTML" class="score-form">',
            f"          {self.csrf}",
            f'          <input type="hidden" name="version" value="{version}" id="c{pk}-version">',
            " " * 10,
            '          <div class="row g-2 align-items-start">',
            '            <div class="col-sm-3">',
            f'              <label class="form-label small mb-0" for="c{pk}-appraised_score">'
            f"{words['appraised']}</label>",
            '              <input type="text" name="appraised_score" inputmode="decimal" autocomplete="off"'
            f' id="c{pk}-appraised_score"',
            '                     class="form-control form-control-sm"',
            f'                     value="{escape(appraised)}" data-testid="appraised-input">',
            " " * 14,
            "            </div>",
            '            <div class="col-sm-9">',
            f'              <label class="form-label small mb-0" for="c{pk}-appraised_comment">'
            f"{words['comment']}</label>",
            f'              <textarea name="appraised_comment" rows="1" maxlength="{COMMENT_MAX_LENGTH}"'
            f' class="form-control form-control-sm" id="c{pk}-appraised_comment">{comment}</textarea>',
            " " * 14,
            "            </div>",
            '            <div class="col-sm-3">',
            '              <div class="form-check small">',
            '                <input class="form-check-input" type="checkbox" name="explanation_requested"'
            f' id="c{pk}-explanation_requested" {checked}>',
            f'                <label class="form-check-label" for="c{pk}-explanation_requested">'
            f"{words['requested']}</label>",
            "              </div>",
            "            </div>",
            '            <div class="col-sm-7">',
            f'              <textarea name="explanation_request" rows="1" placeholder="{words["question"]}"'
            f' aria-label="{words["question"]}"',
            f'                        class="form-control form-control-sm">{question}</textarea>',
            " " * 14,
            "            </div>",
            '            <div class="col-sm-2 text-end">',
            f'              <button type="submit" class="btn btn-sm btn-primary" data-testid="save-score">'
            f"{words['save']}</button>",
            "            </div>",
            "          </div>",
            f"          {saved_by}",
            "        </form>",
            "        ",
        ]
        return "\n".join(lines)

    def _read_only(self, row) -> str:
        words, score = self.words, row.score
        appraised = score.appraised_score if score is not None else None
        shown = self._number(appraised) if appraised is not None else "—"
        comment = (
            f'<div class="small">{escape(score.appraised_comment)}</div>'
            if score is not None and score.appraised_comment
            else ""
        )
        requested = (
            f'<div class="small"><span class="badge text-bg-warning">{words["requested"]}</span> '
            f"{escape(score.explanation_request)}</div>"
            if score is not None and score.explanation_requested
            else ""
        )
        return (
            f'\n          <div class="small">{words["appraised"]}: <strong>{shown}</strong></div>'
            f"\n          {comment}\n          {requested}\n        "
        )

    def write(self, row, visit) -> SafeString:
        """The row's card, as the template writes an ordinary row (with its note when just saved)."""
        criterion = row.criterion
        body = self._form(row, visit) if row.editable else self._read_only(row)
        border, saved = "", ""
        if row.saved:
            border = " border-success"
            saved = (
                f'<div class="text-success small mb-1" role="status" data-testid="saved">{self.words["saved"]}</div>'
            )
        html = (
            f'\n<div class="card mb-2 score-row{border}" id="score-row-{criterion.pk}"'
            f' data-testid="score-row-{escape(criterion.code)}">'
            '\n  <div class="card-body p-2">\n    <div class="row g-2">\n      <div class="col-lg-5">'
            f"{self._claim(row)}</div>"
            f'\n      <div class="col-lg-7">\n        \n        {saved}\n        '
            f"{body}"
            "\n      </div>\n    </div>\n  </div>\n</div>\n"
        )
        # Bandit B308/B703 (mark_safe) reviewed: every value above from a person or the database is escaped.
        return mark_safe(html)  # nosec


def _shown(value) -> str:
    # As a template writes a variable: localized, then escaped.
    return escape(localize(value))


class AreaTotalsWriter:
    """The area totals under the workspace's rows, byte for byte as `_area_totals.html` writes them.

    An htmx save answers with its row and these totals; drawn by the template they cost as much as
    the row. Every value from the criteria set is escaped as the template would.
    """

    def __init__(self):
        self.words = {
            key: escape(gettext(text))
            for key, text in {
                "area": "Review area",
                "self_score": "Self score",
                "appraised_score": "Appraised score",
                "maximum": "Maximum",
                "appraised": "Appraised",
                "whole": "Whole visit",
                "provisional": "provisional",
            }.items()
        }

    @staticmethod
    def _appraised(total) -> str:
        return _number(total.appraised_score) if total.appraised_count else "—"

    def _row(self, area, total) -> str:
        return (
            f'\n        <tr data-testid="area-total-{_shown(area.code)}">'
            f"\n          <td>{_shown(area.number)}. {_shown(area.shown_title)}</td>"
            f'\n          <td class="text-end">{_number(total.self_score)}</td>'
            f'\n          <td class="text-end" data-testid="area-appraised">{self._appraised(total)}</td>'
            f'\n          <td class="text-end">{_number(total.max_score)}</td>'
            f'\n          <td class="text-end" data-testid="area-percent">{_number(total.percent) or "—"}</td>'
            f'\n          <td class="text-end">{_shown(total.appraised_count)}/{_shown(total.leaf_count)}</td>'
            "\n        </tr>\n      "
        )

    def _foot(self, result) -> str:
        if not result:
            return ""
        if result.grade:
            band = result.grade
            grade = f'<span class="badge text-bg-{_shown(band.color)}">{_shown(band.label)}</span>'
        elif not result.is_complete:
            grade = f'<span class="text-body-secondary">{self.words["provisional"]}</span>'
        else:
            grade = ""
        return (
            '\n      <tfoot><tr class="fw-semibold">'
            f"\n        <td>{self.words['whole']}</td>"
            f'\n        <td class="text-end">{_number(result.self_score)}</td>'
            f'\n        <td class="text-end" data-testid="visit-appraised">{self._appraised(result)}</td>'
            f'\n        <td class="text-end">{_number(result.max_score)}</td>'
            f'\n        <td class="text-end">{_number(result.percent) or "—"}</td>'
            f'\n        <td class="text-end">{grade}</td>'
            "\n      </tr></tfoot>\n      "
        )

    @staticmethod
    def _statement(result) -> str:
        # As inspections/_result_statement.html, whose file ends with a newline.
        if not result:
            return ""
        lines = result_statement(result)
        if not lines:
            return "\n"
        written = "".join(f'<p class="mb-1">{escape(line)}</p>' for line in lines)
        return f'\n<div class="small result-statement mt-2" data-testid="result-statement">{written}</div>\n\n'

    def write(self, area_totals, result, *, oob: bool = False) -> SafeString:
        """The totals of the areas given, and of the whole visit when `result` is given."""
        words = self.words
        swap = 'hx-swap-oob="true"' if oob else ""
        head = "".join(
            f'\n        <th scope="col"{cls}>{text}</th>'
            for cls, text in (
                ("", words["area"]),
                (' class="text-end"', words["self_score"]),
                (' class="text-end"', words["appraised_score"]),
                (' class="text-end"', words["maximum"]),
                (' class="text-end"', "%"),
                (' class="text-end"', words["appraised"]),
            )
        )
        rows = "".join(self._row(area, total) for area, total in area_totals)
        html = (
            f'\n<div id="area-totals" {swap} class="card mb-3" data-testid="area-totals">'
            '\n  <div class="card-body p-2">'
            '\n    <div class="table-responsive"><table class="table table-sm mb-0 small align-middle">'
            f"\n      <thead><tr>{head}\n      </tr></thead>"
            f"\n      <tbody>\n      {rows}\n      </tbody>"
            f"\n      {self._foot(result)}"
            "\n    </table></div>"
            f"\n    {self._statement(result)}"
            "\n  </div>\n</div>\n"
        )
        # Bandit B308/B703 (mark_safe) reviewed: every value above from the database is escaped.
        return mark_safe(html)  # nosec
