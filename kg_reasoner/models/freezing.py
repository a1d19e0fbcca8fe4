"""Language-model freezing policies: train none, all, or only the top k transformer layers."""

from __future__ import annotations

from torch import nn

from kg_reasoner.errors import ModelConfigError


def apply_freezing(model: nn.Module, policy: str, top_k: int = 0) -> int:
    """Set ``requires_grad`` on a Hugging Face encoder; returns the number of trainable tensors.

    ``policy``: ``none`` (everything trains), ``all`` (nothing trains) or ``top_k`` (only the
    last ``top_k`` transformer layers, plus any pooler, train).
    """
    if policy not in {"none", "all", "top_k"}:
        raise ModelConfigError(f"unknown freezing policy {policy!r}; choose none, all or top_k")
    for param in model.parameters():
        param.requires_grad = policy == "none"
    if policy == "top_k" and top_k > 0:
        layers = encoder_layers(model)
        for layer in layers[-top_k:]:
            for param in layer.parameters():
                param.requires_grad = True
        pooler = getattr(model, "pooler", None)
        if isinstance(pooler, nn.Module):
            for param in pooler.parameters():
                param.requires_grad = True
    return sum(1 for p in model.parameters() if p.requires_grad)


def encoder_layers(model: nn.Module) -> list[nn.Module]:
    """The stack of transformer blocks of common HF architectures (BERT, RoBERTa, DistilBERT)."""
    for path in ("encoder.layer", "transformer.layer", "layers", "encoder.layers", "h"):
        node: object = model
        for attr in path.split("."):
            node = getattr(node, attr, None)
            if node is None:
                break
        if isinstance(node, nn.ModuleList):
            return list(node)
    raise ModelConfigError(
        f"cannot find the transformer layers of {type(model).__name__} for top_k freezing"
    )
