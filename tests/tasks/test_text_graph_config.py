"""The `graph:` section of the text tasks reaches the concept-graph retriever as written."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from pydantic import ValidationError

from kg_reasoner.tasks.text_graph.config import GraphConfig, TextEncoderConfig
from kg_reasoner.tasks.text_graph.graph_inputs import GraphContext


def _triples(tmp_path: Path) -> Path:
    path = tmp_path / "kg.txt"
    path.write_text("dog|is_a|animal\nanimal|has|legs\ncat|is_a|animal\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("expand", ["paths", "neighbourhood"])
def test_expand_reaches_the_retriever(tmp_path: Path, expand: str) -> None:
    config = GraphConfig(
        source=str(_triples(tmp_path)), hops=1, expand=expand, cache_dir=str(tmp_path / "cache")
    )
    context = GraphContext(config, TextEncoderConfig(), progress=False)
    assert context.retriever.expand == expand
    assert context.retriever.options["expand"] == expand


def test_an_unknown_expand_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="expand"):
        GraphConfig(source=str(_triples(tmp_path)), expand="everything")


def test_node_text_description_embeds_the_gloss_with_the_label(tmp_path: Path) -> None:
    from tests.graph.tiny_wordnet import write_tiny_wordnet

    source = f"wordnet:{write_tiny_wordnet(tmp_path / 'wn')}"
    cache = str(tmp_path / "cache")
    encoder = TextEncoderConfig(cache_dir=None)
    plain = GraphContext(GraphConfig(source=source, cache_dir=cache), encoder, progress=False)
    glossed = GraphContext(
        GraphConfig(source=source, cache_dir=cache, node_text="description"),
        encoder,
        progress=False,
    )
    dog = plain.graph.node_ids.index("wn:dog.n.01")
    lemma = plain.graph.node_ids.index("lemma:domestic_dog")
    assert plain.node_text(dog) == "dog, domestic dog"
    assert glossed.node_text(dog).startswith("dog, domestic dog: a domesticated carnivore")
    assert glossed.node_text(lemma) == plain.node_text(lemma) == "domestic dog"  # no gloss
    nodes = torch.tensor([dog, lemma])
    with_gloss, without = glossed.features_of(nodes), plain.features_of(nodes)
    assert torch.allclose(with_gloss[1], without[1], atol=1e-5)
    assert not torch.allclose(with_gloss[0], without[0], atol=1e-3)


def test_an_unknown_node_text_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="node_text"):
        GraphConfig(source=str(_triples(tmp_path)), node_text="gloss")


def test_text_descriptions_put_the_choice_nodes_gloss_after_the_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg_reasoner.retrieval.concept_subgraph import Subgraph
    from kg_reasoner.tasks.multiple_choice.task import MultipleChoiceConfig, MultipleChoiceTask
    from kg_reasoner.tasks.text_graph import task_base
    from tests.graph.tiny_wordnet import write_tiny_wordnet
    from tests.tasks.text_graph_fixture import multiple_choice_config

    source = f"wordnet:{write_tiny_wordnet(tmp_path / 'wn')}"
    context = GraphContext(
        GraphConfig(source=source, cache_dir=str(tmp_path / "cache")),
        TextEncoderConfig(cache_dir=None),
        progress=False,
    )
    ids = context.graph.node_ids
    dog, lemma = ids.index("wn:dog.n.01"), ids.index("lemma:domestic_dog")

    def sub(nodes: list[int], roles: list[int]) -> Subgraph:
        empty = torch.zeros(0, dtype=torch.long)
        return Subgraph(
            torch.tensor(nodes),
            torch.zeros(2, 0, dtype=torch.long),
            empty,
            torch.tensor(roles),
            empty,
        )

    # the first choice node with a gloss (a lemma node has none); question nodes are not used
    assert context.described_choice("a dog", sub([dog, lemma, dog], [0, 1, 1])).startswith(
        "a dog: a domesticated carnivore"
    )
    assert context.described_choice("a dog", sub([dog, lemma], [0, 1])) == "a dog"

    # the task's batches read the glosses only when the config asks for them
    data = multiple_choice_config(tmp_path, graph=True)
    data["graph"].update(source=source, text_descriptions=True)
    seen: list[list[object]] = []
    monkeypatch.setattr(
        task_base, "collate_scored", lambda tokenizer, texts, **kw: seen.append(list(texts))
    )
    for described in (True, False):
        data["graph"]["text_descriptions"] = described
        task = MultipleChoiceTask()
        task.prepare(MultipleChoiceConfig.model_validate(data), resume=False)
        split = task.splits["train"]
        task.batch(split, range(len(split)), labels=True)
    glossed, plain = seen
    assert len(glossed) == len(plain)
    assert all(g[0] == p[0] for g, p in zip(glossed, plain, strict=True))
    changed = [g for g, p in zip(glossed, plain, strict=True) if g != p]
    assert changed and all(":" in g[1] for g in changed)
