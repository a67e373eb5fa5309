"""`__any_of`: the same rows as `__in`, with one array parameter on PostgreSQL and an IN list elsewhere."""

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from inspections.models import CriterionScore, Visit


@pytest.mark.django_db
def test_any_of_finds_what_in_finds(world):
    ids = [world.visit_a.pk, world.visit_b.pk, 10**9]
    assert set(Visit.objects.filter(pk__any_of=ids)) == set(Visit.objects.filter(pk__in=ids))
    # Through a foreign key, from a generator, with repeats.
    scores = CriterionScore.objects.filter(visit_id__any_of=(pk for pk in [world.visit_a.pk] * 3))
    assert scores.count() == CriterionScore.objects.filter(visit=world.visit_a).count() > 0
    assert not Visit.objects.filter(pk__any_of=[]).exists()
    assert Visit.objects.exclude(pk__any_of=[]).count() == Visit.objects.count()


@pytest.mark.django_db
def test_any_of_sends_one_parameter_on_postgresql(world):
    sql, params = Visit.objects.filter(pk__any_of=[3, 1, 2, 2]).query.sql_with_params()
    assert connection.vendor == "postgresql"
    assert "= ANY(%s)" in sql and [1, 2, 3] in params


def test_any_of_writes_an_in_list_for_sqlite():
    sqlite = SQLiteWrapper({**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
    compiled = Visit.objects.filter(pk__any_of=["2", 1]).query.get_compiler(connection=sqlite)
    sql, params = compiled.as_sql()
    assert "IN (%s, %s)" in sql and list(params)[-2:] == [1, 2]
    empty_sql, _params = Visit.objects.filter(pk__any_of=[]).query.get_compiler(connection=sqlite).as_sql()
    assert "1 = 0" in empty_sql
