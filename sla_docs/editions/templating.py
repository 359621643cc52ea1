"""The Jinja environments of every rendered page: editions and reports, one factory.

A folder of ``templates/`` and a format make one environment, built once per process
so its templates are compiled once; the gettext catalog of the page's language is
swapped in for each render (``jinja2.ext.i18n``, new style: ``_("… {slot}")`` formats
its own slots). The format is the template's: ``*.html.j2`` autoescapes every value it
prints, ``*.md.j2`` passes each through :func:`markdown_value`, so no value a source or
an export holds can become markup in either.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

from sla_docs.assets import templates_dir
from sla_docs.editions.i18n import translations
from sla_docs.markdown import escape_text


def markdown_value(value: Any) -> Any:
    """What a Markdown template prints for ``value``: as plain text, escaped, unless it
    is Markdown already (``Markup``, made by the code, never by a source)."""
    if value is None or isinstance(value, Markup):
        return value
    return escape_text(str(value))


def translated_template(folder: str, name: str, language: str) -> Template:
    """``templates/<folder>/<name>`` with its fixed words in ``language``; ``name`` ends
    in ``.html.j2`` or ``.md.j2``, which decides how the values it prints are escaped."""
    environment = _environment(folder, None if name.endswith(".html.j2") else markdown_value)
    # renders never overlap (a process renders one page at a time), so the shared
    # environment can take this page's catalog; templates look their globals up live
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        translations(language), newstyle=True)
    return environment.get_template(name)


@cache
def _environment(folder: str, escape: Callable[[Any], Any] | None) -> Environment:
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
