"""Question answering over a graph: answers with scores and the evidence paths behind them."""

from kg_reasoner.qa.answer import Answer, EvidenceHop, EvidencePath, QAResult

__all__ = ["Answer", "EvidenceHop", "EvidencePath", "QAResult"]
