"""The change record of a visit: who changed which score, finding, sign-off or notice, from what to what.

Read from django-simple-history's tables, which every save and every bulk update
of these models fills (see models/history.py).
"""

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _

from communes.models import Department

from .models import (
    AdjustmentItem,
    ConclusionNotice,
    Criterion,
    CriterionScore,
    Finding,
    InspectionPlan,
    InspectionTeam,
    Minutes,
    ScoreContest,
    SurveyIndex,
    SurveyResult,
    TeamGroup,
    TeamMember,
    Visit,
    VisitAdjustment,
)
from .score_text import score_text

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
        "not_applicable",
        "not_applicable_reason",
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
    # Bonus and penalty points and survey results count in the total as much as the scores do.
    VisitAdjustment: ["item", "points", "note", "document"],
    SurveyResult: ["index", "value"],
    InspectionTeam: ["name", "decision_number", "decision_date"],
    TeamGroup: ["name"],
    TeamMember: ["user", "department", "role", "position", "group"],
}
USER_FIELDS = {"signed_by", "rechecked_by", "user"}
# Fields that name another row, written with that row's name (`names`, by field and id) rather than its id.
NAMED_FIELDS = {"group", "department", "item", "index"}


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


def _display(model, name: str, value, users: dict, names: dict | None = None) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name in USER_FIELDS:
        return str(users.get(value, value))
    if name in NAMED_FIELDS:
        return str((names or {}).get(name, {}).get(value, value))
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
    if isinstance(value, Decimal):
        # As every page writes a score: 2 and 7,5, not 2,00 and 7,50.
        return score_text(value)
    return str(localize(value))


def _attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


# What each history row is read with besides its tracked fields: the object, the version, and who saved it.
HISTORY_COLUMNS = ["id", "history_id", "history_date", "history_type", "history_user_id"]
# The columns that name a row's object in the record.
SUBJECT_COLUMNS = {
    CriterionScore: ["criterion_id"],
    ScoreContest: ["criterion_id"],
    Finding: ["kind", "text"],
    TeamMember: ["user_id"],
    TeamGroup: ["name"],
    VisitAdjustment: ["item_id"],
    SurveyResult: ["index_id"],
}


@functools.cache
def _history_model(model):
    return model.history.model


def _history(model) -> QuerySet:
    """Every history row of the model. (Each read of `Model.history` builds a manager class: this does not.)"""
    return _history_model(model)._default_manager.all()


def _history_rows(model, history) -> list[dict]:
    """The rows of one model's history queryset as plain values, ordered by object, then time."""
    columns = HISTORY_COLUMNS + [_attname(model, name) for name in TRACKED[model]] + SUBJECT_COLUMNS.get(model, [])
    return list(history.order_by("id", "history_date", "history_id").values(*dict.fromkeys(columns)))


def _user_ids(rows: dict) -> set:
    """Everyone the rows name: who saved each version, and the people in tracked fields."""
    ids = set()
    for model, model_rows in rows.items():
        attnames = ["history_user_id"] + [_attname(model, name) for name in TRACKED[model] if name in USER_FIELDS]
        for row in model_rows:
            ids.update(row[attname] for attname in attnames)
    ids.discard(None)
    return ids


def _users(ids: set) -> dict:
    return {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)} if ids else {}


def _entries(model, model_rows, subject, users, names=None) -> list[tuple]:
    """History entries of one model's rows (ordered by object, then time), with the fields that changed.

    Each as (when, a function writing the entry): the values are written only for the entries kept.
    """
    fields = [(name, _attname(model, name)) for name in TRACKED[model]]
    entries = []
    previous = None
    for row in model_rows:
        if previous is not None and previous["id"] != row["id"]:
            previous = None
        changed = []
        for name, attname in fields:
            new = row[attname]
            old = previous[attname] if previous is not None else None
            if previous is None and (new is None or new == "" or new == [] or new is False):
                continue
            if previous is not None and old == new:
                continue
            changed.append((name, old, new))
        # A row created empty (a criterion's score before anyone scored it) is no event; a deletion always is.
        if changed or row["history_type"] == "-":
            entries.append(
                (row["history_date"], _entry_writer(model, row, previous is not None, changed, subject, users, names))
            )
        previous = row
    return entries


def _entry_writer(model, row, has_previous: bool, changed: list, subject, users, names):
    def write() -> HistoryEntry:
        actions = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
        kind = row["history_type"]
        if kind == "~" and changed and all(old is None or old == "" or old == [] for _name, old, _new in changed):
            # A row made empty beforehand (a criterion's score) is filled in for the first time.
            kind = "+"
        return HistoryEntry(
            when=row["history_date"],
            who=users.get(row["history_user_id"]),
            subject=subject(model, row),
            action=actions.get(kind, ""),
            changes=[
                Change(
                    label=str(model._meta.get_field(name).verbose_name),
                    old=_display(model, name, old, users, names) if has_previous else "—",
                    new=_display(model, name, new, users, names),
                )
                for name, old, new in changed
            ],
        )

    return write


