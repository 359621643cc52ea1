"""``python -m sla_docs`` runs the ``sla`` command."""

from sla_docs.cli import main

if __name__ == "__main__":  # not again in a worker process started by spawning
    main()
