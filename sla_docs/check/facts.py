"""What the rules read: the raw document, walked once, and the targets when they compute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sla_docs.check.termbase import Terms
from sla_docs.errors import Diagnostic, Severity
from sla_docs.model.agreement import Agreement
from sla_docs.model.inputs import Inputs
from sla_docs.model.sections import FollowUp
from sla_docs.model.types import LARGEST_COUNT, Declares, Ref
from sla_docs.model.walk import walk
from sla_docs.source.load import Source, YamlPath
from sla_docs.targets.compute import agreement_targets, compute_targets
from sla_docs.targets.figures import Figure, Targets

M = TypeVar("M", bound=BaseModel)


@dataclass
class Facts:
    """What the rules need, gathered once from the raw data."""

    source: Source
    """The agreement being checked."""
    today: dt.date
    """The date warnings about the calendar are judged against."""
    texts: list[tuple[YamlPath, Any]] = field(default_factory=list)
    """Every prose text with its path."""
    refs: list[tuple[YamlPath, str, str]] = field(default_factory=list)
    """Every reference: path, kind, the id it names."""
    declared: dict[str, dict[str, YamlPath]] = field(default_factory=dict)
    """Every declared id by kind, with where it was first declared."""
    redeclared: list[tuple[YamlPath, str, str]] = field(default_factory=list)
    """Ids declared twice: path of the second, kind, id."""
    inputs: Inputs | None = None
    """The validated ``inputs:``, even when other sections are invalid; None if they are."""
    targets: Targets | None = None
    """The targets computed from :attr:`inputs`; None when the inputs or the follow-up
    are invalid, so that no rule judges a value that could not be computed."""
    figures: Targets | None = None
    """The figures texts and goals may name: :attr:`targets`, or, when only the follow-up
    is invalid, the same figures computed with a stand-in for it (their names exist,
    their values are not read). None when the inputs are invalid."""
    excessive: Figure | None = None
    """A count beyond :data:`LARGEST_COUNT` the inputs lead to: a typing error in them,
    which leaves :attr:`targets` None."""
    refused: frozenset[YamlPath] = frozenset()
    """The paths the model refused: a rule whose finding would only follow from one of
    those errors stays silent."""
    uncertain: set[str] = field(default_factory=set)
    """Kinds (``party``, ``contact``…) with a declaration the model refused: a reference
    to an undeclared one may name it, so it is not reported."""
    terms: Terms | None = None
    """The termbase texts are checked against; None for the package's default."""

    @property
    def data(self) -> dict[str, Any]:
        """The raw document."""
        return self.source.data

    def error(self, path: YamlPath, code: str, message: str, hint: str | None = None,
              *, at_key: bool = False) -> Diagnostic:
        """An error at ``path``."""
        return self.source.diagnostic(path, code, message, hint=hint, at_key=at_key)

    def warning(self, path: YamlPath, code: str, message: str, hint: str | None = None,
                *, at_key: bool = False) -> Diagnostic:
        """A warning at ``path``: fails validation only with --strict."""
        return self.source.diagnostic(path, code, message, hint=hint, at_key=at_key,
                                      severity=Severity.WARNING)


Rule = Callable[[Facts], Iterator[Diagnostic]]


def gather(source: Source, today: dt.date, agreement: Agreement | None = None,
           refused: frozenset[YamlPath] = frozenset(), terms: Terms | None = None) -> Facts:
    """Collect texts, references and declarations in one walk; compute the targets.

    ``refused`` holds the paths of the model's errors, for the rules to skip what only
    follows from them; ``terms`` is the termbase (None: the package's default).
    """
    facts = Facts(source, today, refused=refused, terms=terms)
    for visit in walk(Agreement, source.data):
        if visit.marker is None:
            facts.texts.append((visit.path, visit.value))
        elif visit.path in refused:  # the model reported it; nothing is judged by it
            if isinstance(visit.marker, Declares):
                facts.uncertain.add(visit.marker.kind)
        elif not isinstance(visit.value, str):
            continue  # the model reports it (as refused, when check_agreement is told)
        elif isinstance(visit.marker, Ref):
            facts.refs.append((visit.path, visit.marker.kind, visit.value))
        elif isinstance(visit.marker, Declares):
            seen = facts.declared.setdefault(visit.marker.kind, {})
            if visit.value in seen:
                facts.redeclared.append((visit.path, visit.marker.kind, visit.value))
            else:
                seen[visit.value] = visit.path
    facts.inputs, facts.targets, facts.figures = _targets(source.data, agreement, today)
    if facts.figures is not None:
        facts.excessive = next((figure for figure in facts.figures.figures.values()
                                if figure.kind == "count" and isinstance(figure.value, int)
                                and figure.value > LARGEST_COUNT), None)
        if facts.excessive is not None:  # every other finding about them would follow
            facts.targets = None
    return facts


_STAND_IN = FollowUp.model_construct(
    first_contact_within=dt.timedelta(hours=1), attempts=1, over_days=1, channels=["phone"])
"""What an invalid follow-up is replaced with to learn which figures exist. Built
without validation on purpose: it is never shown, and no rule reads its values."""


def _targets(data: dict[str, Any], agreement: Agreement | None,
             today: dt.date) -> tuple[Inputs | None, Targets | None, Targets | None]:
    """The inputs, the targets and the figures that exist (see :class:`Facts`), from the
    agreement or, when it is invalid, from its valid parts."""
    if agreement is not None:
        targets = agreement_targets(agreement)
        return agreement.inputs, targets, targets
    inputs = valid(Inputs, data.get("inputs"))
    if inputs is None:
        return None, None, None
    follow_up = valid(FollowUp, data.get("follow_up"))
    effective, handoff_at = data.get("effective_date"), get(data, "handoff", "at")
    month = effective if isinstance(effective, dt.date) else today
    handoff_at = handoff_at if isinstance(handoff_at, str) else "mql"
    figures = compute_targets(inputs, follow_up or _STAND_IN, month=month,
                              handoff_at=handoff_at)
    return inputs, figures if follow_up is not None else None, figures


def valid(model: type[M], raw: Any) -> M | None:
    """``raw`` validated as a ``model`` section, or None when the model refuses it."""
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None


def get(data: Any, *keys: str) -> Any:
    """The value at ``keys`` in nested mappings, or None where the path breaks."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty one: rules skip what the model reports."""
    return value if isinstance(value, list) else []


def dotted(path: YamlPath) -> str:
    """A path as a reader writes it: ``goals[0].target``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text
