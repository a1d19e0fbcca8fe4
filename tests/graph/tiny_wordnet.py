"""A tiny WordNet 3.0 database (wndb(5WN) format) written by the tests: nouns dog, cat,
carnivore and flag (a dog's tail), the verb dog (to chase), adjectives hot/cold (antonyms) and
the satellite warm (similar to hot)."""

from __future__ import annotations

from pathlib import Path

LICENSE = "  1 This software and database is being provided to you, the LICENSEE, by\n"

FILES = {
    "data.noun": (
        "00000100 05 n 02 dog 0 domestic_dog 0 003 @ 00000300 n 0000 %p 00000400 n 0000 "
        '+ 00000500 v 0101 | a domesticated carnivore; "the dog barked"  \n'
        "00000200 05 n 01 cat 0 001 @ 00000300 n 0000 | a small feline  \n"
        "00000300 05 n 01 carnivore 0 002 ~ 00000100 n 0000 ~ 00000200 n 0000 | a meat eater  \n"
        "00000400 05 n 01 flag 0 001 #p 00000100 n 0000 | a conspicuously marked tail  \n"
    ),
    "index.noun": (
        "carnivore n 1 1 ~ 1 0 00000300  \n"
        "cat n 1 1 @ 1 0 00000200  \n"
        "dog n 1 3 @ %p + 1 0 00000100  \n"
        "domestic_dog n 1 2 @ %p 1 0 00000100  \n"
        "flag n 1 1 #p 1 0 00000400  \n"
    ),
    "data.verb": (
        "00000500 38 v 01 dog 0 001 + 00000100 n 0101 01 + 08 00 | go after with the intent "
        "to catch  \n"
    ),
    "index.verb": "dog v 1 1 + 1 0 00000500  \n",
    "data.adj": (
        "00000600 00 a 01 hot 0 002 ! 00000700 a 0101 & 00000800 s 0000 | of high "
        "temperature  \n"
        "00000700 00 a 01 cold 0 001 ! 00000600 a 0101 | of low temperature  \n"
        "00000800 00 s 01 warm(a) 0 001 & 00000600 a 0000 | comfortably hot  \n"
    ),
    "index.adj": (
        "cold a 1 1 ! 1 0 00000700  \nhot a 1 2 ! & 1 0 00000600  \nwarm a 1 1 & 1 0 00000800  \n"
    ),
}


def write_tiny_wordnet(directory: Path) -> Path:
    """Write the database files into ``directory`` (created) and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (directory / name).write_text(LICENSE + text, encoding="utf-8")
    return directory
