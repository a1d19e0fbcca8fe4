"""The language-model side of :class:`LMGraphScorer`: a Hugging Face encoder read from its word
embeddings, so the embeddings can be perturbed (FGM) and the top blocks run one at a time
(GreaseLM-style interaction)."""

from __future__ import annotations

import torch
from torch import nn

from kg_reasoner.errors import ModelConfigError
from kg_reasoner.models.freezing import encoder_layers
from kg_reasoner.models.text_encoder import mean_pool, run_blocks

POOLINGS = ("mean", "cls")


class LMBackbone(nn.Module):
    """Wraps a Hugging Face encoder (``AutoModel``): word embeddings -> hidden states -> pooled.

    ``pooling``: ``mean`` (mean over the attention mask, what sentence-transformers models such
    as MiniLM are trained for) or ``cls`` (the first token, the BERT fine-tuning recipe).
    """

    def __init__(self, model: nn.Module, *, pooling: str = "mean") -> None:
        super().__init__()
        if pooling not in POOLINGS:
            raise ModelConfigError(f"unknown pooling {pooling!r}; choose {', '.join(POOLINGS)}")
        self.model = model
        self.pooling = pooling
        self.hidden_size = int(model.config.hidden_size)

    @property
    def num_layers(self) -> int:
        return len(encoder_layers(self.model))

    def word_embeddings(self, input_ids: torch.Tensor) -> torch.Tensor:
        """(B, T) ids -> (B, T, H) word vectors (before positions and normalisation)."""
        return self.model.get_input_embeddings()(input_ids)

    def pool(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """(B, T, H) -> (B, H) by the configured pooling."""
        return hidden[:, 0] if self.pooling == "cls" else mean_pool(hidden, attention_mask)

    def forward(
        self,
        words: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """The whole encoder over word vectors: (B, T, H) -> last hidden states (B, T, H)."""
        out = self.model(
            inputs_embeds=words, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        return out.last_hidden_state

    def bottom(
        self,
        words: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor | None,
        *,
        keep_top: int,
    ) -> torch.Tensor:
        """Hidden states after every block but the top ``keep_top`` ones (B, T, H)."""
        embeddings = getattr(self.model, "embeddings", None)
        if embeddings is None:
            raise ModelConfigError(
                f"{type(self.model).__name__} has no `embeddings` module: the interaction "
                "fusion needs a BERT-style encoder"
            )
        hidden = embeddings(inputs_embeds=words, token_type_ids=token_type_ids)
        blocks = self.blocks()
        return run_blocks(self.model, blocks[: len(blocks) - keep_top], hidden, attention_mask)

    def blocks(self) -> list[nn.Module]:
        return encoder_layers(self.model)

    def run_block(
        self, index: int, hidden: torch.Tensor, attention_mask: torch.Tensor
    ) -> torch.Tensor:
        """Block ``index`` (0-based from the bottom) over hidden states (B, T, H)."""
        return run_blocks(self.model, [self.blocks()[index]], hidden, attention_mask)
