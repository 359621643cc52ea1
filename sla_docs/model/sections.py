"""The sections of the agreement, as the articles in shared/seeds describe them.

Who is bound (parties, contacts, signatories), what they aim at (goals, needs, KPIs),
the shared vocabulary (definitions, qualification), how a lead moves (handoff,
nurturing, follow-up), and how the teams live with the agreement (communication,
conflict resolution, rewards, consequences, cancellation).
"""

import datetime as dt
from typing import Literal

from pydantic import Field

from sla_docs.model.base import Section
from sla_docs.model.types import (
    Attempts,
    Cadence,
    Channel,
    ContactId,
    ContactRef,
    Count,
    Date,
    Days,
    Duration,
    Email,
    Flag,
    GoalTarget,
    Identifier,
    Name,
    PartyId,
    PartyKind,
    PartyRef,
    Period,
    PositiveCount,
    SignatoryId,
    TermId,
    TermRef,
    Text,
    TrackId,
    TrackRef,
    Unit,
    Version,
)


class Contact(Section):
    """A person who answers for a party's side of the agreement."""

    id: ContactId
    """Short name other sections use to refer to this person (``amy-chen``)."""
    name: Name
    """The person's name."""
    role: Text
    """Their role, per language (``Sales director``)."""
    email: Email
    """Where to reach them."""


class Party(Section):
    """A department bound by the agreement."""

    id: PartyId
    """Short name other sections use to refer to this party (``marketing``)."""
    kind: PartyKind
    """Which department this is: marketing, sales or customer_service."""
    name: Text
    """The department's name, per language."""
    contacts: list[Contact] = Field(min_length=1)
    """Its points of contact: who makes sure its goals are met, who reports."""


class Goal(Section):
    """A shared, SMART goal: a metric, a number, a period and one owner."""

    id: Identifier
    """Short name of the goal."""
    metric: Text
    """What is measured, per language (``Qualified leads delivered to Sales``)."""
    target: GoalTarget | None = None
    """The number to reach in each period, or the figure it is (``targets.leads``).

    A goal without one is not measurable."""
    unit: Unit | None = None
    """What the number counts when it is not obvious (``leads``, ``currency``, ``hours``)."""
    period: Period | None = None
    """The span the target is measured over; a goal without one is not time-bound."""
    owner: PartyRef
    """The party that answers for the goal."""


class Need(Section):
    """What one party needs from another to reach its goals."""

    from_party: PartyRef = Field(alias="from")
    """The party that provides it."""
    to_party: PartyRef = Field(alias="to")
    """The party that needs it."""
    what: Text
    """What is provided, per language."""


class Term(Section):
    """A word both teams must mean the same thing by."""

    term: Text
    """The word itself, per language (``MQL``, ``lead``)."""
    meaning: Text
    """What it means, per language."""


class Stage(Section):
    """A stage of the sales process an opportunity moves through."""

    id: Identifier
    """Short name of the stage."""
    name: Text
    """The stage's name, per language."""
    meaning: Text
    """When an opportunity is in this stage, per language."""


class Definitions(Section):
    """The shared vocabulary: at least lead, MQL and SQL, and the opportunity stages."""

    terms: dict[TermId, Term] = Field(min_length=1)
    """Terms by id; ``lead``, ``mql`` and ``sql`` are required."""
    stages: list[Stage] = Field(min_length=1)
    """The opportunity stages, in order."""


class Scoring(Section):
    """Lead-scoring thresholds."""

    maximum: PositiveCount = 100
    """The highest score a lead can reach."""
    mql: Count
    """Score from which a lead is marketing-qualified."""
    sql: Count
    """Score from which a lead is sales-qualified; above the MQL threshold."""


class Qualification(Section):
    """How a lead is judged: fit (who they are) and interest (what they did)."""

    fit: list[Text] = Field(min_length=1)
    """Fit criteria: role, company, the target persona."""
    interest: list[Text] = Field(min_length=1)
    """Interest criteria: awareness, consideration, urgency."""
    scoring: Scoring
    """Score thresholds for MQL and SQL."""


class Notification(Section):
    """How Sales learns that a lead is theirs."""

    channels: list[Channel] = Field(min_length=1)
    """Where the notice goes."""
    within: Duration
    """How soon after the trigger the notice is sent."""


class Recycle(Section):
    """When and how Sales hands a lead back to Marketing."""

    after_attempts: Attempts | None = None
    """Hand back after this many attempts without a connection (default: the follow-up's)."""
    after_days: Days | None = None
    """Or after this many days without a connection."""
    to_track: TrackRef
    """The nurturing track a returned lead joins."""
    rule: Text
    """The rule in words, per language, including what Sales records about why."""


class Handoff(Section):
    """The passage of a lead from Marketing to Sales."""

    at: TermRef = "mql"
    """The defined stage at which Marketing hands a lead over (default ``mql``)."""
    accepted_as: TermRef = "sql"
    """The defined stage a lead has once Sales accepts it (default ``sql``)."""
    trigger: Text
    """What triggers the handoff: a score threshold, a demo request…"""
    shared: list[Text] = Field(min_length=1)
    """What Marketing passes on with each lead."""
    notification: Notification
    """How Sales is told."""
    recycle: Recycle
    """How a lead goes back to Marketing."""


class Track(Section):
    """A nurturing track: a sequence of content for one kind of lead."""

    id: TrackId
    """Short name of the track."""
    name: Text
    """The track's name, per language."""
    description: Text
    """What the track sends and to whom, per language."""


