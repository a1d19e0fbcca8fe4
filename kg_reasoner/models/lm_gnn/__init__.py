"""Language model + GNN over a retrieved subgraph, for classification and multiple choice.

:class:`LMGraphScorer` scores a batch of texts (or question-choice pairs) from a fine-tuned
Hugging Face encoder and, optionally, the subgraph retrieved for each; the fusions are
registered in :data:`SCORER_FUSIONS`.
"""

from kg_reasoner.models.lm_gnn.backbone import LMBackbone
from kg_reasoner.models.lm_gnn.scorer import SCORER_FUSIONS, LMGraphScorer, ScorerOutput

__all__ = ["SCORER_FUSIONS", "LMBackbone", "LMGraphScorer", "ScorerOutput"]
