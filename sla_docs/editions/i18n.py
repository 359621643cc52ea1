"""The fixed words of the editions in five languages: gettext catalogs and locales.

English is the source language. Each other language has a catalog
``templates/locales/<lang>/LC_MESSAGES/sla_docs.po``, read with Babel; the templates
use it through ``jinja2.ext.i18n`` and the Python side through :func:`translator`.
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


@cache
def messages(language: str) -> dict[str, str]:
    """The catalog of ``language``: English message to translation (empty for English).

    Fuzzy entries are left out: a guess is not a translation.
    """
    if language == "en":
        return {}
    from babel.messages.pofile import read_po

    with catalog_path(language).open("rb") as catalog:
        return {str(m.id): str(m.string) for m in read_po(catalog)
                if m.id and m.string and not m.fuzzy}


def translator(language: str) -> Callable[[str], str]:
    """``gettext`` for ``language``: a message not translated stays in English."""
    catalog = messages(language)
    return lambda message: catalog.get(message, message)


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of ``language`` as gettext translations, for ``jinja2.ext.i18n``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import NullTranslations, Translations

    if language == "en":
        return NullTranslations()
    with catalog_path(language).open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are not compiled
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def edition_locale(agreement: Agreement, language: str) -> str:
    """The CLDR locale of ``language``'s edition: ``pt_BR`` unless the agreement says ``pt_PT``."""
    chosen: str = getattr(agreement.locales, language)
    return chosen
