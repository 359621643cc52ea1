"""The languages an edition can be written in: the one list, light enough for the CLI's options."""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["en", "it", "fr", "es", "pt"]
"""The languages an edition can be written in."""
LANGUAGES: tuple[Language, ...] = get_args(Language)
"""The same, as a tuple, in the order editions are listed."""


def source_language(declared: object, languages: object) -> Language | None:
    """The language an agreement's texts are written in first: ``declared`` (its
    ``source_language``) when it names one, else the first of ``languages``; None when
    neither names a language. Raw values are taken, so the checks can ask before the
    model has accepted the file."""
    if isinstance(declared, str) and declared in LANGUAGES:
        return declared
    first = languages[0] if isinstance(languages, list) and languages else None
    return first if isinstance(first, str) and first in LANGUAGES else None
