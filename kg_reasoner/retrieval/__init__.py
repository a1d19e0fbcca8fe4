"""Question -> linked entities -> bounded subgraph, over a precomputed adjacency index."""

from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.linking import EntityLinker, LinkResult, Mention
from kg_reasoner.retrieval.subgraph import Subgraph, retrieve_subgraph

__all__ = ["EntityLinker", "KBIndex", "LinkResult", "Mention", "Subgraph", "retrieve_subgraph"]