def _newest(entries: list[tuple], latest: int | None, since: dt.datetime | None = None) -> list[HistoryEntry]:
    """The entries newest first (the newest `latest` only, when given), written; none from before `since`.

    Rows from before `since` were read only to tell the next change against (`_changed_last`).
    """
    if since is not None:
        entries = [entry for entry in entries if entry[0] >= since]
    entries.sort(key=lambda entry: entry[0], reverse=True)
    return [write() for _when, write in (entries if latest is None else entries[:latest])]


def _team_sources(plan: InspectionPlan) -> dict:
    """The history of the campaign's team, its groups and its members' seats."""
    # The team is one per campaign; the permission checks of the request have usually read it already.
    team = plan.team if hasattr(plan, "team") else None
    if team is None:
        return {}
    return {
        InspectionTeam: _history(InspectionTeam).filter(id=team.pk),
        TeamGroup: _history(TeamGroup).filter(team_id=team.pk),
        TeamMember: _history(TeamMember).filter(team_id=team.pk),
    }


def _changed_last(sources: dict, rows: int) -> tuple[dict, dt.datetime | None]:
    """The sources narrowed to the `rows` newest history rows among them all, each with its version before.

    One query finds those rows; a source that none of them belongs to is not read at all. Of each
    object changed, the versions from the oldest of those rows on are read, and the one version
    before them, which each change is told against: a score saved a thousand times over a campaign
    costs a few rows, not a thousand. Returns the sources and that oldest moment (None: no rows),
    before which rows are read only to compare with. A member's seat names his group: when seats are
    read, the groups are read whole.
    """
    models = list(sources)
    parts = [
        history.order_by().values("id", "history_date", "history_id", source=Value(index))
        for index, history in enumerate(sources.values())
    ]
    # Rows of the same moment (a bulk update) in the order the entries are told: by kind, object and version.
    newest = list(parts[0].union(*parts[1:], all=True).order_by("-history_date", "source", "id", "history_id")[:rows])
    if not newest:
        return {}, None
    since = min(row["history_date"] for row in newest)
    ids = {}
    for row in newest:
        ids.setdefault(models[row["source"]], set()).add(row["id"])
    narrowed = {}
    for model in models:
        if model not in ids:
            continue
        history = sources[model].filter(id__in=ids[model])
        # Each object's last version before `since`, in the order the rows are told (time, then version):
        # numbered in one pass over its older versions, not looked for again for each of them.
        before = (
            history.filter(history_date__lt=since)
            .order_by()
            .annotate(
                newest=Window(
                    RowNumber(), partition_by=[F("id")], order_by=[F("history_date").desc(), F("history_id").desc()]
                )
            )
            .filter(newest=1)
            .values("history_id")
        )
        narrowed[model] = history.filter(Q(history_date__gte=since) | Q(history_id__in=before))
    if TeamMember in narrowed:
        narrowed[TeamGroup] = sources[TeamGroup]
    return narrowed, since


def _read(sources: dict) -> dict:
    return {model: _history_rows(model, history) for model, history in sources.items()}


def _team_entries(rows: dict, users: dict) -> list[tuple]:
    groups = {row["id"]: row["name"] for row in rows.get(TeamGroup, [])}
    department_ids = {row["department_id"] for row in rows.get(TeamMember, [])} - {None}
    # Departments keep their rows while a member points to them (PROTECT): their names now are read.
    departments = {pk: str(d) for pk, d in Department.objects.in_bulk(department_ids).items()} if department_ids else {}

    def subject(model, row):
        if model is TeamMember:
            return _("Team member %(name)s") % {"name": users.get(row["user_id"], "?")}
        if model is TeamGroup:
            return _("Team group %(name)s") % {"name": row["name"]}
        return str(model._meta.verbose_name).capitalize()

    entries = []
    for model in (InspectionTeam, TeamGroup, TeamMember):
        entries += _entries(model, rows.get(model, []), subject, users, {"group": groups, "department": departments})
    return entries


# A change that touches no tracked field gives no entry: the latest entries are looked for among
# this many times as many history rows.
LATEST_ROWS_FACTOR = 3


