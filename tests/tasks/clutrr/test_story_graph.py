"""Story -> windows with mentions -> graphs (gold and extracted)."""

from __future__ import annotations

import spacy
import torch

from kg_reasoner.tasks.clutrr.collate import query_text, story_renaming
from kg_reasoner.tasks.clutrr.data import ClutrrExample
from kg_reasoner.tasks.clutrr.extractor import (
    NONE_LABEL,
    graphs_from_pairs,
    pair_instances,
)
from kg_reasoner.tasks.clutrr.kinship import RELATIONS
from kg_reasoner.tasks.clutrr.names import FEMALE, MALE, UNISEX, surrogate_names
from kg_reasoner.tasks.clutrr.story_graph import (
    gold_graph,
    group_windows,
    parse_markup,
    rename_mentions,
    split_sentences,
    story_people,
    story_sentences,
    story_windows,
)

STORY = ("[Ann] went fishing with her father [Bob]. [Bob] drove his son [Carl] to school "
         "[Carl] met [Dora]. He liked her.")


def _example() -> ClutrrExample:
    return ClutrrExample(
        id="x", story=STORY, head="Ann", tail="Carl", target="brother",
        edges=(("Ann", "father", "Bob"), ("Bob", "son", "Carl")),
        genders={"Ann": "female", "Bob": "male", "Carl": "male", "Dora": "female"}, k=2,
    )


def test_markup_is_removed_and_mentions_point_at_names() -> None:
    window = parse_markup("[Ann] met her son [Bob].")
    assert window.text == "Ann met her son Bob."
    assert [(m.name, window.text[m.start : m.end]) for m in window.mentions] == [
        ("Ann", "Ann"), ("Bob", "Bob")]


def test_windows_span_two_sentences_and_record_sentence_of_each_mention() -> None:
    assert len(split_sentences(STORY)) == 3
    windows = story_windows(STORY, window=2)
    assert len(windows) == 2
    assert windows[0].names == ["Ann", "Bob", "Carl", "Dora"]
    assert [m.sentence for m in windows[1].mentions] == [1, 1, 1, 1]
    assert story_people(windows, "Zed") == ["Ann", "Bob", "Carl", "Dora", "Zed"]


def test_spacy_person_entities_are_used_without_markup() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": n} for n in ("Ann", "Bob")])
    windows = story_windows("Ann met her brother Bob. They ate.", nlp=nlp)
    assert windows[0].names == ["Ann", "Bob"]


def test_gold_graph_adds_gendered_inverse_edges() -> None:
    graph = gold_graph(_example())
    typed = {(graph.names[u], graph.relation_of(e), graph.names[v])
             for e, (u, v) in enumerate(graph.edges)}
    assert typed == {("Ann", "father", "Bob"), ("Bob", "daughter", "Ann"),
                     ("Bob", "son", "Carl"), ("Carl", "father", "Bob")}
    assert graph.genders[graph.index("Ann")] == "female"


def test_pair_labels_skip_two_hop_pairs_and_graphs_keep_confident_edges() -> None:
    example = _example()
    windows = [story_windows(example.story)]
    ids = [list(range(len(windows[0])))]
    pairs = pair_instances(windows, ids, [example.genders], [gold_graph(example)])
    labels = {(p.head, p.tail): p.label for p in pairs}
    assert labels[("Ann", "Bob")] == RELATIONS.index("father") + 1
    assert labels[("Carl", "Dora")] == NONE_LABEL
    assert labels[("Ann", "Carl")] == NONE_LABEL  # two hops apart, different sentences
    unlabelled = pair_instances(windows, ids, [example.genders])
    probs = torch.zeros(len(unlabelled), 1 + len(RELATIONS))
    probs[:, NONE_LABEL] = 1.0
    for row, pair in enumerate(unlabelled):
        if (pair.head, pair.tail) == ("Ann", "Bob"):
            probs[row] = 0.0
            probs[row, RELATIONS.index("father") + 1] = 0.9
            probs[row, NONE_LABEL] = 0.1
    people = [story_people(windows[0], "Ann", "Carl")]
    graph = graphs_from_pairs(unlabelled, probs, people, [example.genders])[0]
    assert [(graph.names[u], graph.relation_of(e), graph.names[v])
            for e, (u, v) in enumerate(graph.edges)] == [("Ann", "father", "Bob"),
                                                         ("Bob", "daughter", "Ann")]


def test_extracted_relations_take_the_gender_of_the_tail() -> None:
    example = _example()
    windows = [story_windows("[Bob] played chess with his sister [Ann].")]
    pairs = pair_instances(windows, [[0]], [example.genders])
    probs = torch.zeros(len(pairs), 1 + len(RELATIONS))
    for row, pair in enumerate(pairs):
        wrong = "brother" if pair.tail == "Ann" else "sister"  # gender errors both ways
        probs[row, 1 + RELATIONS.index(wrong)] = 1.0
    graph = graphs_from_pairs(pairs, probs, [["Bob", "Ann"]], [example.genders])[0]
    typed = {(graph.names[u], graph.relation_of(e), graph.names[v])
             for e, (u, v) in enumerate(graph.edges)}
    assert typed == {("Bob", "sister", "Ann"), ("Ann", "brother", "Bob")}


