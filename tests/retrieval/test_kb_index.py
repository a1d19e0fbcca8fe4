from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kg_reasoner.errors import DataFormatError
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.kb_readers import load_kb_index, read_triples_file
from tests.qa.toy_kb import MOVIE_TRIPLES, movie_index


def test_vocabularies_come_from_the_data_with_inverse_relations() -> None:
    index = movie_index()
    assert index.relations == ["directed_by", "has_genre", "starred_actors", "written_by"]
    assert index.num_relations == 8
    assert index.relation_name(5) == "has_genre^-1"
    assert index.num_triples == len(set(MOVIE_TRIPLES))


def test_csr_holds_every_triple_in_both_directions() -> None:
    index = movie_index()
    seen = set()
    for node in range(index.num_entities):
        neighbours, rels, triple_ids = index.out_edges(node)
        for nb, rel, tid in zip(neighbours, rels, triple_ids, strict=True):
            s, r, o = index.triple(int(tid))
            name = index.entity_ids[node]
            if rel < index.num_base_relations:
                assert (name, index.relations[rel], index.entity_ids[nb]) == (s, r, o)
            else:
                assert (index.entity_ids[nb], r, name) == (s, r, o)
            seen.add((int(tid), bool(rel >= index.num_base_relations)))
    assert len(seen) == 2 * index.num_triples
    assert np.all(np.diff(index.adjacency.arrays[0]) >= 0)


def test_duplicate_triples_are_dropped() -> None:
    index = KBIndex.from_triples([("a", "r", "b"), ("a", "r", "b"), ("b", "r", "c")])
    assert index.num_triples == 2


def test_kb_file_is_read_and_malformed_line_is_named(tmp_path: Path) -> None:
    good = tmp_path / "kb.txt"
    good.write_text("A|r|B\n\nB|s|C\n", encoding="utf-8")
    assert read_triples_file(good) == [("A", "r", "B"), ("B", "s", "C")]
    assert load_kb_index(good).num_entities == 3
    bad = tmp_path / "bad.txt"
    bad.write_text("A|r|B\nA|r\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"bad.txt:2"):
        read_triples_file(bad)


def test_index_walks_the_structure_of_its_factory_and_adds_entity_facts() -> None:
    index = KBIndex.from_triples(
        [("a", "r", "b")], labels={"a": "Alpha", "z": "Zed"}, types={"a": "PERSON"}
    )
    assert index.adjacency is index.triples_factory.csr()  # one copy of the structure
    assert index.entity_ids == ["a", "b", "z"] and index.entity_labels == ["Alpha", "b", "Zed"]
    assert [index.entity_type(i) for i in range(3)] == ["PERSON", "", ""]
    assert index.degree(index.entity_to_id["z"]) == 0  # labelled only: an isolated node
    assert index.relation_vocabulary() == ["r", "r^-1"]
