"""How a corpus is read (``corpus:`` in a build config)."""

from __future__ import annotations

from pydantic import Field

from kg_reasoner.config import StrictModel

DEFAULT_EXTENSIONS = (".txt", ".md", ".jsonl", ".csv")


class CorpusConfig(StrictModel):
    """File types, CSV/JSONL fields, size limits and decoding policy."""

    extensions: list[str] = Field(default_factory=lambda: list(DEFAULT_EXTENSIONS))
    text_field: str = Field("text", description="JSONL field (or CSV column) holding the text")
    id_field: str = Field("id", description="JSONL field (or CSV column) holding the record id")
    global_ids: bool = Field(
        False,
        description="use a record's id field as its document id as is; by default the id is "
        "scoped by its file (notes.jsonl#7), so equal ids in two files do not collide",
    )
    max_file_mb: float = Field(50.0, gt=0, description="files larger than this are skipped")
    encoding_fallback: str = Field(
        "cp1252", description="tried when a file is not UTF-8; 'skip' skips such files"
    )
    follow_symlinks: bool = False
    include_hidden: bool = False
