"""WordNet 3.0 database files (``data.*`` and ``index.*``, as Debian's ``wordnet-base`` installs
them at ``/usr/share/wordnet``) read into synset and lemma nodes with their relations.

Nodes: one per synset, ``wn:<lemma>.<pos>.<NN>`` (NLTK's naming: the synset's first lemma, its
part of speech ``n v a s r`` and its sense number in that lemma's ``index.<pos>`` entry), labelled
with its lemmas (``dog, domestic dog, Canis familiaris``) and described by its gloss; and one per
word form, ``lemma:<lowercased lemma>`` (shared over parts of speech), with a ``sense`` edge to
every synset that contains it. Pointers become edges named after WordNet's pointer symbols
(:data:`POINTER_RELATIONS`): a semantic pointer (source/target ``0000``) links synsets, a lexical
one (``antonym``, ``derivation``, ``pertainym`` ...) links the two lemma nodes it names.
The format is WordNet's ``wndb(5WN)``; pointer symbols are parsed here, no WordNet library needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kg_reasoner.errors import DataFormatError

DEFAULT_WORDNET_DIR = Path("/usr/share/wordnet")
"""Where Debian's ``wordnet-base`` puts the database (``make wordnet`` installs it)."""

POS_FILES: dict[str, str] = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
"""Part-of-speech letter of ``data.<name>`` / ``index.<name>`` (satellites ``s`` live in adj)."""

POINTER_RELATIONS: dict[str, str] = {
    "!": "antonym",
    "@": "hypernym",
    "@i": "instance_hypernym",
    "~": "hyponym",
    "~i": "instance_hyponym",
    "#m": "member_holonym",
    "#s": "substance_holonym",
    "#p": "part_holonym",
    "%m": "member_meronym",
    "%s": "substance_meronym",
    "%p": "part_meronym",
    "=": "attribute",
    "+": "derivation",
    ";c": "domain_topic",
    "-c": "member_of_domain_topic",
    ";r": "domain_region",
    "-r": "member_of_domain_region",
    ";u": "domain_usage",
    "-u": "member_of_domain_usage",
    "*": "entailment",
    ">": "cause",
    "^": "also_see",
    "$": "verb_group",
    "&": "similar_to",
    "<": "participle",
    "\\": "pertainym",
}
"""WordNet pointer symbol -> relation name (wndb(5WN), "Pointers")."""

SENSE_RELATION = "sense"
"""lemma node -> each synset containing that word form."""


@dataclass(frozen=True)
class WordNetGraph:
    """Nodes (synsets, then lemmas), relation names and ``(head, relation, tail)`` edge arrays."""

    node_ids: list[str]
    node_labels: list[str]
    node_descriptions: list[str]  # synset gloss; "" for lemma nodes
    relations: list[str]
    heads: np.ndarray  # [E] int64
    edge_types: np.ndarray  # [E] int64
    tails: np.ndarray  # [E] int64
    aliases: dict[str, list[int]]  # lowercased lemma with spaces -> lemma node, then its synsets


def is_wordnet_dir(path: str | Path) -> bool:
    """A directory holding WordNet's ``data.noun`` and ``index.noun``."""
    path = Path(path)
    return (path / "data.noun").is_file() and (path / "index.noun").is_file()


def wordnet_files(directory: str | Path) -> list[Path]:
    """The database files the conversion reads (those present), in a fixed order."""
    directory = Path(directory)
    return [
        directory / f"{kind}.{name}"
        for name in POS_FILES.values()
        for kind in ("data", "index")
        if (directory / f"{kind}.{name}").is_file()
    ]


def _lemma_text(word: str) -> str:
    """``Canis_familiaris`` -> ``Canis familiaris``; adjective markers ``(a) (p) (ip)`` dropped."""
    if word.endswith(")") and "(" in word:
        word = word[: word.index("(")]
    return word.replace("_", " ")


@dataclass
class _Synset:
    key: tuple[str, int]  # (file pos letter, byte offset)
    pos: str  # n v a s r
    words: list[str]
    pointers: list[tuple[str, str, int, int, int]]  # symbol, file pos, offset, source, target
    gloss: str


def _parse_data_line(line: str, file_pos: str, source: str) -> _Synset:
    """One ``data.<pos>`` line (wndb(5WN)): offset lex_filenum ss_type w_cnt words p_cnt ptrs."""
    body, _, gloss = line.partition("|")
    fields = body.split()
    try:
        offset, ss_type = int(fields[0]), fields[2]
        w_cnt = int(fields[3], 16)
        words = [_lemma_text(fields[4 + 2 * i]) for i in range(w_cnt)]
        at = 4 + 2 * w_cnt
        p_cnt = int(fields[at])
        pointers = []
        for i in range(p_cnt):
            symbol, target, pos, st = fields[at + 1 + 4 * i : at + 5 + 4 * i]
            pointers.append(
                (symbol, "a" if pos == "s" else pos, int(target), int(st[:2], 16), int(st[2:], 16))
            )
    except (IndexError, ValueError) as exc:
        raise DataFormatError(
            f"{source}: not a WordNet data line ({exc}): {line[:80]!r}; give the directory of "
            "WordNet 3.0's database files (make wordnet installs /usr/share/wordnet)"
        ) from None
    if not words or ss_type not in "nvasr":
        raise DataFormatError(f"{source}: malformed WordNet synset line {line[:80]!r}")
    return _Synset((file_pos, offset), ss_type, words, pointers, gloss.strip())


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise DataFormatError(f"cannot read WordNet file {path}: {exc.strerror}") from None
    return [line for line in text.splitlines() if line and not line.startswith("  ")]