def test_renaming_rewrites_the_text_and_keeps_who_is_who() -> None:
    window = rename_mentions(parse_markup("[Ann] met her son [Bob]. [Ann] smiled."),
                             {"Ann": "Zoe", "Bob": "Maximilian"})
    assert window.text == "Zoe met her son Maximilian. Zoe smiled."
    assert [(m.name, window.text[m.start : m.end]) for m in window.mentions] == [
        ("Ann", "Zoe"), ("Bob", "Maximilian"), ("Ann", "Zoe")]


def test_stand_in_names_are_distinct_gendered_and_reproducible() -> None:
    genders = {"Ann": "female", "Bob": "male", "Cy": "male"}
    people = ["Ann", "Bob", "Cy", "Dee"]
    mapping = surrogate_names(people, genders, key="story one")
    assert mapping == surrogate_names(people, genders, key="story one")
    assert len(set(mapping.values())) == len(people)
    assert mapping["Ann"] in FEMALE and mapping["Bob"] in MALE and mapping["Cy"] in MALE
    assert mapping["Dee"] in UNISEX  # unknown gender
    others = [surrogate_names(people, genders, key=f"story {i}") for i in range(20)]
    assert len({m["Ann"] for m in others}) > 5  # the choice varies from story to story


def test_the_language_model_reads_stand_ins_while_the_graph_keeps_real_names() -> None:
    example = _example()
    sentences = story_sentences(example.story)
    mapping = story_renaming(example, sentences, seed=0)
    assert set(mapping) == {"Ann", "Bob", "Carl", "Dora"}
    renamed = [rename_mentions(s, mapping) for s in sentences]
    text = query_text(example, renamed, mapping)
    assert not {"Ann", "Bob", "Carl", "Dora"} & set(text.replace(".", " ").split())
    assert text.endswith(f"Who is {mapping['Carl']} to {mapping['Ann']}?")
    windows = group_windows(renamed, 2)
    assert story_people(windows) == ["Ann", "Bob", "Carl", "Dora"]
    assert windows[0].text.startswith(f"{mapping['Ann']} went fishing with her father")


def test_implied_pairs_in_one_sentence_are_labelled_none() -> None:
    """The graph holds what the story states: Sharon and Oliver are related only through Rick,
    so the extractor is taught ``none`` for them, not left to guess."""
    example = ClutrrExample(
        id="y", story="[Rick] went out with his mother [Sharon] and his brother [Oliver].",
        head="Sharon", tail="Oliver", target="son",
        edges=(("Rick", "mother", "Sharon"), ("Rick", "brother", "Oliver")),
        genders={"Rick": "male", "Sharon": "female", "Oliver": "male"}, k=2,
    )
    windows = [story_windows(example.story)]
    pairs = pair_instances(windows, [[0]], [example.genders], [gold_graph(example)])
    labels = {(p.head, p.tail): p.label for p in pairs}
    assert labels[("Rick", "Sharon")] == RELATIONS.index("mother") + 1
    assert labels[("Sharon", "Rick")] == RELATIONS.index("son") + 1
    assert labels[("Sharon", "Oliver")] == NONE_LABEL
    assert labels[("Oliver", "Sharon")] == NONE_LABEL


def test_gold_and_extracted_graphs_repeat_a_fact_stated_twice() -> None:
    from kg_reasoner.tasks.clutrr.extractor_training import stating_sentences

    story = ("[Ann]'s daughter [Bea] met [Cy]. [Bea] went home with her mother [Ann]. "
             "[Ann] called her brother [Dan].")
    example = ClutrrExample(
        id="z", story=story, head="Cy", tail="Dan", target="uncle",
        edges=(("Cy", "sister", "Bea"), ("Bea", "mother", "Ann"), ("Ann", "daughter", "Bea"),
               ("Bea", "mother", "Ann"), ("Ann", "brother", "Dan")),
        genders={"Ann": "female", "Bea": "female", "Cy": "male", "Dan": "male"}, k=5,
    )
    graph = gold_graph(example)
    pairs = [(graph.names[u], graph.names[v]) for u, v in graph.edges]
    assert pairs.count(("Bea", "Ann")) == 3 and pairs.count(("Ann", "Bea")) == 3
    counts = stating_sentences(story_windows(story))
    assert counts[frozenset(("Ann", "Bea"))] == 2
    assert counts[frozenset(("Ann", "Dan"))] == 1
    assert frozenset(("Cy", "Dan")) not in counts  # never in one sentence
