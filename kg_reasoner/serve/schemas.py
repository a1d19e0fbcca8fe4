"""Request bodies and limits of the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, Field

MAX_QUESTION_CHARS = 500
MAX_QUERY_CHARS = 10_000
MAX_BODY_BYTES = 64_000
MAX_ENTITY_TRIPLES = 200


class AskRequest(BaseModel):
    """A question; ``top_k`` answers are returned."""

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    top_k: int = Field(10, ge=1, le=50)


class SparqlRequest(BaseModel):
    """A read-only SPARQL query (SELECT or ASK)."""

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
