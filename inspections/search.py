"""Finding things from the header: communes, visits, findings, criteria and evidence the user may see.

Every kind is read through the scoped selectors, so a search reaches exactly what the pages reach.
Vietnamese is matched with or without its marks ("thanh dong a" finds "Thạnh Đông A"): on PostgreSQL
by full-text search over `unaccent`ed text with the 'simple' configuration (no stemming, which suits
Vietnamese syllables), each word a prefix; on SQLite, where there is no `unaccent`, by comparing the
transliterated words through a function registered on each connection.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat

from accounts.access import scope_for
from cchc_inspect.transliteration import transliterate
from communes.folding import dictionary_order
from communes.models import AdministrativeUnit

from . import selectors
from .models import Criterion, Finding

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
# Results shown per kind; one more is read to know that there are more.
PER_KIND = 20
SQLITE_FOLD_FUNCTION = "cchc_fold"

# A word of the folded query: letters and digits, with inner dots kept so that "1.1.2" and "2020.pdf" stay whole.
_TERM = re.compile(r"[a-z0-9]+(?:\.[a-z0-9]+)*")
_CODE = re.compile(r"^\d+(?:\.\d+)*\.?$")


def fold(text) -> str:
    """Lower-case ASCII text with single spaces: "Thạnh  ĐÔNG A" → "thanh dong a"."""
    return " ".join(transliterate(text or "").lower().split())


def query_terms(query: str) -> list[str]:
    """The words searched for, folded and in order, at most MAX_TERMS of them."""
    return _TERM.findall(fold(query))[:MAX_TERMS]


def has_too_many_terms(query: str) -> bool:
    """Whether words of the query were left out (only MAX_TERMS are searched)."""
    return len(_TERM.findall(fold(query))) > MAX_TERMS


def tsquery_text(terms: list[str]) -> str:
    """A raw tsquery that asks every term as a prefix; terms hold only [a-z0-9.], so quoting is safe."""
    return " & ".join(f"'{term}':*" for term in terms)


def word_fold(text) -> str:
    """The folded words of a text, each after a space: " bien ban 2020.pdf"; a term then matches a word's start."""
    return "".join(f" {word}" for word in _TERM.findall(fold(text)))


