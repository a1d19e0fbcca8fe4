"""``python -m kg_reasoner`` runs the ``kgr`` command line."""

from kg_reasoner.cli import main

main()
