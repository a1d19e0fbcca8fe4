"""Question -> linked entities -> bounded subgraph, over a precomputed adjacency index; and any
knowledge graph (WordNet, a `kgr build` graph, a triple file) as a :class:`ConceptGraph` with
text grounding (:class:`Grounder`) and question-choice subgraphs (:class:`SubgraphRetriever`)."""

from kg_reasoner.retrieval.grounding import (
    ConceptGraph,
    Grounder,
    Subgraph,
    SubgraphRetriever,
    load_concept_graph,
)
from kg_reasoner.retrieval.kb_index import KBIndex
from kg_reasoner.retrieval.linking import EntityLinker, LinkResult, Mention
from kg_reasoner.retrieval.subgraph import KHopSubgraph, retrieve_subgraph

__all__ = [
    "ConceptGraph",
    "EntityLinker",
    "Grounder",
    "KBIndex",
    "KHopSubgraph",
    "LinkResult",
    "Mention",
    "Subgraph",
    "SubgraphRetriever",
    "load_concept_graph",
    "retrieve_subgraph",
]