def read_wordnet(directory: str | Path = DEFAULT_WORDNET_DIR) -> WordNetGraph:
    """Convert the WordNet database in ``directory`` (see the module docstring)."""
    directory = Path(directory)
    if not is_wordnet_dir(directory):
        raise DataFormatError(
            f"no WordNet database in {directory} (data.noun and index.noun missing): run "
            "`make wordnet` (Debian's wordnet-base) or give a directory of WordNet 3.0 files"
        )
    synsets: list[_Synset] = []
    sense_rank: dict[tuple[str, int], dict[str, int]] = {}  # synset -> lemma -> sense number
    for file_pos, name in POS_FILES.items():
        data, index = directory / f"data.{name}", directory / f"index.{name}"
        if not data.is_file():
            continue
        synsets.extend(_parse_data_line(line, file_pos, str(data)) for line in _read_lines(data))
        for line in _read_lines(index) if index.is_file() else []:
            fields = line.split()
            try:
                lemma, synset_cnt = fields[0], int(fields[2])
                offsets = fields[-synset_cnt:]
                for rank, offset in enumerate(offsets, start=1):
                    sense_rank.setdefault((file_pos, int(offset)), {})[lemma] = rank
            except (IndexError, ValueError):
                raise DataFormatError(f"{index}: not a WordNet index line: {line[:80]!r}") from None
    if not synsets:
        raise DataFormatError(f"{directory}: the WordNet data files hold no synsets")

    synset_index = {s.key: i for i, s in enumerate(synsets)}
    node_ids, labels, descriptions = [], [], []
    taken: set[str] = set()
    for s in synsets:
        first = s.words[0].lower().replace(" ", "_")
        rank = sense_rank.get(s.key, {}).get(first, 0)
        node_id = f"wn:{first}.{s.pos}.{rank:02d}"
        if rank == 0 or node_id in taken:  # not in the index (or a clash): name by offset
            node_id = f"wn:{first}.{s.pos}.{s.key[1]:08d}"
        taken.add(node_id)
        node_ids.append(node_id)
        labels.append(", ".join(dict.fromkeys(s.words)))
        descriptions.append(s.gloss)
    lemma_index: dict[str, int] = {}
    for s in synsets:
        for word in s.words:
            key = word.lower()
            if key not in lemma_index:
                lemma_index[key] = len(node_ids)
                node_ids.append(f"lemma:{key.replace(' ', '_')}")
                labels.append(word)
                descriptions.append("")

    relations = sorted({*POINTER_RELATIONS.values(), SENSE_RELATION})
    relation_id = {r: i for i, r in enumerate(relations)}
    sense = relation_id[SENSE_RELATION]
    heads: list[int] = []
    types: list[int] = []
    tails: list[int] = []
    aliases: dict[str, list[int]] = {}
    for i, s in enumerate(synsets):
        for word in s.words:
            lemma = lemma_index[word.lower()]
            heads.append(lemma)
            types.append(sense)
            tails.append(i)
        for symbol, pos, offset, source, target in s.pointers:
            relation = POINTER_RELATIONS.get(symbol)
            j = synset_index.get((pos, offset))
            if relation is None or j is None:
                continue
            if source == 0 and target == 0:
                head, tail = i, j
            else:
                try:
                    head = lemma_index[s.words[source - 1].lower()]
                    tail = lemma_index[synsets[j].words[target - 1].lower()]
                except IndexError:
                    continue
            heads.append(head)
            types.append(relation_id[relation])
            tails.append(tail)
    # aliases: the word form -> its lemma node, then its synsets in WordNet's sense order
    order = {}
    for i, s in enumerate(synsets):
        for word in s.words:
            rank = sense_rank.get(s.key, {}).get(word.lower().replace(" ", "_"), 99)
            order.setdefault(word.lower(), []).append((rank, i))
    for key, lemma in lemma_index.items():
        aliases[key] = [lemma, *(i for _, i in sorted(order[key]))]

    edges = np.unique(np.stack([heads, types, tails], axis=1).astype(np.int64), axis=0)
    return WordNetGraph(
        node_ids=node_ids,
        node_labels=labels,
        node_descriptions=descriptions,
        relations=relations,
        heads=edges[:, 0].copy(),
        edge_types=edges[:, 1].copy(),
        tails=edges[:, 2].copy(),
        aliases=aliases,
    )


__all__ = [
    "DEFAULT_WORDNET_DIR",
    "POINTER_RELATIONS",
    "WordNetGraph",
    "is_wordnet_dir",
    "read_wordnet",
    "wordnet_files",
]
