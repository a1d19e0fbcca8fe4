"""The kinship extractor: batching by window, collation with mention roles, forward/backward."""

from __future__ import annotations

import torch

from kg_reasoner.models.kinship_extractor import KinshipExtractor
from kg_reasoner.tasks.clutrr.extractor import collate_pairs, pair_instances
from kg_reasoner.tasks.clutrr.extractor_training import pair_scores, window_batches
from kg_reasoner.tasks.clutrr.features import TextFeatures
from kg_reasoner.tasks.clutrr.kinship import GENDERS, RELATIONS
from kg_reasoner.tasks.clutrr.story_graph import story_windows


def _features(texts: list[str], hidden: int = 8) -> TextFeatures:
    """Fake token states: one token per character (offsets are the character spans)."""
    lengths = torch.tensor([0] + [len(t) for t in texts])
    total = int(lengths.sum())
    offsets = torch.cat([torch.tensor([[i, i + 1] for i in range(len(t))]) for t in texts])
    return TextFeatures(
        states=torch.randn(total, hidden, generator=torch.Generator().manual_seed(0)).half(),
        offsets=offsets.int(), starts=lengths.cumsum(0), pooled=torch.zeros(len(texts), hidden),
    )


def test_window_batches_keep_windows_whole_and_cover_every_pair() -> None:
    windows = [story_windows("[Ann] met [Bob] and [Cy]. [Cy] saw [Dan].")]
    pairs = pair_instances(windows, [[0]], [{}]) * 3
    batches = window_batches(pairs, 4, seed=1)
    assert sorted(i for b in batches for i in b) == list(range(len(pairs)))
    assert window_batches(pairs, 4, seed=1) == batches


def test_collate_marks_mentions_and_extractor_trains() -> None:
    windows = story_windows("[Ann] met her son [Bob]. [Bob] saw [Cy].")
    pairs = pair_instances([windows], [list(range(len(windows)))], [{"Ann": "female"}])
    features = _features([w.text for w in windows])
    batch = collate_pairs(pairs, windows, features)
    first = pairs[0]
    text = windows[first.window].text
    marked = [text[i] for i in range(len(text)) if batch["roles"][0, i] == 1]
    assert "".join(marked) == first.head
    assert batch["states"].shape[0] == len({p.window for p in pairs})
    torch.manual_seed(0)
    model = KinshipExtractor(input_size=8, hidden=16, heads=2, num_relations=len(RELATIONS),
                             num_genders=len(GENDERS))
    out = model(**batch)
    assert out.logits.shape == (len(pairs), 1 + len(RELATIONS))
    out.loss.backward()
    assert model.project[0].weight.grad is not None


def test_reader_layers_read_the_marked_tokens_and_train() -> None:
    """``layers`` adds trainable transformer layers over the role-marked tokens: the logits
    still have one row per pair, and those layers receive gradients."""
    windows = story_windows("[Ann] met her son [Bob]. [Bob] saw [Cy].")
    pairs = pair_instances([windows], [list(range(len(windows)))], [{"Ann": "female"}])
    batch = collate_pairs(pairs, windows, _features([w.text for w in windows]))
    torch.manual_seed(0)
    model = KinshipExtractor(input_size=8, hidden=16, heads=2, layers=1,
                             num_relations=len(RELATIONS), num_genders=len(GENDERS))
    out = model(**batch)
    assert out.logits.shape == (len(pairs), 1 + len(RELATIONS))
    out.loss.backward()
    assert model.reader is not None
    assert all(p.grad is not None for p in model.reader.parameters())


def test_pair_scores_by_hand() -> None:
    pairs = pair_instances([story_windows("[A] and [B].")], [[0]], [{}])
    labelled = [p.__class__(**{**p.__dict__, "label": lab}) for p, lab in zip(pairs, [1, 0],
                                                                                 strict=True)]
    probs = torch.zeros(2, 1 + len(RELATIONS))
    probs[0, 1] = 1.0  # right relation
    probs[1, 2] = 1.0  # a relation where there is none
    scores = pair_scores(labelled, probs)
    assert scores["pair_accuracy"] == 0.5
    assert scores["pair_precision"] == 0.5 and scores["pair_recall"] == 1.0
