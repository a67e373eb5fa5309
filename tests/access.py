"""The access matrix: every named URL × every persona, with the status each must get.

Each app declares its rows in `<app>/tests/access_rows.py` as ACCESS_ROWS, a list of
Row. The matrix test enumerates the URL resolver, so a URL without a row fails.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = ["anonymous", "secretariat", "lead", "inspector", "viewer", "commune_a", "commune_a_lead", "commune_b"]
LOGIN = "login"  # shorthand: redirected to the sign-in page


@dataclass(frozen=True)
class Row:
    """One URL (by its namespaced name) called one way, and what each persona must get."""

    name: str
    expect: dict[str, int | str]
    kwargs: Callable = field(default=lambda world: {})
    method: str = "get"
    data: Callable = field(default=lambda world: {})
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}{'[' + self.label + ']' if self.label else ''}:{self.method}"


def expect(default, **overrides) -> dict[str, int | str]:
    """Build an expectation for all personas: anonymous is sent to sign in unless overridden."""
    table = dict.fromkeys(PERSONAS, default)
    table["anonymous"] = LOGIN
    table.update(overrides)
    missing = set(PERSONAS) - set(table)
    assert not missing, missing
    return table


def commune_a_only(status_ok=200, **overrides):
    """Objects of commune A: its people and the district side see them; commune B gets 404."""
    return expect(status_ok, commune_b=404, **overrides)
