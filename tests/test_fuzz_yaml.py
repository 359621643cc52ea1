"""Mutated sample agreements never crash validation, the targets or the editions' text.

Structure-aware: each sample is loaded, one to three of its values are replaced by
hostile ones (huge, tiny, negative, non-finite, wrong types, far dates, odd unicode,
deep nesting), keys are dropped or duplicated, or random bytes are spliced into its
YAML. Whatever comes out, validation answers with located diagnostics; a source it
accepts gets its targets computed and its Markdown and HTML rendered, in-process,
without any exception but the tool's own errors.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla_docs.check.validate import check_bytes, require_valid
from sla_docs.editions.appendix import appendix_markdown
from sla_docs.editions.job import EditionJob, edition_date, render_texts
from sla_docs.errors import SlaError
from sla_docs.source.load import YamlPath, load_bytes
from sla_docs.targets.compute import agreement_targets
from tests.conftest import ROOT, TODAY


class Raw(str):
    """A scalar written into the YAML as it is (``1e400``, ``.nan``, ``[]``)."""


def emit(value: Any, indent: int = 0) -> str:
    """``value`` as block YAML; strings double-quoted (JSON's quoting is YAML's too)."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        return "".join(f"\n{pad}{json.dumps(str(key))}:{emit(item, indent + 2)}"
                       for key, item in value.items())
    if isinstance(value, list) and value:
        return "".join(f"\n{pad}-" + item_yaml(item, indent + 2) for item in value)
    return " " + scalar(value)


def item_yaml(item: Any, indent: int) -> str:
    """A list item after its dash: a scalar on the line, a collection on the next lines."""
    if isinstance(item, dict | list) and item:
        return f"\n{' ' * indent}{emit(item, indent).lstrip()}"
    return emit(item, indent)


def scalar(value: Any) -> str:
    """One scalar (or an empty collection) in YAML."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value)


SAMPLES = {name: load_bytes((ROOT / "agreements" / f"{name}.yaml").read_bytes(), name).data
           for name in ("acme", "globex")}


def leaves(value: Any, path: YamlPath = ()) -> list[YamlPath]:
    """The path of every scalar, and of every mapping and list, in ``value``."""
    found: list[YamlPath] = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += leaves(item, (*path, index))
    return found


LANGUAGE_KEYS = {"en", "it", "fr", "es", "pt"}
PATHS = {name: [path for path in leaves(data) if path[-1] not in LANGUAGE_KEYS]
         for name, data in SAMPLES.items()}
"""Where mutations land: every value but the prose of each language, which is most of a
sample and whose mutations the other tests cover (a text is a text)."""
TEXT_PATHS = {name: [path for path in leaves(data) if path[-1] in LANGUAGE_KEYS]
              for name, data in SAMPLES.items()}
HOSTILE = [Raw(text) for text in (
    "9999999999999999999999", "1e400", "1e-30", "-1", "0", "-0.0", ".nan", ".inf", "-.inf",
    "1e15", "1000000000000001", "0.0000001", "150%", "0%", "-5%", "'1e400'", "'NaN'",
    "0001-01-01", "9999-12-31", "9999999999d", "P99999999999D", "0s", "0.5s", "'PT'",
    "1000000000", "[]", "{}", "[1, [2]]", "{a: {b: 1}}", "true", "null", "''", "' '",
    "'Europe'", "'../../etc/passwd'", "'XYZ'", "'25:00'", "12:30", "2026-02-30", "0x10",
    "'١٢٣'", "'\\u202e'", "'\\0'", "'{{ targets.nope }}'", "'{{ targets.leads }}'",
    "'{% for x in y %}'", "'![x](http://example.com/x.png)'", "'<script>x</script>'",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
)]
VALUES = st.one_of(
    st.integers(-(10**30), 10**30),
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.text(max_size=30),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.booleans(),
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A sample with one to three structural mutations, as YAML bytes.

    Choices go through a Random that Hypothesis seeds: its own draws favour the first
    of a list and small numbers, and would try the same few places over and over.
    """
    rng = draw(st.randoms(use_true_random=True))
    name = rng.choice(sorted(SAMPLES))
    data = copy.deepcopy(SAMPLES[name])
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(TEXT_PATHS[name] if rng.random() < 0.1 else PATHS[name])
        parent = reach(data, path[:-1])
        key = path[-1]
        if isinstance(parent, list) and not (isinstance(key, int) and key < len(parent)):
            continue  # an earlier mutation shortened the list
        if parent is None or (isinstance(parent, dict) and key not in parent):
            continue  # or removed the way there
        operation = rng.choice(["replace"] * 6 + ["drop", "duplicate"])
        if operation == "replace":
            parent[key] = rng.choice(HOSTILE) if rng.random() < 0.7 else draw(VALUES)
        elif operation == "drop":
            del parent[key]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    text = emit(data).lstrip("\n")
    if rng.random() < 0.1:  # a line pasted twice
        lines = text.split("\n")
        at = rng.randrange(len(lines))
        lines.insert(at, lines[at])
        text = "\n".join(lines)
    return text.encode("utf-8", errors="surrogatepass")


def reach(data: Any, path: YamlPath) -> Any:
    """The mapping or list at ``path``, or None where a mutation removed the way."""
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data if isinstance(data, dict | list) else None


def run_pipeline(raw: bytes) -> None:
    """Validate; if valid, compute the targets and render the appendix, Markdown, HTML."""
    checked = check_bytes(raw, "fuzz.yaml", TODAY)
    for diagnostic in checked.diagnostics:
        assert diagnostic.position.line >= 1 and diagnostic.position.column >= 1
    if checked.errors():
        return
    try:
        valid = require_valid(checked)
    except SlaError:
        return
    agreement = valid.agreement
    targets = agreement_targets(agreement)
    language = agreement.languages[0]
    appendix_markdown(targets, agreement, language)
    job = EditionJob(agreement, language, ("md", "html"), "fuzz.yaml", valid.source.text,
                     valid.source.sha256, edition_date(agreement))
    texts, _ = render_texts(job)
    assert texts["md"] and texts["html"]


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_mutated_samples_never_crash(raw: bytes) -> None:
    run_pipeline(raw)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SAMPLES)), st.integers(0, 10**6), st.binary(min_size=1,
                                                                          max_size=12))
def test_random_bytes_spliced_into_a_sample(name: str, where: int, junk: bytes) -> None:
    text = emit(SAMPLES[name]).lstrip("\n").encode()
    at = where % len(text)
    run_pipeline(text[:at] + junk + text[at:])
