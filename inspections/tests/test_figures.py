"""`two_places` writes every figure exactly as the templates' floatformat:"-2" does, in both languages."""

import random
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from inspections.figures import two_places

EDGES = [
    "0",
    "-0",
    "0.00",
    "-0.00",
    "0.001",
    "-0.001",
    "0.004",
    "0.005",
    "-0.005",
    "0.995",
    "-0.995",
    "1",
    "1.0",
    "1.5",
    "1.50",
    "2.25",
    "7.125",
    "7.135",
    "84.565",
    "99.995",
    "100",
    "100.00",
    "-12.5",
    "999.994",
    "999.995",
    "999.999",
    "1000",
    "1000.5",
    "-1000.5",
    "12345.678",
    "1E+1",
    "1E-7",
    "0.1000",
    "-33.333333",
]


def _values():
    rng = random.Random(2020)
    values = [Decimal(text) for text in EDGES] + [0, 7, -3, 999, 1000, -1000, 123456]
    values += [Decimal(rng.randint(-200000, 200000)) / Decimal(10 ** rng.randint(0, 4)) for _ in range(3000)]
    return values


@pytest.mark.parametrize("language", ["vi", "en"])
def test_two_places_writes_what_floatformat_writes(language):
    with translation.override(language):
        for value in _values():
            assert two_places(value) == str(floatformat(value, "-2")), value
