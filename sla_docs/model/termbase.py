"""A termbase: per language, the agreed term for each concept and the variants to avoid.

The package ships a default (``templates/terms/terms.yaml``); an agreement repository
extends it with ``agreements/terms.yaml`` in the same form::

    concepts:
      sql:
        en:
          term: sales-qualified lead
          avoid: [sales qualified lead, sales-ready lead]
      quota: false          # switch a default concept off

A concept in the repository's file adds to the default's, a language given there
replaces that language's term and variants, and ``false`` switches the concept off.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from sla_docs.model.base import Section
from sla_docs.model.types import Identifier

MAX_PHRASE = 120
"""The longest term or variant, in characters: a term is a few words, not a clause."""


def _has_a_word(value: str) -> str:
    if not any(char.isalnum() for char in value):
        raise PydanticCustomError("phrase_blank", "a term or a variant needs a letter or a digit")
    return value


Phrase = Annotated[str, Field(min_length=1, max_length=MAX_PHRASE), AfterValidator(_has_a_word)]
"""A term or a variant: a few words, matched case-insensitively on whole words."""


class Entry(Section):
    """What one language calls a concept."""

    term: Phrase
    """The agreed term, as the language writes it (``lead qualificato dalle Vendite``)."""
    avoid: list[Phrase] = Field(default_factory=list)
    """Variants writers use that the agreement does not: each use is a warning."""


class Concept(Section):
    """One concept, with its entry in each language it has one in; ``false`` switches
    a concept of the default termbase off."""

    en: Entry | None = None
    """English."""
    it: Entry | None = None
    """Italian."""
    fr: Entry | None = None
    """French."""
    es: Entry | None = None
    """Spanish."""
    pt: Entry | None = None
    """Portuguese."""
    off: bool = False
    """Set by writing ``false`` for the concept: the default's concept is not checked."""

    @model_validator(mode="before")
    @classmethod
    def _switched_off(cls, value: Any) -> Any:
        if value is False:
            return {"off": True}
        if value is True or value is None:
            raise PydanticCustomError(
                "concept_form", "a concept is a mapping of languages, or `false` to switch "
                "the default's concept off")
        return value


class Termbase(Section):
    """A termbase file."""

    concepts: dict[Identifier, Concept] = Field(min_length=1)
    """The concepts by id (``sql``, ``handoff``)."""
