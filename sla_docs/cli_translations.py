"""``sla translations``: the click options of the translators' files' commands, one
library call each (kept out of ``cli.py``, which holds every other command's options)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sla_docs.model.languages import LANGUAGES

_AGREEMENT = click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))


@click.group()
def translations() -> None:
    """Translators' files: an agreement's texts as PO or XLIFF, and back."""


@translations.command("export")
@_AGREEMENT
@click.option("--lang", "language", required=True, type=click.Choice(LANGUAGES),
              help="The language translated into.")
@click.option("--format", "form", type=click.Choice(["po", "xliff"]), default="po",
              show_default=True, help="PO (gettext) or XLIFF 1.2.")
@click.option("--base", metavar="REV", help="Mark for review the translations that are "
              "stale since this git revision.")
@click.option("-o", "output", type=click.Path(dir_okay=False, allow_dash=True),
              callback=lambda _context, _option, value: _output(value),
              help="Write to this file (default, or `-`: standard output).")
def translations_export(path: Path, language: str, form: Any, base: str | None,
                        output: Path | None) -> None:
    """Write every prose text of PATH, with its LANG translation, for a translator."""
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.translations.export import export_translations

    content = export_translations(path, language, form, output, base=base)
    if content is not None:
        click.echo(content, nl=False)


def _output(value: str | None) -> Path | None:
    """The file ``-o`` names; None for standard output (``-`` or no ``-o``)."""
    if value is None or value == "-":
        return None
    if not value:
        raise click.BadParameter("an empty file name (leave -o out, or give `-`, to "
                                 "write to standard output)")
    return Path(value)


@translations.command("import")
@_AGREEMENT
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def translations_import(path: Path, file: Path) -> None:
    """Write the translations of FILE (PO or XLIFF) into the agreement PATH."""
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.translations.import_ import import_translations

    click.echo(import_translations(path, file))
