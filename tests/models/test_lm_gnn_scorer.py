"""LMGraphScorer on a tiny BERT and a tiny graph: every fusion's shapes, gradients reaching both
the LM and the GNN, determinism under a seed, multiple-choice scoring and FGM."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from kg_reasoner.errors import ModelConfigError
from kg_reasoner.models.lm_gnn import SCORER_FUSIONS, LMGraphScorer
from kg_reasoner.models.text_encoder import load_tokenizer_and_model
from tests.tiny_encoder import write_tiny_bert

WORDS = ["dog", "cat", "animal", "runs", "sleeps", "a", "is", "what"]


@pytest.fixture(scope="module")
def bert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_bert(tmp_path_factory.mktemp("bert"), WORDS, seed=0)


def _batch(bert_dir: Path, texts: list[str]) -> dict[str, torch.Tensor]:
    tokenizer, _ = load_tokenizer_and_model(str(bert_dir))
    tokens = dict(tokenizer(texts, padding=True, return_tensors="pt"))
    # text 0: nodes 0 (question), 1 (choice), 2 (other); text 1: 3 (question), 4 (other)
    # the last text has no node at all (nothing grounded)
    n = len(texts)
    graph = {
        "node_features": torch.randn(5, 6, generator=torch.Generator().manual_seed(1)),
        "node_role": torch.tensor([0, 1, 2, 0, 2]),
        "edge_index": torch.tensor([[0, 2, 3], [2, 1, 4]]),
        "edge_type": torch.tensor([0, 1, 1]),
        "node_batch": torch.tensor([0, 0, 0, min(1, n - 1), min(1, n - 1)]),
    }
    return {**tokens, **graph}


def _model(bert_dir: Path, fusion: str | None, out: int = 3, **kwargs: object) -> LMGraphScorer:
    torch.manual_seed(0)
    _, lm = load_tokenizer_and_model(str(bert_dir))
    graph = {} if fusion is None else {
        "num_relations": 2, "node_channels": 6, "graph_hidden": 8, "fusion": fusion,
        "interaction_layers": 2, "hidden": 16,
    }
    return LMGraphScorer(language_model=lm, out_channels=out, dropout=0.0, **{**graph, **kwargs})


TEXTS = ["a dog runs", "what is a cat", "a cat sleeps"]


@pytest.mark.parametrize("fusion", [None, *SCORER_FUSIONS])
def test_every_fusion_scores_classes_and_trains_both_sides(
    bert_dir: Path, fusion: str | None
) -> None:
    model = _model(bert_dir, fusion)
    batch = _batch(bert_dir, TEXTS)
    if fusion is None:
        batch = {k: batch[k] for k in ("input_ids", "attention_mask", "token_type_ids")}
    out = model(**batch, labels=torch.tensor([0, 2, 1]))
    assert out.logits.shape == (3, 3)
    assert out.loss is not None and torch.isfinite(out.loss)
    out.loss.backward()
    lm_grad = model.lm.model.embeddings.word_embeddings.weight.grad
    assert lm_grad is not None and lm_grad.abs().sum() > 0
    if fusion is not None:
        assert out.node_attention is not None and out.node_attention.shape == (5,)
        # weights sum to one over each text's nodes
        sums = torch.zeros(3).index_add(0, batch["node_batch"], out.node_attention)
        assert torch.allclose(sums[:2], torch.ones(2), atol=1e-5)
        graph_grads = [p.grad for n, p in model.named_parameters()
                       if n.startswith(("gnn", "gnn_layers")) and p.grad is not None]
        assert graph_grads and any(g.abs().sum() > 0 for g in graph_grads)
        assert model.nodes_in.proj.weight.grad is not None
        assert model.nodes_in.proj.weight.grad.abs().sum() > 0


@pytest.mark.parametrize("fusion", SCORER_FUSIONS)
def test_a_seed_makes_every_fusion_deterministic(bert_dir: Path, fusion: str) -> None:
    batch = _batch(bert_dir, TEXTS)
    first = _model(bert_dir, fusion).eval()(**batch).logits
    second = _model(bert_dir, fusion).eval()(**batch).logits
    assert torch.equal(first, second)


@pytest.mark.parametrize("fusion", SCORER_FUSIONS)
def test_the_graph_changes_the_scores(bert_dir: Path, fusion: str) -> None:
    model = _model(bert_dir, fusion).eval()
    batch = _batch(bert_dir, TEXTS)
    other = {**batch, "node_features": batch["node_features"] * -3.0}
    assert not torch.allclose(model(**batch).logits, model(**other).logits)


@pytest.mark.parametrize("fusion", ["gated", "greaselm_interaction"])
def test_multiple_choice_softmaxes_over_each_questions_choices(bert_dir: Path, fusion: str) -> None:
    model = _model(bert_dir, fusion, out=1)
    texts = ["a dog", "a cat", "what is", "a dog runs", "a cat sleeps", "animal"]
    batch = _batch(bert_dir, texts)
    out = model(**batch, num_choices=3, labels=torch.tensor([1, 0]))
    assert out.logits.shape == (2, 3)
    assert out.loss is not None
    with pytest.raises(ModelConfigError, match="multiple of 4"):
        model(**batch, num_choices=4)


def test_fgm_adds_an_adversarial_loss_in_training_only(bert_dir: Path) -> None:
    batch = _batch(bert_dir, TEXTS)
    labels = torch.tensor([0, 2, 1])
    plain = _model(bert_dir, "concat").train()(**batch, labels=labels).loss
    model = _model(bert_dir, "concat", adversarial_epsilon=1.0).train()
    attacked = model(**batch, labels=labels).loss
    assert plain is not None and attacked is not None
    assert attacked > plain  # clean loss + the loss under the perturbation
    attacked.backward()
    assert model.lm.model.embeddings.word_embeddings.weight.grad is not None
    evaluated = model.eval()(**batch, labels=labels).loss
    assert evaluated is not None and evaluated < attacked


def test_fgm_works_with_a_frozen_language_model(bert_dir: Path) -> None:
    model = _model(bert_dir, None, adversarial_epsilon=0.5)
    for p in model.lm.parameters():
        p.requires_grad = False
    batch = _batch(bert_dir, TEXTS)
    tokens = {k: batch[k] for k in ("input_ids", "attention_mask")}
    out = model(**tokens, labels=torch.tensor([0, 1, 2]))
    assert out.loss is not None
    out.loss.backward()
    assert model.head.weight.grad is not None


def test_bad_settings_are_model_config_errors(bert_dir: Path) -> None:
    with pytest.raises(ModelConfigError, match="unknown fusion"):
        _model(bert_dir, "nope")
    with pytest.raises(ModelConfigError, match=r"interaction_layers must be 1\.\.2"):
        _model(bert_dir, "greaselm_interaction", interaction_layers=3)
    model = _model(bert_dir, "concat")
    batch = _batch(bert_dir, TEXTS)
    with pytest.raises(ModelConfigError, match="node_features"):
        model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
