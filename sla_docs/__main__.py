"""``python -m sla_docs`` runs the ``sla`` command."""

from sla_docs.cli import main

main()
