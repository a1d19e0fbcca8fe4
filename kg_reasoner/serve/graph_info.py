"""What `/info` says about the loaded graph: its size and example questions drawn from it.

Examples are written from real statements of the graph, one per relation (the most frequent
relations first): ``born_in(Marie Curie, Warsaw)`` gives "Where was Marie Curie born?". On a
knowledge base (a `--model` run, e.g. MetaQA) the entity is written in [brackets], as its
questions are. A question's wording comes from the relation's name; relations it cannot phrase
give "What is the <relation> of <entity>?".
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from kg_reasoner.extraction.entity_types import PERSON_LABELS as _PEOPLE
from kg_reasoner.qa.loading import LoadedQA
from kg_reasoner.qa.verbalise import relation_words
from kg_reasoner.retrieval.kb_index import KBIndex

MAX_EXAMPLES = 3
_UNNAMED = frozenset({"VALUE", "DATE", "CONCEPT"})
# relation name -> question about its subject ({e} is the entity)
_TEMPLATES = {
    "born_in": "Where was {e} born?",
    "died_in": "Where did {e} die?",
    "located_in": "Where is {e} located?",
    "based_in": "Where is {e} based?",
    "lives_in": "Where does {e} live?",
    "live_in": "Where does {e} live?",
    "is_a": "What is {e}?",
    "directed_by": "who directed {e}",
    "written_by": "who wrote {e}",
    "starred_actors": "who starred in {e}",
    "release_year": "when was {e} released",
    "in_language": "what language is {e} in",
    "has_genre": "what genre is {e}",
    "has_tags": "what is {e} about",
    "has_imdb_rating": "what is the rating of {e}",
    "has_imdb_votes": "how popular is {e}",
}


def graph_info(loaded: LoadedQA, served: dict[str, Any]) -> dict[str, Any]:
    """Kind, counts, example questions and the build being served (``served``)."""
    index: KBIndex = loaded.answerer.index
    documents = getattr(loaded.graph, "documents", None)
    text_graph = callable(documents) and getattr(loaded.graph, "knowledge_base", None) is None
    return {
        "kind": "text graph" if text_graph else "knowledge base",
        "documents": len(documents()) if text_graph else None,  # type: ignore[misc]
        "entities": index.num_entities,
        "triples": index.num_triples,
        "relations": index.num_base_relations,
        "method": loaded.answerer.method,
        "examples": example_questions(index, bracket=not text_graph),
        "build": served,
    }


def example_questions(index: KBIndex, *, bracket: bool, limit: int = MAX_EXAMPLES) -> list[str]:
    """Up to ``limit`` questions about real statements, each on a different relation."""
    if index.num_triples == 0:
        return []
    heads, rels, tails = index.triples_factory.triple_arrays
    counts = Counter(rels.tolist())
    out: list[str] = []
    used: set[int] = set()  # a different entity in each example when the relation allows
    for rel in sorted(counts, key=lambda r: (-counts[r], index.relations[r])):
        candidates = [
            t for t in np.flatnonzero(rels == rel)[:200].tolist()
            if _nameable(index, int(heads[t]), index.entity_labels[int(heads[t])])
        ]  # fmt: skip
        if not candidates:
            continue
        t = next((c for c in candidates if int(heads[c]) not in used), candidates[0])
        head, tail = int(heads[t]), int(tails[t])
        used.add(head)
        name = index.entity_labels[head]
        entity = f"[{name}]" if bracket else name
        out.append(question_for(index.relations[rel], entity, index.entity_type(tail)))
        if len(out) >= limit:
            break
    return out


def question_for(relation: str, entity: str, object_type: str = "") -> str:
    """A question whose answer is the object of ``relation`` from ``entity``."""
    template = _TEMPLATES.get(relation.lower())
    if template:
        return template.format(e=entity)
    words = relation_words(relation)
    who = "Who" if object_type.upper() in _PEOPLE else "What"
    if words.endswith(" by"):
        return f"Who was {entity} {words}?"  # founded_by: Who was Google founded by?
    if words.endswith(" of"):
        return f"{who} is {entity} the {words}?"  # capital_of: What is Warsaw the capital of?
    if words.startswith(("has ", "have ")):
        return f"What is the {words.split(' ', 1)[1]} of {entity}?"
    if len(words.split()) <= 2:  # a verb (and a preposition): works_for, discover, marry
        verb, _, rest = words.partition(" ")
        if verb.endswith("s") and not verb.endswith("ss") and len(verb) > 3:
            verb = verb[:-1]  # works -> work
        return f"{who} did {entity} {' '.join([verb, rest]).strip()}?"
    return f"What is the {words} of {entity}?"


def _nameable(index: KBIndex, entity: int, name: str) -> bool:
    """A named entity a question can mention: not a value, date, concept or bare IRI."""
    if not name or "://" in name or len(name) > 60:
        return False
    return index.entity_type(entity).upper() not in _UNNAMED


__all__ = ["MAX_EXAMPLES", "example_questions", "graph_info", "question_for"]
