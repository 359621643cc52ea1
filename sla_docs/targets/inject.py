"""Targets in the prose: ``{{ targets.leads }}`` replaced by the number, per language.

A text may name figures and nothing else: ``{{ targets.NAME }}``, ``{{ inputs.NAME }}``
and ``{{ agreement.effective_date }}``, each optionally through one of the filters
``money``, ``number``, ``percent``, ``duration`` and ``date``. Everything else, from
``{% for %}`` to ``{{ ''.__class__ }}``, is refused before anything runs (:func:`problems`),
and rendering happens in Jinja's sandbox with StrictUndefined anyway, so a text that
slipped past the check still could not reach Python's internals.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from sla_docs.targets.figures import Kind, Targets, Value

MARKERS = ("{{", "{%", "{#")
"""A text without any of these is plain prose and is not templated at all."""
FILTER_KINDS: dict[str, tuple[Kind, ...]] = {
    "money": ("money",),
    "number": ("count", "money", "hours", "minutes", "days"),
    "percent": ("rate",),
    "duration": ("duration", "hours", "minutes", "days"),
    "date": ("date",),
}
"""Each filter and the kinds of figure it can write."""
_AS_NUMBER: dict[Kind, Kind] = {"money": "count", "hours": "count", "minutes": "count",
                                "days": "count"}


@dataclass(frozen=True)
class Quantity:
    """A figure in a template: its value and what it measures."""

    value: Value
    """The exact value."""
    kind: Kind
    """How it is written by default."""


@dataclass(frozen=True)
class Problem:
    """Something wrong with a templated text."""

    expression: int | None
    """Which ``{{ }}`` of the text (0 for the first); None for the text as a whole."""
    code: str
    """SLA224 unknown name, SLA225 not allowed, SLA226 wrong filter, SLA227 syntax."""
    message: str
    """What is wrong."""
    hint: str | None = None
    """How to fix it."""
    opener: str = "{{"
    """For a problem of the whole text: the first of these in the text is where it shows."""


Context = dict[str, Any]
"""Namespaces (``targets``, ``inputs``, ``agreement``) of nested dicts of Quantity."""


def agreement_dates(effective_date: object, next_review: object) -> dict[str, dt.date]:
    """The agreement's dates texts may name (``{{ agreement.effective_date | date }}``),
    those of them that are dates (validation sees raw data, which may hold anything)."""
    candidates = {"effective_date": effective_date, "next_review": next_review}
    return {name: day for name, day in candidates.items() if isinstance(day, dt.date)}


def context(targets: Targets | None, dates: dict[str, dt.date]) -> Context:
    """The names a text may use: every figure under its reference, and the agreement dates."""
    tree: Context = {"targets": {}, "inputs": {}}
    if targets is not None:
        tree.update(targets.tree(lambda figure: Quantity(figure.value, figure.kind)))
    tree["agreement"] = {name: Quantity(day, "date") for name, day in dates.items()}
    return tree


def is_templated(text: str) -> bool:
    """Whether ``text`` contains template syntax at all."""
    return any(marker in text for marker in MARKERS)


def problems(text: str, names: Context | None) -> list[Problem]:
    """Everything wrong with ``text`` as a template; ``names`` None skips name checks."""
    try:
        tree = _ENVIRONMENT.parse(text)
    except TemplateSyntaxError as error:
        where = f" (line {error.lineno} of the text)" if error.lineno > 1 else ""
        return [Problem(None, "SLA227", f"the text's {{{{ }}}} are not well formed: "
                        f"{error.message}{where}",
                        hint="write `{{ targets.NAME }}`; a literal brace is `{{ '{{' }}`",
                        opener="{")]
    if _ends_in_open_comment(text):
        return [Problem(None, "SLA227", "the text ends in `{#`, a comment that is never "
                        "closed, and would be left out of the edition without a word",
                        hint="remove the `{#`, or write it `{{ '{#' }}`", opener="{#")]
    found: list[Problem] = []
    index = 0
    for statement in tree.body:
        if not isinstance(statement, nodes.Output):
            found.append(Problem(None, "SLA225", f"`{{% {_tag(statement)} %}}` is not allowed "
                                 "in a text", hint=_ONLY, opener="{%"))
            continue
        for expression in statement.nodes:
            if isinstance(expression, nodes.TemplateData):
                continue
            found.extend(_expression(expression, index, names))
            index += 1
    return found


def _ends_in_open_comment(text: str) -> bool:
    # Jinja's lexer lets a `{#` at the very end of a template pass as an empty comment
    # (`x {#` renders `x `); anywhere else an unclosed comment is a syntax error.
    if "{#" not in text:
        return False
    tokens = [kind for _, kind, _ in _ENVIRONMENT.lex(text)]
    return bool(tokens) and tokens[-1] == "comment_begin"


_ONLY = "a text may only name figures: `{{ targets.NAME }}`, `{{ inputs.NAME | percent }}`"


def render(text: str, names: Context, write: Callable[[Value, Kind], str]) -> str:
    """``text`` with each figure written by ``write``; plain prose is returned as it is.

    Call :func:`problems` first: this raises :class:`jinja2.TemplateError` on a bad text.
    """
    if not is_templated(text):
        return text
    environment = _ENVIRONMENT.overlay(finalize=lambda value: _finalize(value, write))
    # overlay() shares the filter dict with its parent: give this one its own
    environment.filters = {name: _filter(name, kinds, write)
                           for name, kinds in FILTER_KINDS.items()}
    return environment.from_string(text).render(names)


def _finalize(value: Any, write: Callable[[Value, Kind], str]) -> Any:
    return write(value.value, value.kind) if isinstance(value, Quantity) else value


def _filter(name: str, kinds: tuple[Kind, ...],
            write: Callable[[Value, Kind], str]) -> Callable[[Any], str]:
    def apply(value: Any) -> str:
        if not isinstance(value, Quantity) or value.kind not in kinds:
            raise TemplateError(f"the `{name}` filter cannot write this value")
        kind = _AS_NUMBER.get(value.kind, value.kind) if name == "number" else value.kind
        return write(value.value, kind)

    return apply


def _expression(expression: nodes.Expr, index: int, names: Context | None) -> Iterator[Problem]:
    """One ``{{ }}``: an optional filter over a figure's name, or a string literal."""
    filters: list[nodes.Filter] = []
    while isinstance(expression, nodes.Filter):
        filters.append(expression)
        if expression.args or expression.kwargs or expression.dyn_args or expression.dyn_kwargs:
            yield Problem(index, "SLA225", f"the `{expression.name}` filter takes no arguments")
            return
        expression = expression.node  # type: ignore[assignment]
    if isinstance(expression, nodes.Const) and isinstance(expression.value, str) and not filters:
        return
    path = _dotted(expression)
    if path is None:
        yield Problem(index, "SLA225", "only a figure's name may be written between {{ }}",
                      hint=_ONLY)
        return
    if len(filters) > 1:
        yield Problem(index, "SLA225", "one filter at most", hint=_ONLY)
        return
    if filters and filters[0].name not in FILTER_KINDS:
        yield _unknown_filter(index, filters[0].name)
        return
    if names is not None:
        yield from _resolve(path, index, names, filters[0].name if filters else None)


