"""The change record of a visit: who changed which score, finding, sign-off or notice, from what to what.

Read from django-simple-history's tables, which every save and every bulk update
of these models fills (see models/history.py).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _

from .models import (
    ConclusionNotice,
    Criterion,
    CriterionScore,
    Finding,
    InspectionPlan,
    InspectionTeam,
    Minutes,
    ScoreContest,
    TeamGroup,
    TeamMember,
    Visit,
)

# The fields worth showing a person, per audited model.
TRACKED = {
    Visit: ["status", "appraisal_published_at", "appeal_deadline", "appeal_waived_at"],
    CriterionScore: [
        "self_score",
        "self_explanation",
        "appraised_score",
        "appraised_comment",
        "explanation_requested",
        "explanation_request",
    ],
    Finding: ["kind", "status", "text", "recommendation", "due_date", "answer", "rechecked_by"],
    Minutes: [
        "number",
        "held_on",
        "place",
        "team_attendees",
        "commune_attendees",
        "summary",
        "commune_opinion",
        "signed_by",
        "signed_at",
        "reopen_reason",
    ],
    # Round 1 as contested, the commune's explanation, and round 2: the team's decision.
    ScoreContest: ["first_score", "first_comment", "explanation", "status", "decided_score", "decision_reason"],
    ConclusionNotice: ["number", "issued_on", "remedy_deadline", "summary", "signer_name", "signer_title"],
    InspectionTeam: ["name", "decision_number", "decision_date"],
    TeamGroup: ["name"],
    TeamMember: ["user", "role", "position", "group"],
}
USER_FIELDS = {"signed_by", "rechecked_by", "user"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: object
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)


def _display(model, name: str, value, users: dict, groups: dict | None = None) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name in USER_FIELDS:
        return str(users.get(value, value))
    if name == "group":
        return str((groups or {}).get(value, value))
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "; ".join(" – ".join(filter(None, [a.get("name"), a.get("position")])) for a in value)
    if isinstance(value, dt.datetime):
        # Stored in UTC; people read the time of Asia/Ho_Chi_Minh (a signing at 01:30 is not 18:30 the day before).
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return str(localize(value))


def _attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


def _entries(model, model_rows, subject, users, groups=None) -> list[HistoryEntry]:
    """History entries of one model's rows (ordered by object, then time), with the fields that changed."""
    entries = []
    previous = None
    for row in model_rows:
        if previous is not None and previous.id != row.id:
            previous = None
        changes = []
        for name in TRACKED[model]:
            attname = _attname(model, name)
            new = getattr(row, attname)
            old = getattr(previous, attname) if previous is not None else None
            if previous is None and (new is None or new == "" or new == [] or new is False):
                continue
            if previous is not None and old == new:
                continue
            changes.append(
                Change(
                    label=str(model._meta.get_field(name).verbose_name),
                    old=_display(model, name, old, users, groups) if previous is not None else "—",
                    new=_display(model, name, new, users, groups),
                )
            )
        action = {"+": _("created"), "~": _("changed"), "-": _("deleted")}.get(row.history_type, "")
        if changes or row.history_type != "~":
            entries.append(
                HistoryEntry(
                    when=row.history_date,
                    who=row.history_user,
                    subject=subject(model, row),
                    action=action,
                    changes=changes,
                )
            )
        previous = row
    return entries


def team_history(*, plan: InspectionPlan) -> list[HistoryEntry]:
    """Every recorded change of the campaign's team: its decision, groups and members' seats, newest first."""
    team_ids = list(InspectionTeam.objects.filter(plan=plan).values_list("id", flat=True))
    if not team_ids:
        return []
    sources = {
        InspectionTeam: InspectionTeam.history.filter(id__in=team_ids),
        TeamGroup: TeamGroup.history.filter(team_id__in=team_ids),
        TeamMember: TeamMember.history.filter(team_id__in=team_ids),
    }
    rows = {
        model: list(qs.select_related("history_user").order_by("id", "history_date", "history_id"))
        for model, qs in sources.items()
    }
    user_ids = {row.user_id for row in rows[TeamMember]}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    groups = {row.id: row.name for row in rows[TeamGroup]}

    def subject(model, row):
        if model is TeamMember:
            return _("Team member %(name)s") % {"name": users.get(row.user_id, "?")}
        if model is TeamGroup:
            return _("Team group %(name)s") % {"name": row.name}
        return str(model._meta.verbose_name).capitalize()

    entries = []
    for model, model_rows in rows.items():
        entries += _entries(model, model_rows, subject, users, groups)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _latest_objects(history, rows: int):
    """The objects of the `rows` newest history rows, as a subquery of their ids."""
    return history.order_by("-history_date", "-history_id").values("id")[:rows]


def visit_history(*, visit: Visit, latest: int | None = None) -> list[HistoryEntry]:
    """Every recorded change of the visit, its scores, findings, minutes and notice, newest first.

    A fixed number of queries, whatever the number of criteria or findings. With `latest`, the
    newest entries only (at least that many when there are): the history is read only for the
    objects changed last, with all their versions, so that each change is still told against the
    version before it; a page that shows a few entries then reads a few rows, not every save ever made.
    """
    sources = {
        Visit: Visit.history.filter(id=visit.pk),
        CriterionScore: CriterionScore.history.filter(visit_id=visit.pk),
        Finding: Finding.history.filter(visit_id=visit.pk),
        # A contest enters the record when the commune files it, not while its staff draft it.
        ScoreContest: ScoreContest.history.filter(visit_id=visit.pk).exclude(status=ScoreContest.Status.DRAFT),
        Minutes: Minutes.history.filter(visit_id=visit.pk),
        ConclusionNotice: ConclusionNotice.history.filter(visit_id=visit.pk),
    }
    if latest is not None:
        # A change that touches no tracked field gives no entry: read beyond `latest` rows to make up for them.
        sources = {model: qs.filter(id__in=_latest_objects(qs, latest * 3)) for model, qs in sources.items()}
    rows = {
        model: list(qs.select_related("history_user").order_by("id", "history_date", "history_id"))
        for model, qs in sources.items()
    }
    user_ids = {
        getattr(row, _attname(model, name))
        for model, model_rows in rows.items()
        for row in model_rows
        for name in TRACKED[model]
        if name in USER_FIELDS
    } - {None}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    codes = dict(Criterion.objects.filter(criteria_set_id=visit.plan.criteria_set_id).values_list("id", "code"))

    def subject(model, row):
        if model is CriterionScore:
            return _("Score %(code)s") % {"code": codes.get(row.criterion_id, "?")}
        if model is ScoreContest:
            return _("Contest of %(code)s") % {"code": codes.get(row.criterion_id, "?")}
        if model is Finding:
            return f"{dict(Finding.Kind.choices).get(row.kind, row.kind)}: {row.text[:60]}"
        return str(model._meta.verbose_name).capitalize()

    entries = []
    for model, model_rows in rows.items():
        entries += _entries(model, model_rows, subject, users)
    # Who sat on the team, in which seat, is part of the record of every visit of the campaign.
    entries += team_history(plan=visit.plan)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries if latest is None else entries[:latest]
