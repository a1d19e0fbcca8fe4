"""The WebNLG reader and its exact-name scoring, on a small file the test writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_reasoner.errors import DataFormatError
from kg_reasoner.tasks.extraction.webnlg.data import Fact, read_webnlg
from kg_reasoner.tasks.extraction.webnlg.metrics import (
    Predicted,
    WebNLGScores,
    normalize_name,
    object_kind,
)

XML = """<?xml version="1.0" ?>
<benchmark><entries>
<entry category="Building" eid="Id1" size="2">
  <modifiedtripleset>
    <mtriple>200_Public_Square | location | Cleveland</mtriple>
    <mtriple>200_Public_Square | floorCount | 45</mtriple>
  </modifiedtripleset>
  <lex comment="good" lid="Id1">
    <references>
      <reference entity="200_Public_Square" number="1" tag="AGENT-1"
                 type="name">200 Public Square</reference>
      <reference entity="45" number="2" tag="PATIENT-2" type="name">45</reference>
    </references>
    <text>There are 45 floors at 200 Public Square in Cleveland.</text>
  </lex>
</entry>
<entry category="Building" eid="Id2" size="1">
  <modifiedtripleset><mtriple>broken triple</mtriple></modifiedtripleset>
  <lex lid="Id1"><text>Nothing to see.</text></lex>
</entry>
<entry category="Building" eid="Id3" size="1">
  <modifiedtripleset><mtriple>A | b | C</mtriple></modifiedtripleset>
</entry>
</entries></benchmark>
"""


def test_reader_keeps_good_entries_and_reports_malformed_ones(tmp_path: Path) -> None:
    (tmp_path / "2triples").mkdir()
    (tmp_path / "2triples" / "Building.xml").write_text(XML, encoding="utf-8")
    corpus = read_webnlg(tmp_path)
    assert [e.eid for e in corpus.entries] == ["Id1"]
    entry = corpus.entries[0]
    assert entry.facts[1] == Fact("200_Public_Square", "floorCount", "45")
    assert entry.texts[0].references[0].text == "200 Public Square"
    assert len(corpus.skipped) == 2
    assert "Id2" in corpus.skipped[0] and "malformed triple" in corpus.skipped[0]
    assert "Id3" in corpus.skipped[1] and "no <lex> text" in corpus.skipped[1]


def test_reader_rejects_a_file_that_is_not_xml(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<benchmark><entries>", encoding="utf-8")
    with pytest.raises(DataFormatError, match="not a readable WebNLG XML file"):
        read_webnlg(bad)
    with pytest.raises(DataFormatError, match="no WebNLG data"):
        read_webnlg(tmp_path / "missing")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Big_Hero_6_(film)", "big hero 6"),
        ("The Coloured", "coloured"),
        ('"1,234"', "1234"),
        ("July 11th, 1907", "1907-07-11"),
        ("1907-07-11", "1907-07-11"),
        ("Abilene,_Texas", "abilene texas"),
        ("Juventus_F.C.", "juventus fc"),
        ("Juventus FC", "juventus fc"),
        ("Washington,_D.C.", "washington dc"),
        ("A.C Chievo Verona", "ac chievo verona"),
        ("Admin. Sci. Q.", "admin sci q"),
        ("Susana_Díaz", "susana díaz"),
    ],
)
def test_names_normalise_to_the_same_key(name: str, key: str) -> None:
    assert normalize_name(name) == key


def test_object_kinds() -> None:
    assert object_kind('"1927-07-23"') == "number-date"
    assert object_kind('"Deceased"') == "string"
    assert object_kind("Test_pilot") == "entity"


def test_scores_count_pairs_and_typed_triples() -> None:
    facts = [Fact("200_Public_Square", "location", "Cleveland"),
             Fact("200_Public_Square", "floorCount", "45")]  # fmt: skip
    predicted = [
        Predicted("200 Public Square", "floor_count", "45"),  # right pair, wrong relation
        Predicted("Cleveland", "location", "200 Public Square"),  # right pair, reversed
        Predicted("200 Public Square", "location", "Ohio"),  # wrong pair
    ]
    scores = WebNLGScores()
    scores.add_text(facts, predicted, ["200 Public Square", "Cleveland"])
    summary = scores.summary()
    pair = summary["pair"]["overall"]  # type: ignore[index]
    assert (pair["tp"], pair["predicted"], pair["gold"]) == (2, 3, 2)
    triple = summary["triple"]["overall"]  # type: ignore[index]
    assert (triple["tp"], triple["predicted"], triple["gold"]) == (0, 3, 2)
    assert summary["entity"]["overall"]["recall"] == 1.0  # type: ignore[index]
    assert summary["pair"]["number-date"]["recall"] == 1.0  # type: ignore[index]


def test_the_share_of_gold_pairs_whose_names_the_text_writes() -> None:
    facts = [Fact("Alan_Bean", "nationality", "United_States"),
             Fact("Alan_Bean", "birthPlace", "Wheeler,_Texas"),
             Fact("Alan_Bean", "birthDate", '"1932-03-15"')]  # fmt: skip
    text = "Alan Bean, an American, was born in Wheeler, Texas on 15 March 1932."
    predicted = [Predicted("Alan Bean", "born_in", "Wheeler, Texas")]
    scores = WebNLGScores()
    scores.add_text(facts, predicted, ["Alan Bean", "Wheeler, Texas", "American"], text)
    written = scores.summary()["pair_written_in_text"]
    # "United States" is not written; the date is a value, which always counts
    assert (written["gold"], written["tp"], written["share"]) == (2, 1, round(2 / 3, 4))
    assert written["recall"] == 0.5
    without_text = WebNLGScores()
    without_text.add_text(facts, predicted, ["Alan Bean"])
    assert "pair_written_in_text" not in without_text.summary()
