"""The header's search: Vietnamese with or without marks, each persona finding only what its pages show."""

import sqlite3

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.tests.factories import CommuneFactory, DistrictFactory
from inspections import search
from inspections.models import Criterion, Evidence, Finding
from inspections.tests.factories import CriterionFactory, EvidenceFactory, FindingFactory, VisitFactory
from tests.access import PERSONAS

SECRET = "Chưa niêm yết thủ tục hành chính tại bộ phận một cửa"


def test_fold_drops_marks_case_and_spaces_and_keeps_d_with_stroke():
    assert search.fold("  Thạnh  ĐÔNG  A ") == "thanh dong a"
    assert search.fold("Đường đi Ðồng") == "duong di dong"
    assert search.fold(None) == ""


def test_query_terms_keep_codes_and_file_names_whole_and_stop_at_the_limit():
    assert search.query_terms("Tiêu chí 1.1.2") == ["tieu", "chi", "1.1.2"]
    assert search.query_terms("bien_ban-2020.pdf") == ["bien", "ban", "2020.pdf"]
    assert search.query_terms("'; DROP TABLE x; --") == ["drop", "table", "x"]
    many = " ".join(f"w{n}" for n in range(20))
    assert len(search.query_terms(many)) == search.MAX_TERMS
    assert search.has_too_many_terms(many) and not search.has_too_many_terms("thanh dong a")
    assert search.tsquery_text(["thanh", "1.1"]) == "'thanh':* & '1.1':*"


def test_word_fold_splits_words_like_the_search_terms():
    assert search.word_fold("Biên_bản kiểm-tra 2020.pdf") == " bien ban kiem tra 2020.pdf"
    assert search.word_fold("Thạnh Đông A") == " thanh dong a"


def test_sqlite_fallback_matches_word_starts_with_or_without_marks():
    """The function the SQLite fallback registers matches each term at a word's start, "đ" included."""

    class Wrapper:
        vendor = "sqlite"

        def __init__(self):
            self.connection = sqlite3.connect(":memory:")

    wrapper = Wrapper()
    search.register_sqlite_fold(sender=None, connection=wrapper)
    db = wrapper.connection
    db.execute("create table unit (name text)")
    db.executemany("insert into unit values (?)", [("Thạnh Đông A",), ("Thạnh Đông B",), ("Tân Hội",), ("Thạnh Trị",)])

    def found(*terms):
        where = " and ".join(f"{search.SQLITE_FOLD_FUNCTION}(name) like ?" for _ in terms)
        rows = db.execute(f"select name from unit where {where} order by name", [f"% {t}%" for t in terms])
        return [r[0] for r in rows]

    assert found(*search.query_terms("thanh dong a")) == ["Thạnh Đông A"]
    assert found(*search.query_terms("Thạnh")) == ["Thạnh Trị", "Thạnh Đông A", "Thạnh Đông B"]
    assert found("hoi") == ["Tân Hội"] and found("oi") == []


def _found(client, query):
    response = client.get(reverse("inspections:search"), {"q": query})
    assert response.status_code == 200
    return response


def _kind(response, key):
    for kind in response.context["results"].kinds:
        if kind.key == key:
            return kind.rows
    raise AssertionError(key)


@pytest.mark.parametrize("query", ["thanh dong a", "Thạnh Đông A", "THANH ĐONG", "thạnh dong"])
def test_commune_is_found_with_or_without_marks(world, client, query):
    client.force_login(world.users["secretariat"])
    response = _found(client, query)
    assert [u.pk for u in _kind(response, "communes")] == [world.commune_a.pk]
    assert [v.pk for v in _kind(response, "visits")] == [world.visit_a.pk]
    body = response.content.decode()
    assert reverse("inspections:visit_detail", args=[world.visit_a.pk]) in body
    assert "Tân Hội" not in body.split('id="results-communes"')[1].split("</section>")[0]


def test_finding_text_criterion_code_and_title_and_evidence_name_are_found(world, client):
    FindingFactory(visit=world.visit_a, kind=Finding.Kind.SHORTCOMING, text=SECRET)
    CriterionFactory(area=world.areas[1], code="2.2", title="Sử dụng hộp thư điện tử công vụ")
    EvidenceFactory(
        visit=world.visit_a, unit=world.commune_a, criterion=world.leaves[1], original_name="Quyết định ISO 9001.pdf"
    )
    client.force_login(world.users["lead"])
    assert [f.text for f in _kind(_found(client, "niem yet thu tuc"), "findings")] == [SECRET]
    assert [c.code for c in _kind(_found(client, "1.1"), "criteria")] == ["1.1", "1.1.1", "1.1.2"]
    assert [c.code for c in _kind(_found(client, "hop thu dien tu"), "criteria")] == ["2.2"]
    response = _found(client, "quyet dinh iso")
    assert [e.original_name for e in _kind(response, "evidence")] == ["Quyết định ISO 9001.pdf"]
    evidence = _kind(response, "evidence")[0]
    assert reverse("inspections:evidence_download", args=[evidence.pk]) in response.content.decode()
    body = _found(client, "1.1.2").content.decode()
    anchor = f"#criterion-{world.leaves[1].pk}"
    assert reverse("inspections:criteria_set_detail", args=[world.criteria_set.pk]) + anchor in body


def test_commune_people_open_a_criterion_in_their_self_assessment(world, client):
    client.force_login(world.users["commune_a"])
    body = _found(client, "1.2").content.decode()
    assert reverse("inspections:self_assessment", args=[world.visit_a.pk]) + f"#criterion-{world.leaves[2].pk}" in body
    assert reverse("inspections:criteria_set_detail", args=[world.criteria_set.pk]) not in body


