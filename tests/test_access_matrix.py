"""Every URL × every persona: the status each persona must get, generated from the resolver."""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import LOGIN, PERSONAS

ROOT = Path(__file__).resolve().parent.parent
# Namespaces covered elsewhere: Django's admin guards itself with is_staff (tested below).
EXEMPT_NAMESPACES = {"admin"}


def collect_rows():
    rows = []
    for path in sorted(ROOT.glob("*/tests/access_rows*.py")):
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        rows.extend(module.ACCESS_ROWS)
    return rows


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            child = f"{namespace}{ns}:" if ns else namespace
            if ns in EXEMPT_NAMESPACES:
                continue
            names |= url_names(pattern, child)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


ROWS = collect_rows()


def test_every_named_url_has_a_row_in_the_matrix():
    covered = {row.name for row in ROWS}
    missing = sorted(url_names() - covered)
    assert not missing, f"URLs without a row in any */tests/access_rows.py: {missing}"


def test_every_row_names_every_persona():
    for row in ROWS:
        assert set(row.expect) == set(PERSONAS), row.id


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_access(row, persona, world, persona_client):
    client = persona_client(persona)
    url = reverse(row.name, kwargs=row.kwargs(world))
    call = getattr(client, row.method)
    response = call(url, row.data(world)) if row.method == "post" else call(url)
    expected = row.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302, (row.id, persona, response.status_code)
        assert response["Location"].startswith(reverse("accounts:login")), response["Location"]
    else:
        assert response.status_code == expected, (row.id, persona, response.status_code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_only_for_staff(persona, persona_client):
    response = persona_client(persona).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
