"""Reading documents: folders and files of .txt, .md, .jsonl and .csv, with a bad-input policy."""

from kg_reasoner.corpus.config import CorpusConfig
from kg_reasoner.corpus.document import Document, Skipped
from kg_reasoner.corpus.reader import read_corpus

__all__ = ["CorpusConfig", "Document", "Skipped", "read_corpus"]