class Nurturing(Section):
    """How Marketing matures leads that are not ready for Sales."""

    description: Text
    """The nurturing process, per language."""
    tracks: list[Track] = Field(min_length=1)
    """The tracks a lead can be enrolled in."""
    sales_can_enroll: Flag = True
    """Whether Sales may enrol a lead in a track by hand."""


class FollowUp(Section):
    """Speed and depth of Sales' follow-up on every lead handed over."""

    first_contact_within: Duration
    """How soon after the handoff Sales makes the first attempt (``1h``)."""
    attempts: Attempts
    """How many attempts Sales makes before a lead may go back to Marketing."""
    over_days: Days
    """Over how many days those attempts are spread."""
    interval: Duration | None = None
    """The least time between two attempts."""
    channels: list[Channel] = Field(min_length=1)
    """How the attempts are made."""
    notes: Text | None = None
    """Anything else about the follow-up, per language."""


class Kpi(Section):
    """A key performance indicator the teams review together."""

    id: Identifier
    """Short name of the indicator."""
    owner: PartyRef
    """The party whose work it measures."""
    name: Text
    """What is measured, per language."""
    target: Text | None = None
    """The level aimed at, in words, per language."""


class Meeting(Section):
    """A recurring meeting between the parties."""

    id: Identifier
    """Short name of the meeting."""
    name: Text
    """The meeting's name and purpose, per language."""
    cadence: Cadence
    """How often it is held."""
    participants: list[PartyRef] = Field(min_length=2)
    """The parties that attend."""


class Report(Section):
    """A report one party sends another on a fixed cadence."""

    id: Identifier
    """Short name of the report."""
    name: Text
    """What the report covers, per language."""
    from_party: PartyRef = Field(alias="from")
    """The party that writes it."""
    to_party: PartyRef = Field(alias="to")
    """The party that receives it."""
    cadence: Cadence
    """How often it is sent."""


class Communication(Section):
    """How the parties keep each other informed."""

    meetings: list[Meeting] = Field(min_length=1)
    """The recurring meetings."""
    reports: list[Report] = Field(min_length=1)
    """The recurring reports."""


class Escalation(Section):
    """One step of the escalation ladder."""

    after: Duration
    """How long a disagreement may stand before this step."""
    to: ContactRef
    """The contact it is escalated to."""
    action: Text
    """What happens at this step, per language."""


class ConflictResolution(Section):
    """How disagreements are settled."""

    referents: list[ContactRef] = Field(min_length=2)
    """The contacts, one per side at least, who settle disputes first."""
    escalation: list[Escalation] = Field(min_length=1)
    """What happens when they cannot."""
    mediator: ContactRef | None = None
    """A neutral contact who mediates, if the parties named one."""
    arbiter: Contact | None = None
    """Someone senior to every party (the CRO, the general manager), in no party, whom
    the last escalation step can go to (``to:`` their id), so that no party's own
    subordinate settles a dispute."""


class Cancellation(Section):
    """When the agreement ends."""

    conditions: list[Text] = Field(min_length=1)
    """The circumstances that end the agreement, each per language."""
    notice: Duration | None = None
    """How long before ending it a party must say so."""


class Signatory(Section):
    """A person who signs the agreement for a party."""

    id: SignatoryId
    """Short name of the signatory; it names their signature field."""
    name: Name
    """Their name, as it is printed under the signature line."""
    title: Text
    """Their title, per language."""
    party: PartyRef
    """The party they sign for."""
    email: Email | None = None
    """The e-mail address their signing certificate carries (its subjectAltName); when
    given, ``sla sign`` and ``sla verify`` recognise their certificate by it, compared
    ignoring case, instead of by its common name matching ``name``."""


class Review(Section):
    """When the agreement is looked at again."""

    cadence: Cadence
    """How often the teams review the agreement and its targets."""
    next_review: Date | None = None
    """The date of the next review."""


class Revision(Section):
    """One version of the agreement, as its revision table shows it: no git identity, no
    commit subject, only what the parties agreed, in every language of the agreement."""

    version: Version
    """The version this entry describes (``1.1``)."""
    date: dt.date | None = None
    """When it was agreed. Left out: the date of the commit that raised the version to
    it; for the version being built and not yet committed, the effective date."""
    summary: Text
    """What this version changed, per language (``Initial version of the agreement.``)."""


class Locales(Section):
    """Which regional conventions each language's edition follows for numbers and dates.

    Every language has one default; name another only where readers expect it
    (``pt: pt_PT`` for an edition read in Portugal).
    """

    en: Literal["en_US", "en_GB", "en_IE", "en_CA", "en_AU"] = "en_US"
    """English: American by default (``December 1, 2026``; ``en_GB`` writes ``1 December 2026``)."""
    it: Literal["it_IT", "it_CH"] = "it_IT"
    """Italian: Italy by default."""
    fr: Literal["fr_FR", "fr_BE", "fr_CA", "fr_CH"] = "fr_FR"
    """French: France by default."""
    es: Literal["es_ES", "es_MX", "es_AR", "es_CO", "es_CL", "es_US"] = "es_ES"
    """Spanish: Spain by default."""
    pt: Literal["pt_BR", "pt_PT"] = "pt_BR"
    """Portuguese: Brazil by default; ``pt_PT`` for Portugal."""
