"""What a build will do with each document read: add, update, leave, skip or remove.

Decided before any extraction, from the documents read and the states the graph holds:

- a document whose id an earlier document of the same build took is skipped, and the reason
  names both places and the fix (no record silently overwrites another);
- a record stored under the id it has under the other id policy (``a.jsonl#1`` was ``1``
  before ids were scoped by file, or with ``corpus.global_ids``) has that copy marked as
  replaced (the builder removes it once the record is built), so a rebuild into an older
  graph leaves no stale document;
- with ``prune``, documents of the graph no longer in the corpus are removed, except those
  under a folder that could not be read this time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg_reasoner.building.report import DocumentOutcome
from kg_reasoner.corpus.document import Document, Skipped
from kg_reasoner.graph.records import DocumentState


@dataclass
class BuildPlan:
    """Documents to extract (with status and note), outcomes known already, ids to remove.

    ``removals`` go before extraction (pruned documents); each of ``replaced`` is
    ``(new id, removal of the old copy)``, to do once the new id is built.
    """

    queue: list[tuple[Document, str, str]] = field(default_factory=list)
    outcomes: list[DocumentOutcome] = field(default_factory=list)
    removals: list[DocumentOutcome] = field(default_factory=list)
    replaced: list[tuple[str, DocumentOutcome]] = field(default_factory=list)


def plan_build(
    documents: Iterable[Document | Skipped],
    existing: dict[str, DocumentState],
    *,
    fingerprint: str,
    prune: bool,
    global_ids: bool,
) -> BuildPlan:
    """Classify every document read against the graph's ``existing`` documents."""
    plan = BuildPlan()
    read: dict[str, Document] = {}
    keep: set[str] = set()  # ids the corpus still has (read or skipped): never removed
    unread_folders: list[Path] = []
    for item in documents:
        if isinstance(item, Skipped):
            if item.id:
                keep.add(item.id)
            else:  # a folder that could not be listed
                unread_folders.append(Path(item.source))
            plan.outcomes.append(DocumentOutcome(item.id, item.source, "skipped", item.reason))
            continue
        first = read.get(item.id)
        if first is not None:
            reason = duplicate_reason(item, first, global_ids=global_ids)
            plan.outcomes.append(DocumentOutcome(item.id, item.source, "skipped", reason))
            continue
        read[item.id] = item
        keep.add(item.id)
        state = existing.get(item.id)
        if state is None:
            plan.queue.append((item, "added", ""))
        elif state.content_hash != item.content_hash or state.fingerprint != fingerprint:
            moved = state.source != item.source
            note = f"replaces the copy read from {state.source}" if moved else ""
            plan.queue.append((item, "updated", note))
        else:
            plan.outcomes.append(DocumentOutcome(item.id, item.source, "unchanged"))

    for doc in read.values():
        for alt in doc.alt_ids:
            state = existing.get(alt)
            if state is not None and alt not in keep and _same_file(state.source, doc.source):
                keep.add(alt)
                reason = f"now {doc.id!r}: {_id_policy(global_ids)}"
                removal = DocumentOutcome(alt, state.source, "removed", reason)
                plan.replaced.append((doc.id, removal))
    if prune:
        for doc_id in sorted(set(existing) - keep):
            source = existing[doc_id].source
            if not any(Path(source).is_relative_to(f) for f in unread_folders):
                plan.removals.append(
                    DocumentOutcome(doc_id, source, "removed", "no longer in the corpus")
                )
    return plan


def duplicate_reason(doc: Document, first: Document, *, global_ids: bool) -> str:
    """Why ``doc`` is skipped: ``first`` has its id; names both places and the fix."""
    where = f"{doc.location} and {first.location} both have document id {doc.id!r}"
    records = bool(doc.line or first.line)
    if records and global_ids:
        fix = "give the records unique ids or drop --global-ids"
    elif doc.source != first.source:  # two files with one path relative to the folders given
        fix = "build from their common parent folder, so the ids include the folders"
    else:
        fix = "give the records unique ids"
    return f"duplicate id: {where}; the first is kept ({fix})"


def _same_file(a: str, b: str) -> bool:
    """Two sources naming one file (a build may name it relative to another folder)."""
    return a == b or Path(a).name == Path(b).name


def _id_policy(global_ids: bool) -> str:
    if global_ids:
        return "corpus.global_ids uses records' id fields as document ids"
    return "record ids include their file (corpus.global_ids or --global-ids keeps bare ids)"
