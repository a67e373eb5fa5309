"""The kinds of notification and what each one says, in the reader's language."""

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    VISIT_SCHEDULED = "visit_scheduled", _("Inspection scheduled and self-assessment deadline")
    DEADLINE_REMINDER = "deadline_reminder", _("Self-assessment deadline approaching")
    DEADLINE_EXTENDED = "deadline_extended", _("Self-assessment deadline extended")
    SELF_ASSESSMENT_SUBMITTED = "self_submitted", _("Self-assessment submitted or withdrawn")
    EXPLANATION_REQUESTED = "explanation_requested", _("Explanation requested by the team")
    EXPLANATION_GIVEN = "explanation_given", _("Explanation given by the commune")
    QUESTION_ASKED = "question_asked", _("Question asked by the commune")
    QUESTION_ANSWERED = "question_answered", _("Question answered by the team")
    MINUTES_SIGNED = "minutes_signed", _("Minutes signed")
    NOTICE_ISSUED = "notice_issued", _("Conclusion notice issued")
    REMEDY_DUE = "remedy_due", _("Remedy deadline approaching")
    REMEDY_OVERDUE = "remedy_overdue", _("Remedy overdue")
    REMEDY_REPORTED = "remedy_reported", _("Remedy reported by the commune")
    REMEDY_DECIDED = "remedy_decided", _("Remedy verified or sent back")
    REPORT_FINISHED = "report_finished", _("Document ready or failed")
    APPRAISAL_PUBLISHED = "appraisal_published", _("Team's appraisal published, contest window open")
    CONTEST_FILED = "contest_filed", _("Appraised score contested by the commune")
    CONTEST_DECIDED = "contest_decided", _("Contest decided by the team")


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DIGEST = "digest", _("Daily digest e-mail")
    IN_APP = "in_app", _("In the application only")


# Legal deadlines: the conclusion notice and an overdue remedy are always e-mailed at once.
LEGAL_KINDS = frozenset({Kind.NOTICE_ISSUED, Kind.REMEDY_OVERDUE})

# What each kind says. Parameters are plain text (names, dates as dd/mm/yyyy) filled in by the emitter.
TITLES = {
    Kind.VISIT_SCHEDULED: _("%(commune)s: inspection on %(visit_date)s, self-assessment due %(deadline)s"),
    Kind.DEADLINE_REMINDER: _("%(commune)s: self-assessment due %(deadline)s (%(days)s days left), not submitted"),
    Kind.DEADLINE_EXTENDED: _("%(commune)s: self-assessment deadline extended to %(deadline)s"),
    Kind.SELF_ASSESSMENT_SUBMITTED: _("%(commune)s: self-assessment %(action)s"),
    Kind.EXPLANATION_REQUESTED: _("%(commune)s: the team asks for an explanation of criterion %(criterion)s"),
    Kind.EXPLANATION_GIVEN: _("%(commune)s: explanation given for criterion %(criterion)s"),
    Kind.QUESTION_ASKED: _("%(commune)s asked a question (%(area)s)"),
    Kind.QUESTION_ANSWERED: _("%(commune)s: the team answered your question"),
    Kind.MINUTES_SIGNED: _("%(commune)s: minutes of the inspection signed on %(date)s"),
    Kind.NOTICE_ISSUED: _("%(commune)s: conclusion notice %(number)s issued, remedies due %(deadline)s"),
    Kind.REMEDY_DUE: _("%(commune)s: findings to remedy by %(deadline)s (%(days)s days left): %(count)s"),
    Kind.REMEDY_OVERDUE: _("%(commune)s: remedies overdue since %(deadline)s, until done: %(count)s findings"),
    Kind.REMEDY_REPORTED: _("%(commune)s reported a remedy (%(area)s)"),
    Kind.REMEDY_DECIDED: _("%(commune)s: remedy %(action)s"),
    Kind.REPORT_FINISHED: _("%(kind_label)s, %(document)s: %(action)s"),
    Kind.APPRAISAL_PUBLISHED: _(
        "%(commune)s: the team's appraisal is published; a score may be contested until %(appeal_deadline)s"
    ),
    Kind.CONTEST_FILED: _("%(commune)s contests the appraised score of criterion %(criterion)s"),
    Kind.CONTEST_DECIDED: _("%(commune)s: the team decided the contest of criterion %(criterion)s: %(score)s points"),
}

# Words put into a title by the emitter, translated when the message is read.
ACTIONS = {
    "submitted": _("submitted"),
    "withdrawn": _("withdrawn"),
    "verified": _("verified as remedied"),
    "returned": _("sent back"),
    "ready": _("ready to download"),
    "failed": _("could not be produced"),
}


def title(kind: str, params: dict) -> str:
    """The one-line text of a notification in the active language."""
    values = dict(params)
    if "action" in values:
        values["action"] = ACTIONS.get(values["action"], values["action"])
    if "score" in values:
        # Stored as a plain number; written in the reader's language (2,25 in Vietnamese, 2.25 in English).
        values["score"] = number_format(values["score"], use_l10n=True)
    if "report_kind" in values:
        from reports.models import Report  # reports depends on accounts, not the other way

        values["kind_label"] = dict(Report.Kind.choices).get(values["report_kind"], values["report_kind"])
    template = TITLES.get(kind)
    if template is None:
        return str(Kind(kind).label) if kind in Kind.values else kind
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(Kind(kind).label)
