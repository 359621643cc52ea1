"""Validate loaded data against :class:`Agreement`, every error at its place.

Pydantic reports every error of a document at once, each with a ``loc`` that is the
same tuple of keys and indices the loader recorded positions for; this module turns
each into a :class:`Diagnostic` with a stable code and, where it helps, a hint.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sla_docs.errors import Diagnostic
from sla_docs.model.agreement import Agreement
from sla_docs.model.types import PATTERN_WORDS
from sla_docs.model.walk import field_keys, model_at
from sla_docs.source.load import Source, YamlPath

UNKNOWN_KEY = "SLA101"
MISSING_KEY = "SLA102"
WRONG_TYPE = "SLA103"
OUT_OF_RANGE = "SLA104"
NOT_ALLOWED = "SLA105"
INVALID_VALUE = "SLA106"
M = TypeVar("M", bound=BaseModel)

_RANGE_TYPES = {
    "greater_than", "greater_than_equal", "less_than", "less_than_equal",
    "too_short", "too_long", "string_too_short", "string_too_long",
    "rate_range", "rate_zero", "duration_range", "goal_target_range",
}
_CHOICE_TYPES = {"literal_error", "enum", "currency_unknown", "time_zone_unknown"}


def parse_agreement(source: Source) -> tuple[Agreement | None, list[Diagnostic]]:
    """The validated agreement (None when invalid) and a diagnostic for every model error."""
    return parse_document(source, Agreement)


def parse_document(source: Source, root: type[M]) -> tuple[M | None, list[Diagnostic]]:
    """``source`` validated as a ``root`` document, with a diagnostic for every error."""
    try:
        return root.model_validate(source.data), []
    except ValidationError as error:
        return None, [_diagnostic(source, detail, root) for detail in error.errors()]


def _diagnostic(source: Source, detail: ErrorDetails, root: type[BaseModel]) -> Diagnostic:
    loc = tuple(detail["loc"])
    at_key = bool(loc) and loc[-1] == "[key]"
    path: YamlPath = tuple(step for step in loc if step != "[key]")
    kind = detail["type"]
    if kind == "extra_forbidden":
        return _unknown_key(source, path, root)
    if kind == "missing":
        where = ".".join(str(step) for step in path[:-1]) or "the top level"
        return source.diagnostic(path, MISSING_KEY, f"missing `{path[-1]}` in {where}",
                                 hint=_missing_hint(path, root))
    message = _message(detail)
    if kind in _CHOICE_TYPES:
        choices = _choices(detail)
        hint = _suggest(detail["input"], choices) if choices else None
        return source.diagnostic(path, NOT_ALLOWED, message, hint=hint, at_key=at_key)
    if kind in _RANGE_TYPES:
        return source.diagnostic(path, OUT_OF_RANGE, message, at_key=at_key)
    if kind.endswith(("_type", "_parsing")) or kind == "text_not_per_language":
        return source.diagnostic(path, WRONG_TYPE, message, at_key=at_key)
    return source.diagnostic(path, INVALID_VALUE, message, at_key=at_key)


def _unknown_key(source: Source, path: YamlPath, root: type[BaseModel]) -> Diagnostic:
    key = str(path[-1])
    section = model_at(root, path[:-1])
    allowed = list(field_keys(section)) if section else []
    return source.diagnostic(path, UNKNOWN_KEY, f"unknown key `{key}`",
                             hint=_suggest(key, allowed), at_key=True)


def _missing_hint(path: YamlPath, root: type[BaseModel]) -> str | None:
    """The field's own description says what belongs there."""
    section = model_at(root, path[:-1])
    if section is None:
        return None
    for name, info in section.model_fields.items():
        if (info.alias or name) == path[-1] and info.description:
            return info.description.rstrip(".")
    return None


def _message(detail: ErrorDetails) -> str:
    message = detail["msg"]
    # pydantic's "Value error, …" prefix says nothing to an agreement's editor.
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if detail["type"] == "string_pattern_mismatch":
        message = f"`{detail['input']}` is not in the expected form ({_pattern_words(detail)})"
    # pydantic writes a Decimal bound as its repr: `… equal to Decimal('0.01')`
    message = re.sub(r"Decimal\('([^']*)'\)", r"\1", message)
    return message[:1].lower() + message[1:]


def _pattern_words(detail: ErrorDetails) -> str:
    pattern = str((detail.get("ctx") or {}).get("pattern", ""))
    return PATTERN_WORDS.get(pattern, f"pattern {pattern}")


def _choices(detail: ErrorDetails) -> list[str]:
    expected = str((detail.get("ctx") or {}).get("expected", ""))
    return [part.strip(" '\"") for part in expected.replace(" or ", ", ").split(",") if part]


def _suggest(value: Any, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None
