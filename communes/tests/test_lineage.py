"""A unit's lineage: itself and every unit it succeeded, read in one query whatever the depth."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes import selectors
from communes.tests.factories import CommuneFactory, SuccessionFactory

pytestmark = pytest.mark.django_db


def test_a_lineage_follows_every_merger_back_in_one_query_and_reads_no_other_unit():
    # 2019: old_a and old_b merged into middle; 2025: middle and neighbour merged into today.
    old_a, old_b, middle, neighbour, today = (CommuneFactory() for _ in range(5))
    for older, newer in ((old_a, middle), (old_b, middle), (middle, today), (neighbour, today)):
        SuccessionFactory(predecessor=older, successor=newer)
    # Another chain of the register, which no lineage asked for may read.
    unrelated = CommuneFactory()
    SuccessionFactory(predecessor=unrelated, successor=CommuneFactory())
    alone = CommuneFactory()

    with CaptureQueriesContext(connection) as captured:
        found = selectors.lineages({today.pk, middle.pk, alone.pk})
    assert len(captured) == 1
    assert found == {
        today.pk: {today.pk, middle.pk, neighbour.pk, old_a.pk, old_b.pk},
        middle.pk: {middle.pk, old_a.pk, old_b.pk},
        alone.pk: {alone.pk},
    }
    assert unrelated.pk not in {pk for _successor, pk in selectors.predecessor_links({today.pk})}
    assert selectors.lineages(set()) == {} and selectors.predecessor_links([]) == []


def test_a_lineage_stops_at_the_depth_it_follows_and_survives_a_cycle():
    chain = [CommuneFactory() for _ in range(selectors.LINEAGE_DEPTH + 3)]
    for newer, older in zip(chain, chain[1:], strict=False):
        SuccessionFactory(successor=newer, predecessor=older)
    # A register error that makes a unit its own ancestor ends, as every chain does.
    SuccessionFactory(successor=chain[-1], predecessor=chain[0])
    found = selectors.lineages({chain[0].pk})[chain[0].pk]
    assert {c.pk for c in chain[: selectors.LINEAGE_DEPTH + 1]} <= found
