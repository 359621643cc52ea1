"""The Jinja environments of every rendered page: editions and reports, one factory.

A folder of ``templates/`` and a format make one environment, built once per process
so its templates are compiled once; the gettext catalog of the page's language is
swapped in for each render (``jinja2.ext.i18n``, new style: ``_("… {slot}")`` formats
its own slots).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from sla_docs.assets import templates_dir
from sla_docs.editions.i18n import translations

Escape = Callable[[Any], Any]
"""What a Markdown template passes every printed value through (Jinja's ``finalize``)."""


def translated_template(folder: str, name: str, language: str,
                        escape: Escape | None = None) -> Template:
    """``templates/<folder>/<name>`` with its fixed words in ``language``.

    ``escape`` None: an HTML template, every printed value autoescaped. Otherwise a
    Markdown template: Markdown has no autoescape, so every printed value goes through
    ``escape``, which lets values already marked safe (``Markup``) through.
    """
    environment = _environment(folder, escape)
    # renders never overlap (a process renders one page at a time), so the shared
    # environment can take this page's catalog; templates look their globals up live
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        translations(language), newstyle=True)
    return environment.get_template(name)


@cache
def _environment(folder: str, escape: Escape | None) -> Environment:
    """One folder's environment for one format: cached, so templates compile once."""
    return Environment(
        loader=FileSystemLoader(templates_dir() / folder),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,  # a missing value is our defect: fail, never print ""
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=escape is None,
        finalize=escape,
    )
