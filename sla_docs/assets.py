"""Where the package's own files are: templates, styles, the init skeleton.

In an installed wheel they live in ``sla_docs/templates``; in a source checkout
(editable install, tests, CI) they are the repository's top-level ``templates/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def templates_dir() -> Path:
    """The folder holding the templates, whichever way the package was installed."""
    shipped = _PACKAGE / "templates"
    return shipped if shipped.is_dir() else _PACKAGE.parent / "templates"
