"""A tiny WebNLG split written by the tests: two entries, one malformed entry, one lost fact."""

from __future__ import annotations

from pathlib import Path

XML = """<?xml version="1.0" ?>
<benchmark><entries>
<entry category="Airport" eid="Id1" size="4">
  <modifiedtripleset>
    <mtriple>Aarhus_Airport | location | Tirstrup</mtriple>
    <mtriple>Aarhus_Airport | elevationAboveTheSeaLevel | 25.0</mtriple>
    <mtriple>Tirstrup | country | Denmark</mtriple>
    <mtriple>Denmark | leaderName | Lars_Rasmussen</mtriple>
  </modifiedtripleset>
  <lex comment="good" lid="Id1">
    <references>
      <reference entity="Aarhus_Airport" tag="AGENT-1" type="name">Aarhus Airport</reference>
      <reference entity="Tirstrup" tag="BRIDGE-1" type="name">Tirstrup</reference>
      <reference entity="Denmark" tag="PATIENT-1" type="name">Denmark</reference>
      <reference entity="Aarhus_Airport" tag="AGENT-1" type="pronoun">It</reference>
      <reference entity="25.0" tag="PATIENT-2" type="description">25 metres</reference>
    </references>
    <text>Aarhus Airport is in Tirstrup, Denmark. It is 25 metres above the sea.</text>
  </lex>
</entry>
<entry category="Astronaut" eid="Id2" size="3">
  <modifiedtripleset>
    <mtriple>Alan_Bean | nationality | United_States</mtriple>
    <mtriple>Alan_Bean | birthDate | "1932-03-15"</mtriple>
    <mtriple>Alan_Bean | status | "Retired"</mtriple>
  </modifiedtripleset>
  <lex comment="good" lid="Id1">
    <references>
      <reference entity="Alan_Bean" tag="AGENT-1" type="name">Alan Bean</reference>
      <reference entity="United_States" tag="PATIENT-1" type="demonym">American</reference>
      <reference entity="&quot;1932-03-15&quot;" tag="PATIENT-2"
                 type="name">March 15 , 1932</reference>
      <reference entity="&quot;Retired&quot;" tag="PATIENT-3" type="name">retired</reference>
    </references>
    <text>Alan Bean, an American, was born on March 15, 1932 and is retired.</text>
  </lex>
  <lex comment="good" lid="Id2">
    <references>
      <reference entity="Alan_Bean" tag="AGENT-1" type="name">Alan Bean's</reference>
      <reference entity="United_States" tag="PATIENT-1"
                 type="description">the United States</reference>
      <reference entity="&quot;1932-03-15&quot;" tag="PATIENT-2"
                 type="name">15 March 1932</reference>
      <reference entity="&quot;Retired&quot;" tag="PATIENT-3" type="name">retired</reference>
    </references>
    <text>Alan Bean's birthplace is the United States; born 15 March 1932, he is retired.</text>
  </lex>
</entry>
<entry category="Astronaut" eid="Id3" size="1">
  <modifiedtripleset><mtriple>Broken | only two</mtriple></modifiedtripleset>
  <lex comment="good" lid="Id1"><text>Broken.</text></lex>
</entry>
</entries></benchmark>
"""

WORDS = [
    "aarhus",
    "airport",
    "is",
    "in",
    "tirstrup",
    ",",
    "denmark",
    ".",
    "it",
    "25",
    "metres",
    "above",
    "the",
    "sea",
    "alan",
    "bean",
    "an",
    "american",
    "was",
    "born",
    "on",
    "march",
    "15",
    "1932",
    "and",
    "retired",
    "'",
    "s",
    "birthplace",
    "united",
    "states",
    ";",
    "he",
]


def write_webnlg_split(root: Path) -> Path:
    """``root/1triples/Fixture.xml`` (a split folder, as in ../shared/data/webnlg/train)."""
    folder = root / "1triples"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Fixture.xml").write_text(XML, encoding="utf-8")
    return root
