"""The fixed words of the editions in five languages: gettext catalogs and locales.

English is the source language. Each other language has a catalog
``templates/locales/<lang>/LC_MESSAGES/sla_docs.po``, read with Babel
(:func:`read_catalog`); the templates use it through ``jinja2.ext.i18n``
(:mod:`sla_docs.editions.templating`) and the Python side through :func:`translator`.
A word the code defines away from where it is translated is marked
:func:`sla_docs.message_ids.N_`, so
Babel's extractor finds every message id (see ``tests/test_catalogs.py``).
Numbers, money and dates follow the edition's *locale*, which is the language's own
unless the agreement names a regional one (``locales: {pt: pt_PT}``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from sla_docs.assets import templates_dir

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog
    from babel.support import NullTranslations

    from sla_docs.model.agreement import Agreement

DOMAIN = "sla_docs"
"""The gettext domain of the catalogs."""


def catalog_path(language: str) -> Path:
    """The ``.po`` file of ``language``."""
    return templates_dir() / "locales" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_path() -> Path:
    """The ``.pot`` file every catalog is translated from."""
    return templates_dir() / "locales" / f"{DOMAIN}.pot"


def read_catalog(language: str | None) -> Catalog:
    """The ``.po`` catalog of ``language``, or the ``.pot`` template when ``None``.

    Every reading of the catalogs goes through here: the editions, the reports and the
    catalog check see the same entries.
    """
    # Babel's catalog machinery loads only for a command that renders words
    from babel.messages.pofile import read_po

    path = template_path() if language is None else catalog_path(language)
    with path.open("rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


CONTEXT_SEPARATOR = "\x04"
"""Between a ``msgctxt`` and its message id, in :func:`messages`' keys (gettext's own)."""


@cache
def messages(language: str) -> dict[str, str]:
    """The catalog of ``language``: English message to translation (empty for English).

    An entry with a ``msgctxt`` (one English word that needs several forms, such as
    "monthly" for a masculine and a feminine noun) is keyed ``context + "\\x04" + id``.
    Fuzzy entries are left out: a guess is not a translation.
    """
    if language == "en":
        return {}
    return {(f"{m.context}{CONTEXT_SEPARATOR}" if m.context else "") + str(m.id): str(m.string)
            for m in read_catalog(language) if m.id and m.string and not m.fuzzy}


def translator(language: str) -> Callable[[str], str]:
    """``gettext`` for ``language``: a message not translated stays in English."""
    catalog = messages(language)
    return lambda message: catalog.get(message, message)


def context_translator(language: str) -> Callable[[str, str], str]:
    """``pgettext`` for ``language``: the form of a message in a context (``report``),
    else its form without one, else the English."""
    catalog = messages(language)
    return lambda context, message: catalog.get(
        f"{context}{CONTEXT_SEPARATOR}{message}", catalog.get(message, message))


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of ``language`` as gettext translations, for ``jinja2.ext.i18n``."""
    # as in read_catalog: loaded only for a command that renders words
    from babel.messages.mofile import write_mo
    from babel.support import NullTranslations, Translations

    if language == "en":
        return NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, read_catalog(language))  # fuzzy entries are not compiled
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def edition_locale(agreement: Agreement, language: str) -> str:
    """The CLDR locale of ``language``'s edition: ``pt_BR`` unless the agreement says ``pt_PT``."""
    chosen: str = getattr(agreement.locales, language)
    return chosen
