"""``sla init``: write a new, commented agreement that validates, ready to edit.

The skeleton ships in ``templates/init/agreement.yaml`` with every text in all five
languages. Each language entry there is one ``<lang>: …`` line (or a block indented
under it), so leaving out a language is leaving out its lines; the comments stay.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path

from sla_docs.assets import templates_dir
from sla_docs.errors import SlaError, UsageError
from sla_docs.files import BUILD_DIR, write_atomic
from sla_docs.model.languages import LANGUAGES
from sla_docs.model.schema import SCHEMA_FILE_NAME
from sla_docs.model.types import IDENTIFIER_PATTERN

_LANGUAGE_LINE = re.compile(rf"^(?P<indent> *)(?P<lang>{'|'.join(LANGUAGES)}): ")


def skeleton_text() -> str:
    """The commented skeleton agreement, as shipped in the package."""
    return (templates_dir() / "init" / "agreement.yaml").read_text("utf-8")


def new_agreement(identifier: str, languages: Sequence[str], today: dt.date) -> str:
    """The skeleton with its id, dates and languages filled in."""
    if not re.match(IDENTIFIER_PATTERN, identifier):
        raise UsageError(f"`{identifier}` is not a valid agreement id: use lower-case "
                         "letters, digits, `-` and `_`, starting with a letter")
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or not languages:
        raise UsageError(f"--lang takes some of {', '.join(LANGUAGES)}")
    text = _keep_languages(skeleton_text(), set(languages))
    next_review = today + dt.timedelta(days=91)
    return (text.replace("__ID__", identifier)
            .replace("__LANGUAGES__", ", ".join(lang for lang in LANGUAGES if lang in languages))
            .replace("__EFFECTIVE_DATE__", today.isoformat())
            .replace("__NEXT_REVIEW__", next_review.isoformat()))


def write_new_agreement(identifier: str, directory: Path, languages: Sequence[str],
                        today: dt.date | None = None) -> Path:
    """Write ``<directory>/<identifier>.yaml``; never overwrites an existing file."""
    text = new_agreement(identifier, languages, today or dt.date.today())
    target = directory / f"{identifier}.yaml"
    # The editor resolves the schema relative to the file; point it at this project's build.
    schema = os.path.relpath(BUILD_DIR.resolve() / SCHEMA_FILE_NAME, directory.resolve())
    text = text.replace(f"$schema=../{BUILD_DIR}/{SCHEMA_FILE_NAME}", f"$schema={schema}", 1)
    if target.exists():
        raise SlaError(f"{target}: already exists; choose another name or move it away")
    write_atomic(target, text.encode("utf-8"))
    return target


def _keep_languages(text: str, keep: set[str]) -> str:
    kept: list[str] = []
    blank: list[str] = []  # blank lines inside a dropped block go with it, others stay
    dropping_below: int | None = None
    for line in text.splitlines(keepends=True):
        if not line.strip():
            blank.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        if dropping_below is not None and indent > dropping_below:
            blank.clear()
            continue
        kept.extend(blank)
        blank.clear()
        dropping_below = None
        match = _LANGUAGE_LINE.match(line)
        if match and match["lang"] not in keep:
            dropping_below = len(match["indent"])
            continue
        kept.append(line)
    return "".join(kept + blank)
