"""The whole agreement: identity, parties and every section, in reading order."""


from pydantic import Field

from sla_docs.model.base import Section
from sla_docs.model.currency import Currency
from sla_docs.model.inputs import Inputs
from sla_docs.model.languages import Language, source_language
from sla_docs.model.sections import (
    Cancellation,
    Communication,
    ConflictResolution,
    Definitions,
    FollowUp,
    Goal,
    Handoff,
    Kpi,
    Locales,
    Need,
    Nurturing,
    Party,
    Qualification,
    Review,
    Revision,
    Signatory,
)
from sla_docs.model.types import Date, Identifier, Text, Version


class Agreement(Section):
    """A service level agreement between Marketing and Sales (and Customer Service)."""

    id: Identifier
    """Short, stable name of the agreement; it names the output files."""
    title: Text
    """The agreement's title, per language."""
    version: Version
    """Its version; raise it with every change that is signed again."""
    effective_date: Date
    """The day the agreement takes effect."""
    review: Review
    """How often and when it is reviewed."""
    languages: list[Language] = Field(min_length=1)
    """The languages every text is written in, and the editions built."""
    source_language: Language | None = None
    """The language texts are written in first and translated from; left out, the first
    of ``languages``. ``sla validate --base REV`` warns when a text changed in it since
    REV and a translation did not (or the other way round). One of ``languages``."""
    prevailing_language: Language | None = None
    """The language whose edition prevails in case of any discrepancy or doubt between
    the editions, as every edition states; left out, the source language. One of
    ``languages``."""
    currency: Currency
    """The currency of every amount (ISO 4217)."""
    locales: Locales = Field(default_factory=Locales)
    """Regional conventions per language, where the default is not the one readers use."""
    parties: list[Party] = Field(min_length=2)
    """The departments bound: marketing and sales, optionally customer service."""
    summary: Text
    """What service is delivered, to whom, and how success is measured."""
    goals: list[Goal] = Field(min_length=1)
    """The shared goals, SMART."""
    needs: list[Need] = Field(min_length=1)
    """What each party needs from another."""
    definitions: Definitions
    """The shared vocabulary."""
    qualification: Qualification
    """How leads are qualified."""
    handoff: Handoff
    """How a lead passes from Marketing to Sales, and back."""
    nurturing: Nurturing
    """How Marketing matures leads not ready for Sales."""
    follow_up: FollowUp
    """How fast and how often Sales follows up each lead."""
    kpis: list[Kpi] = Field(min_length=1)
    """The indicators reviewed together."""
    communication: Communication
    """Meetings and reports."""
    conflict_resolution: ConflictResolution
    """Who settles disputes and how they escalate."""
    rewards: Text
    """What the teams get when both reach their goals."""
    consequences: Text
    """What happens when goals are missed."""
    cancellation: Cancellation
    """When the agreement ends."""
    signatories: list[Signatory] = Field(min_length=2)
    """Who signs, one or more per party."""
    inputs: Inputs
    """The figures the targets are computed from."""
    revisions: list[Revision] = Field(default_factory=list)
    """The revision history: one entry per version, with its summary in every language."""
    name: Text | None = None
    """The agreement's display name, per language, for the cover and the running header
    (``Acme``); left out, the title."""

    @property
    def original_language(self) -> Language:
        """The language texts are written in first: ``source_language``, else the first
        of ``languages``."""
        return source_language(self.source_language, self.languages) or self.languages[0]

    @property
    def prevailing_edition(self) -> Language:
        """The language of the edition that prevails: ``prevailing_language``, else the
        source language."""
        return self.prevailing_language or self.original_language