def register_sqlite_fold(sender, connection, **kwargs) -> None:
    """Give each SQLite connection the fold function the fallback search compares with."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FOLD_FUNCTION, 1, word_fold, deterministic=True)


class _Unaccent(Func):
    function = "unaccent"
    output_field = TextField()


class _SearchDocument(Func):
    """cchc_search_document(a[, b[, c]]): the indexed, unaccented tsvector of up to three fields (migration 0006)."""

    function = "cchc_search_document"
    output_field = SearchVectorField()


class _SqliteFold(Func):
    function = SQLITE_FOLD_FUNCTION
    output_field = TextField()


def _text(name: str):
    return Cast(F(name), output_field=TextField())


def matching(qs: QuerySet, fields: list[str], terms: list[str], *, indexed: bool = False) -> QuerySet:
    """Rows of qs whose fields, taken together, hold every term (each a word prefix on PostgreSQL).

    `indexed` fields are a table's own text columns with a GIN index on their search document; others
    (joined or cast fields, small tables) build the document on the fly.
    """
    if not terms:
        return qs.none()
    if connection.vendor == "postgresql":
        query = SearchQuery(tsquery_text(terms), config="simple", search_type="raw")
        if indexed:
            # Matched apart from the scope's joins, so that the GIN index answers first.
            vector = _SearchDocument(*(F(name) for name in fields))
            found = qs.model._base_manager.annotate(search_vector=vector).filter(search_vector=query)
            return qs.filter(pk__in=found.values("pk"))
        vector = SearchVector(*(_Unaccent(_text(name)) for name in fields), config="simple")
        return qs.annotate(search_vector=vector).filter(search_vector=query)
    parts = []
    for name in fields:
        parts += [_text(name), Value(" ")]
    folded = _SqliteFold(Concat(*parts, output_field=TextField()))
    qs = qs.annotate(search_folded=folded)
    for term in terms:
        # Like the prefix query on PostgreSQL: each term begins a word.
        qs = qs.filter(search_folded__contains=f" {term}")
    return qs


@dataclass
class Kind:
    """The results of one kind, at most PER_KIND of them, and whether there were more."""

    key: str
    rows: list = field(default_factory=list)
    more: bool = False


@dataclass
class SearchResults:
    query: str
    terms: list[str]
    kinds: list[Kind]

    @property
    def count(self) -> int:
        return sum(len(kind.rows) for kind in self.kinds)


def _first(qs: QuerySet) -> tuple[list, bool]:
    rows = list(qs[: PER_KIND + 1])
    return rows[:PER_KIND], len(rows) > PER_KIND


def _communes(user, terms) -> Kind:
    visits = selectors.visit_list_for_user(user)
    units = matching(
        AdministrativeUnit.objects.filter(id__in=visits.order_by().values("unit_id")).select_related("parent"),
        ["name", "code"],
        terms,
    ).order_by(dictionary_order("name"), "id")
    rows, more = _first(units)
    by_unit = {}
    if rows:
        for visit in visits.filter(unit__in=rows).order_by("-plan__year", "-id"):
            by_unit.setdefault(visit.unit_id, []).append(visit)
    for unit in rows:
        unit.visible_visits = by_unit.get(unit.pk, [])
    return Kind("communes", rows, more)


def _visits(user, terms) -> Kind:
    qs = matching(
        selectors.visit_list_for_user(user),
        ["unit__name", "plan__title", "plan__number", "plan__year", "place"],
        terms,
    ).order_by("-plan__year", dictionary_order("unit__name"), "id")
    return Kind("visits", *_first(qs))


def _findings(user, terms) -> Kind:
    fields = ["text", "recommendation", "answer"]
    qs = matching(selectors.finding_list_for_user(user), fields, terms, indexed=True).order_by(
        "-visit__plan__year", dictionary_order("visit__unit__name"), "-created_at", "-id"
    )
    return Kind("findings", *_first(qs))


def _criteria(user, query, terms) -> Kind:
    sets = selectors.criteria_set_list_for_user(user).order_by().values("id")
    qs = Criterion.objects.filter(criteria_set_id__in=sets).select_related("criteria_set", "area")
    code = query.strip().rstrip(".")
    if _CODE.match(query.strip()):
        # A code finds that criterion and those under it in every set the user sees.
        qs = qs.filter(Q(code=code) | Q(code__startswith=f"{code}."))
    else:
        qs = matching(qs, ["code", "title"], terms, indexed=True)
    qs = qs.order_by("-criteria_set__year", "criteria_set_id", "order", "code")
    rows, more = _first(qs)
    _link_criteria(user, rows)
    return Kind("criteria", rows, more)


def _link_criteria(user, rows) -> None:
    """Authority people open the criteria set; commune people the self-assessment that uses it."""
    if not rows:
        return
    scope = scope_for(user)
    if scope.is_authority_user:
        for criterion in rows:
            criterion.link = ("criteria_set", criterion.criteria_set_id)
        return
    set_ids = {criterion.criteria_set_id for criterion in rows}
    visit_by_set = {}
    for visit_id, set_id in (
        selectors.visit_list_for_user(user)
        .filter(plan__criteria_set_id__in=set_ids)
        .order_by("-plan__year", "-id")
        .values_list("id", "plan__criteria_set_id")
    ):
        visit_by_set.setdefault(set_id, visit_id)
    for criterion in rows:
        visit_id = visit_by_set.get(criterion.criteria_set_id)
        criterion.link = ("self_assessment", visit_id) if visit_id else None


def _evidence(user, terms) -> Kind:
    qs = (
        matching(
            selectors.evidence_list_for_user(user),
            ["original_name", "description", "document_number"],
            terms,
            indexed=True,
        )
        .select_related("visit__plan", "remedy__finding__visit__plan")
        .order_by("-uploaded_at", "-id")
    )
    return Kind("evidence", *_first(qs))


def search_for_user(user, query: str) -> SearchResults:
    """Everything of each kind that the user may see and that matches the query, at most PER_KIND of each.

    The query is folded (marks and case dropped) and cut to MAX_TERMS words; callers cut it to
    MAX_QUERY_LENGTH characters first. An empty query finds nothing.
    """
    terms = query_terms(query)
    if not terms:
        return SearchResults(query=query, terms=[], kinds=[])
    kinds = [
        _communes(user, terms),
        _visits(user, terms),
        _findings(user, terms),
        _criteria(user, query, terms),
        _evidence(user, terms),
    ]
    return SearchResults(query=query, terms=terms, kinds=kinds)


def finding_link(finding: Finding) -> tuple[str, int]:
    """The page that shows a finding: its remedy page when it calls for one, else its visit."""
    if finding.is_actionable:
        return ("inspections:finding_remedy", finding.pk)
    return ("inspections:visit_detail", finding.visit_id)
