"""Whether a predicted answer matches gold answers (benchmarks and `kgr ask --questions`)."""

from __future__ import annotations

from kg_reasoner.extraction.values import parse_value
from kg_reasoner.retrieval.label_normalisation import normalise_label


def matches(predicted: str, accepted: list[str]) -> bool:
    """Same literal value (lexical form, and unit when both state one), or same normalised
    name: "1,250" = "1250", "4 May 1971" = "1971-05-04", "the Louvre" = "Louvre"; a gold
    common noun (lower case) matches in either number."""
    for gold in accepted:
        want = parse_value(gold, "DATE") or parse_value(gold)
        got = parse_value(predicted, "DATE") or parse_value(predicted)
        if want is not None and got is not None:
            units_agree = not want.unit or not got.unit or want.unit == got.unit
            if want.lexical == got.lexical and units_agree:
                return True
            continue
        if normalise_label(predicted) == normalise_label(gold):
            return True
        if gold.islower() and _singular(normalise_label(predicted)) == _singular(
            normalise_label(gold)
        ):
            return True  # a common noun in either number: "electric van" = "electric vans"
    return False


def _singular(label: str) -> str:
    """``label`` with the plural ending of its last word dropped (``vans`` -> ``van``)."""
    words = label.split()
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = (
            words[-1][:-2] if words[-1].endswith(("ches", "shes", "xes")) else words[-1][:-1]
        )
    return " ".join(words)
