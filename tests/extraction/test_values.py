"""Literal values parsed from surface forms."""

from __future__ import annotations

import pytest

from kg_reasoner.extraction.values import Value, parse_value


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("34", "", Value("34", "integer")),
        ("1,234", "", Value("1234", "integer")),
        ("1234.0", "", Value("1234", "integer")),
        ("-3.3528 metres", "", Value("-3.3528", "decimal", "metre")),
        ("$5 million", "MONEY", Value("5000000", "integer", "USD")),
        ("12%", "PERCENT", Value("12", "integer", "percent")),
        ("March 5, 1942", "DATE", Value("1942-03-05", "date")),
        ("the 23rd of July in 1927", "DATE", Value("1927-07-23", "date")),
        ("23rd of July in 1927", "DATE", Value("1927-07-23", "date")),
        ("July 1969", "DATE", Value("1969-07", "gYearMonth")),
        ("1942", "DATE", Value("1942", "gYear")),
        ("1942-03-05", "", Value("1942-03-05", "date")),
        ('"0-439-17684-0"', "", Value("0-439-17684-0", "string")),
        ("1634.0 (square kilometres)", "", Value("1634", "integer", "square kilometre")),
        ("two", "CARDINAL", Value("2", "integer")),
        ("last year", "DATE", None),
        ("Paris", "", None),
    ],
)
def test_parse_value(text: str, label: str, expected: Value | None) -> None:
    assert parse_value(text, label) == expected


def test_impossible_dates_are_not_values() -> None:
    assert parse_value("February 30, 2001", "DATE") is None
