"""Literal values in text: numbers, measures, money, percentages, dates and quoted strings.

:func:`parse_value` turns a surface form (``"34"``, ``"-3.3528 metres"``, ``"$5 million"``,
``"March 5, 1942"``, ``"1942"``) into a :class:`Value`: the lexical form of an RDF literal, its
XSD datatype (local name: ``integer``, ``decimal``, ``date``, ``gYearMonth``, ``gYear``,
``string``) and the unit when one is stated. The same function normalises gold values in the
benchmarks, so "1,234", "1234" and "1234.0" compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9}
# Unit words (singular, plural, abbreviations) -> the unit name kept with a value.
UNITS = {
    "metre": "metre", "metres": "metre", "meter": "metre", "meters": "metre", "m": "metre",
    "kilometre": "kilometre", "kilometres": "kilometre", "kilometer": "kilometre",
    "kilometers": "kilometre", "km": "kilometre", "centimetres": "centimetre",
    "centimeters": "centimetre", "cm": "centimetre", "millimetres": "millimetre",
    "mm": "millimetre",
    "feet": "foot", "foot": "foot", "ft": "foot", "inches": "inch", "inch": "inch",
    "miles": "mile", "mile": "mile", "mi": "mile",
    "square": "", "sq": "",
    "kilograms": "kilogram", "kilogram": "kilogram", "kg": "kilogram", "grams": "gram",
    "gram": "gram", "g": "gram", "tonnes": "tonne", "tons": "tonne", "pounds": "pound",
    "lbs": "pound", "lb": "pound",
    "minutes": "minute", "minute": "minute", "min": "minute", "hours": "hour", "hour": "hour",
    "seconds": "second", "second": "second", "days": "day", "day": "day", "years": "year",
    "year": "year", "months": "month", "weeks": "week",
    "percent": "percent", "per cent": "percent", "%": "percent",
    "dollars": "USD", "dollar": "USD", "$": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR",
    "€": "EUR", "eur": "EUR", "pounds sterling": "GBP", "£": "GBP", "gbp": "GBP", "yen": "JPY",
    "¥": "JPY", "calories": "calorie", "kcal": "kilocalorie", "kilocalories": "kilocalorie",
    "inhabitants": "", "people": "", "employees": "", "floors": "", "storeys": "", "stories": "",
}  # fmt: skip
_NUMBER = re.compile(r"^[+-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-−]?\.\d+$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(1\d{3}|20\d{2})$")
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")
_SPLIT = re.compile(r"[\s,]+")
_CURRENCY_PREFIX = re.compile(r"^([$€£¥])\s*")


@dataclass(frozen=True)
class Value:
    """An RDF literal: lexical form, XSD datatype local name and the stated unit (or "")."""

    lexical: str
    datatype: str
    unit: str = ""


def format_number(number: float, *, integer_hint: bool = False) -> Value:
    """``34.0`` -> ``34`` (integer); ``-3.3528`` -> decimal; no exponent notation."""
    if number == int(number) and (integer_hint or abs(number) >= 1 or number == 0):
        return Value(str(int(number)), "integer")
    text = f"{number:.10f}".rstrip("0").rstrip(".")
    return Value(text, "decimal")


def parse_number(text: str) -> Value | None:
    """A plain number, with thousands separators, sign or a scale word ("3.5 million")."""
    words = [w.strip(",") for w in text.strip().lower().split() if w.strip(",")]
    if not words:
        return None
    scale = 1.0
    if len(words) == 2 and words[1] in SCALES:
        scale = SCALES[words[1]]
        words = words[:1]
    if len(words) != 1:
        return _number_words(words)
    word = words[0].replace("−", "-")
    if word in NUMBER_WORDS:
        return Value(str(int(NUMBER_WORDS[word] * scale)), "integer")
    if not _NUMBER.match(word):
        return None
    raw = word.replace(",", "")
    try:
        number = float(raw) * scale
    except ValueError:
        return None
    return format_number(number, integer_hint="." not in raw or scale != 1.0)


def _number_words(words: list[str]) -> Value | None:
    """ "twenty five", "two hundred" -> integers (small spelled-out numbers only)."""
    current = 0
    for word in words:
        if word in {"and", "-"}:
            continue
        if word not in NUMBER_WORDS:
            return None
        n = NUMBER_WORDS[word]
        if n == 100:
            current = max(current, 1) * 100
        else:
            current += n
    return Value(str(current), "integer")


def parse_date(text: str) -> Value | None:
    """ISO dates, "March 5, 1942", "5 March 1942", "5th of March 1942", "March 1942", "1942"."""
    clean = text.strip().strip(".").replace("’", "'")
    if m := _ISO_DATE.match(clean):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _ISO_MONTH.match(clean):
        return Value(f"{m[1]}-{m[2]}", "gYearMonth")
    words = [w for w in _SPLIT.split(clean.lower()) if w and w not in {"of", "the", "in", "on"}]
    if len(words) == 1 and _YEAR.match(words[0]):
        return Value(words[0], "gYear")
    year = [w for w in words if _YEAR.match(w)]
    month = [MONTHS[w.rstrip(".")] for w in words if w.rstrip(".") in MONTHS]
    days = [int(m[1]) for w in words if (m := _ORDINAL.match(w)) and not _YEAR.match(w)]
    if len(year) != 1 or len(month) != 1 or len(words) != 1 + 1 + len(days) or len(days) > 1:
        return None
    if days:
        return _make_date(int(year[0]), month[0], days[0])
    return Value(f"{year[0]}-{month[0]:02d}", "gYearMonth")


def _make_date(year: int, month: int, day: int) -> Value | None:
    try:
        return Value(date(year, month, day).isoformat(), "date")
    except ValueError:
        return None


def parse_measure(text: str) -> Value | None:
    """A number with a unit or currency: "42 m", "-3.3528 metres", "$5 million", "12%"."""
    clean = text.strip()
    unit = ""
    if m := _CURRENCY_PREFIX.match(clean):
        unit = UNITS[m[1]]
        clean = clean[m.end() :]
    if clean.endswith("%"):
        unit, clean = "percent", clean[:-1]
    words = [w for w in clean.replace("(", " ").replace(")", " ").split() if w]
    if not words:
        return None
    # the longest prefix that parses as a number; the rest must be unit words
    for cut in range(len(words), 0, -1):
        number = parse_number(" ".join(words[:cut]))
        if number is None:
            continue
        rest = [w.lower().strip(".,") for w in words[cut:]]
        units = [UNITS[w] for w in rest if w in UNITS]
        if len(units) != len(rest):
            continue
        named = [u for u in units if u]
        unit = unit or (named[-1] if named else "")
        if rest and rest[0] in {"square", "sq"} and unit:
            unit = f"square {unit}"
        return Value(number.lexical, number.datatype, unit)
    return None


def parse_value(text: str, label: str = "") -> Value | None:
    """The literal a surface form states, or None when it is not a value.

    ``label`` is spaCy's entity label when known (DATE, CARDINAL, QUANTITY, MONEY, PERCENT,
    ORDINAL): dates are tried first for DATE/TIME, and quoted text becomes an ``xsd:string``.
    """
    clean = " ".join(text.split())
    if not clean:
        return None
    if len(clean) >= 2 and clean[0] in "\"“'" and clean[-1] in "\"”'":
        inner = clean[1:-1].strip()
        return parse_value(inner, label) or (Value(inner, "string") if inner else None)
    if label in {"DATE", "TIME"} or _YEAR.match(clean) or _ISO_DATE.match(clean):
        found = parse_date(clean)
        if found is not None:
            return found
    return parse_number(clean) or parse_measure(clean)


VALUE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT"})
DATE_TYPES = frozenset({"date", "gYearMonth", "gYear"})  # the datatypes that are dates