@pytest.fixture
def twin_world(world):
    """Commune A and commune B each have a finding and a file with the same words; another district has them too."""
    for visit in (world.visit_a, world.visit_b):
        FindingFactory(visit=visit, kind=Finding.Kind.SHORTCOMING, text=SECRET)
        EvidenceFactory(
            visit=visit, unit=visit.unit, criterion=world.leaves[0], original_name="Danh mục thủ tục một cửa.pdf"
        )
    elsewhere = VisitFactory(unit=CommuneFactory(name="Thạnh Đông A", parent=DistrictFactory(name="Hòn Đất")))
    FindingFactory(visit=elsewhere, kind=Finding.Kind.SHORTCOMING, text=SECRET)
    EvidenceFactory(visit=elsewhere, unit=elsewhere.unit, original_name="Danh mục thủ tục một cửa.pdf")
    world.elsewhere = elsewhere
    return world


# Which communes' rows each persona finds: the district side both of its campaign, a commune only itself.
SEES = {
    "secretariat": {"a", "b"},
    "lead": {"a", "b"},
    "inspector": {"a", "b"},
    "viewer": {"a", "b"},
    "commune_a": {"a"},
    "commune_a_lead": {"a"},
    "commune_b": {"b"},
}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_each_persona_finds_only_what_its_pages_show(twin_world, persona_client, persona):
    w = twin_world
    units = {"a": w.commune_a.pk, "b": w.commune_b.pk}
    expected = {units[key] for key in SEES[persona]}
    client = persona_client(persona)
    findings = _kind(_found(client, "niem yet mot cua"), "findings")
    assert {f.visit.unit_id for f in findings} == expected
    evidence = _kind(_found(client, "danh muc thu tuc"), "evidence")
    assert {e.unit_id for e in evidence} == expected
    response = _found(client, "thanh dong a")
    visits = _kind(response, "visits")
    assert {v.unit_id for v in visits} == expected & {w.commune_a.pk}
    assert w.elsewhere.unit_id not in {u.pk for u in _kind(response, "communes")}
    body = _found(client, "han che").content.decode()
    for key, unit in units.items():
        shown = reverse("inspections:finding_remedy", args=[getattr(w, f"visit_{key}").findings.first().pk]) in body
        assert shown == (unit in expected), (persona, key)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("inspections:search"), {"q": "thanh"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_superuser_finds_every_district(twin_world, client):
    admin = get_user_model().objects.create_superuser(username="root", password="x", full_name="Root")
    client.force_login(admin)
    findings = _kind(_found(client, "niem yet mot cua"), "findings")
    assert twin_world.elsewhere.unit_id in {f.visit.unit_id for f in findings}


def test_empty_query_no_result_and_punctuation_answer_plainly(world, client):
    client.force_login(world.users["lead"])
    body = _found(client, "").content.decode()
    assert 'data-testid="search-empty"' in body
    body = _found(client, "khong co gi nhu the nay").content.decode()
    assert 'data-testid="search-nothing"' in body
    response = _found(client, "%%% ;;; \x00")
    assert response.context["results"] is None
    assert 'data-testid="search-notice"' in response.content.decode()


def test_long_query_is_cut_with_a_message_not_an_error(world, client):
    client.force_login(world.users["lead"])
    response = _found(client, "thanh dong a " + "x" * 5000)
    assert len(response.context["query"]) <= search.MAX_QUERY_LENGTH
    assert 'data-testid="search-notice"' in response.content.decode()
    response = _found(client, " ".join(["thanh"] * 12))
    assert [u.pk for u in _kind(response, "communes")] == [world.commune_a.pk]
    assert "8" in response.content.decode().split('data-testid="search-notice"')[1].split("</div>")[0]


def test_many_matches_are_cut_per_kind_with_a_note(world, client):
    for n in range(search.PER_KIND + 3):
        FindingFactory(visit=world.visit_a, text=f"Trùng lặp số {n}")
    client.force_login(world.users["lead"])
    response = _found(client, "trung lap")
    assert len(_kind(response, "findings")) == search.PER_KIND
    assert 'data-testid="results-more"' in response.content.decode()


def test_header_has_a_labelled_search_box(world, client):
    client.force_login(world.users["commune_a"])
    body = client.get(reverse("home")).content.decode()
    form = body.split('data-testid="search-form"')[1].split("</form>")[0]
    assert 'for="header-search"' in form and 'id="header-search"' in form and 'name="q"' in form
    assert reverse("inspections:search") in body


def _queries(client, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        _found(client, query)
    return len(captured)


@pytest.mark.parametrize("persona", ["lead", "commune_a"])
def test_search_queries_do_not_grow_with_matches(world, persona_client, persona):
    client = persona_client(persona)
    queries = ["han che bien ban", "thanh dong a", "1.1"]
    before = [_queries(client, q) for q in queries]
    for n in range(30):
        FindingFactory(visit=world.visit_a, text=f"Hạn chế biên bản {n}")
        EvidenceFactory(visit=world.visit_a, unit=world.commune_a, criterion=world.leaves[0])
        VisitFactory(unit=CommuneFactory(name=f"Thạnh Đông A {n}", parent=world.district), plan=world.plan)
    assert [_queries(client, q) for q in queries] == before


@pytest.mark.parametrize(
    ("model", "fields", "index"),
    [
        (Finding, ["text", "recommendation", "answer"], "inspections_finding_search"),
        (Evidence, ["original_name", "description", "document_number"], "inspections_evidence_search"),
        (Criterion, ["code", "title"], "inspections_criterion_search"),
    ],
)
def test_search_documents_are_read_from_their_indexes(world, model, fields, index):
    """The query's document is the indexed expression itself, so that the GIN index can answer it."""
    qs = search.matching(model.objects.all(), fields, ["han", "che"], indexed=True)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
