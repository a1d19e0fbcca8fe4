"""FGM (fast gradient method, Miyato et al. 2017): adversarial training on the word embeddings."""

from __future__ import annotations

import torch


def fgm_perturbation(loss: torch.Tensor, words: torch.Tensor, epsilon: float) -> torch.Tensor:
    """``epsilon * g / ||g||`` per example, ``g`` the gradient of ``loss`` w.r.t. the word vectors
    ``words`` (B, T, H); detached, so the adversarial pass adds its loss without a second-order
    term. The graph of ``loss`` is kept for its own backward pass."""
    (grad,) = torch.autograd.grad(loss, words, retain_graph=True)
    norm = grad.flatten(1).norm(dim=1).clamp(min=1e-12).view(-1, 1, 1)
    return (epsilon * grad / norm).detach()