def team_history(*, plan: InspectionPlan, latest: int | None = None) -> list[HistoryEntry]:
    """Every recorded change of the campaign's team: its decision, groups and members' seats, newest first.

    With `latest`, the newest entries only (at least that many when there are), read as visit_history reads them.
    """
    sources, since = _team_sources(plan), None
    if sources and latest is not None:
        sources, since = _changed_last(sources, latest * LATEST_ROWS_FACTOR)
    rows = _read(sources)
    return _newest(_team_entries(rows, _users(_user_ids(rows))), latest, since)


def _adjustment_items(rows: list[dict]) -> dict[int, tuple]:
    """(code, title, kind) of the bonus and penalty items the rows name; no query when there are none."""
    ids = {row["item_id"] for row in rows} - {None}
    if not ids:
        return {}
    return {
        pk: (code, title, kind)
        for pk, code, title, kind in AdjustmentItem.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", "code", "title", "kind")
    }


def _survey_indices(rows: list[dict]) -> dict[int, str]:
    """The codes of the survey sub-indices the rows name; no query when there are none."""
    ids = {row["index_id"] for row in rows} - {None}
    if not ids:
        return {}
    return dict(SurveyIndex.objects.filter(pk__in=ids).order_by().values_list("pk", "code"))


def visit_history(*, visit: Visit, latest: int | None = None) -> list[HistoryEntry]:
    """Every recorded change of the visit, its scores, bonuses, penalties, survey results, findings, minutes and notice,
    and of its team, newest first.

    A fixed number of queries, whatever the number of criteria or findings. With `latest`, the
    newest entries only (at least that many when there are): one query finds the objects changed
    last, whose history is then read with all their versions, so that each change is still told
    against the version before it; a page that shows a few entries reads a few rows, not every
    save ever made, and none of the kinds of object that did not change lately.
    """
    sources = {
        Visit: _history(Visit).filter(id=visit.pk),
        CriterionScore: _history(CriterionScore).filter(visit_id=visit.pk),
        Finding: _history(Finding).filter(visit_id=visit.pk),
        # A contest enters the record when the commune files it, not while its staff draft it.
        ScoreContest: _history(ScoreContest).filter(visit_id=visit.pk).exclude(status=ScoreContest.Status.DRAFT),
        Minutes: _history(Minutes).filter(visit_id=visit.pk),
        ConclusionNotice: _history(ConclusionNotice).filter(visit_id=visit.pk),
        VisitAdjustment: _history(VisitAdjustment).filter(visit_id=visit.pk),
        SurveyResult: _history(SurveyResult).filter(visit_id=visit.pk),
        # Who sat on the team, in which seat, is part of the record of every visit of the campaign.
        **_team_sources(visit.plan),
    }
    since = None
    if latest is not None:
        sources, since = _changed_last(sources, latest * LATEST_ROWS_FACTOR)
    rows = _read(sources)
    users = _users(_user_ids(rows))
    criterion_ids = {row["criterion_id"] for model in (CriterionScore, ScoreContest) for row in rows.get(model, [])}
    codes = (
        dict(
            Criterion.objects.filter(criteria_set_id=visit.plan.criteria_set_id, pk__in=criterion_ids)
            .order_by()
            .values_list("id", "code")
        )
        if criterion_ids
        else {}
    )
    kinds = dict(Finding.Kind.choices)
    items = _adjustment_items(rows.get(VisitAdjustment, []))
    indices = _survey_indices(rows.get(SurveyResult, []))
    names = {"item": {pk: f"{code} {title}" for pk, (code, title, _kind) in items.items()}, "index": indices}

    def subject(model, row):
        if model is CriterionScore:
            return _("Score %(code)s") % {"code": codes.get(row["criterion_id"], "?")}
        if model is ScoreContest:
            return _("Contest of %(code)s") % {"code": codes.get(row["criterion_id"], "?")}
        if model is Finding:
            return f"{kinds.get(row['kind'], row['kind'])}: {row['text'][:60]}"
        if model is VisitAdjustment:
            code, _title, kind = items.get(row["item_id"], ("?", "", ""))
            if kind == AdjustmentItem.Kind.BONUS:
                return _("Bonus %(code)s") % {"code": code}
            return _("Penalty %(code)s") % {"code": code}
        if model is SurveyResult:
            return _("Survey result %(code)s") % {"code": indices.get(row["index_id"], "?")}
        return str(model._meta.verbose_name).capitalize()

    entries = []
    for model in (
        Visit,
        CriterionScore,
        Finding,
        ScoreContest,
        Minutes,
        ConclusionNotice,
        VisitAdjustment,
        SurveyResult,
    ):
        entries += _entries(model, rows.get(model, []), subject, users, names)
    entries += _team_entries(rows, users)
    return _newest(entries, latest, since)
