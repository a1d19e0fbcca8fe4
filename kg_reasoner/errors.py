"""Exception types whose messages say what went wrong and how to fix it.

The CLI catches :class:`KGReasonerError` and prints its message without a traceback.
"""

from __future__ import annotations


class KGReasonerError(Exception):
    """Base class of every error the library raises on purpose."""


class ConfigError(KGReasonerError):
    """A configuration file or override is invalid."""


class CorpusError(KGReasonerError):
    """A corpus path or document cannot be read."""


class StoreError(KGReasonerError):
    """The graph store cannot be opened, read or written."""


class QueryError(KGReasonerError):
    """A SPARQL query is malformed or not allowed (e.g. an UPDATE on a read-only endpoint)."""


class ModelConfigError(ConfigError, ValueError):
    """Model or training settings that cannot work together (e.g. GAT heads that do not divide
    hidden_channels). Also a ``ValueError``, for code that catches that."""


class ModelLoadError(KGReasonerError):
    """A model (spaCy pipeline, Hugging Face encoder or checkpoint) cannot be loaded."""


class DataFormatError(KGReasonerError):
    """A training or evaluation file has a malformed record."""


class EntityNotFoundError(KGReasonerError):
    """An entity named by the user is not in the graph."""


class DocumentNotFoundError(KGReasonerError):
    """A document id is not in the graph."""