def _dotted(expression: nodes.Expr) -> list[str] | None:
    """``targets.tiers['c-level'].leads`` as its parts, or None for anything else."""
    parts: list[str] = []
    while True:
        if isinstance(expression, nodes.Getattr):
            parts.append(expression.attr)
            expression = expression.node
        elif (isinstance(expression, nodes.Getitem) and isinstance(expression.arg, nodes.Const)
              and isinstance(expression.arg.value, str)):
            parts.append(expression.arg.value)
            expression = expression.node
        elif isinstance(expression, nodes.Name) and expression.ctx == "load":
            parts.append(expression.name)
            return parts[::-1]
        else:
            return None


def _resolve(path: list[str], index: int, names: Context,
             filter_name: str | None) -> Iterator[Problem]:
    branch: Any = names
    for depth, part in enumerate(path):
        if not isinstance(branch, dict) or part not in branch:
            shown = ".".join(path[: depth + 1])
            known = sorted(branch) if isinstance(branch, dict) else []
            close = difflib.get_close_matches(part, known, n=1, cutoff=0.6)
            hint = (f"did you mean `{'.'.join([*path[:depth], close[0]])}`?" if close
                    else _names_hint(path[:depth], known))
            yield Problem(index, "SLA224", f"`{shown}` is not a figure of this agreement", hint)
            return
        branch = branch[part]
    if isinstance(branch, dict):
        yield Problem(index, "SLA224", f"`{'.'.join(path)}` is a group of figures, not one",
                      hint=_names_hint(path, sorted(branch)))
    elif filter_name and branch.kind not in FILTER_KINDS[filter_name]:
        fitting = [name for name, kinds in FILTER_KINDS.items() if branch.kind in kinds]
        yield Problem(index, "SLA226", f"`{'.'.join(path)}` is {_KIND_WORDS[branch.kind]}: "
                      f"the `{filter_name}` filter cannot write it",
                      hint=f"use `{' or '.join(fitting)}`, or no filter")


_KIND_WORDS: dict[Kind, str] = {
    "money": "an amount", "count": "a count", "rate": "a rate", "hours": "a number of hours",
    "minutes": "a number of minutes", "days": "a number of days", "duration": "a duration",
    "date": "a date",
}


def _names_hint(parents: list[str], known: list[str]) -> str:
    prefix = ".".join(parents)
    if not known:
        return "the agreement's inputs give this no figures"
    listed = ", ".join(f"`{prefix}.{name}`" if prefix else f"`{name}`" for name in known[:8])
    return f"known: {listed}" + (", …" if len(known) > 8 else "")


def _unknown_filter(index: int, name: str) -> Problem:
    close = difflib.get_close_matches(name, list(FILTER_KINDS), n=1, cutoff=0.6)
    hint = f"did you mean `{close[0]}`?" if close else f"filters: {', '.join(FILTER_KINDS)}"
    return Problem(index, "SLA226", f"there is no `{name}` filter", hint)


def _tag(statement: nodes.Node) -> str:
    return type(statement).__name__.lower()


_ENVIRONMENT = SandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
)
_ENVIRONMENT.filters = {name: _filter(name, kinds, lambda value, kind: str(value))
                        for name, kinds in FILTER_KINDS.items()}
