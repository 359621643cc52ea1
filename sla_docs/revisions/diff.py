"""``sla diff``: an agreement at two git revisions, what changed, and a redline.

Both versions go through the normal pipeline (load, model, check): a version that is
invalid is reported with every problem at ``file@revision:line:col``, and nothing is
compared. The change list is :mod:`sla_docs.revisions.changes`; the redline is the new
edition with the words inserted since the old one underlined in green and the words
deleted struck through in red, in Markdown or PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sla_docs.check.stale import stale_translations
from sla_docs.check.validate import ValidAgreement, check_bytes, require_valid
from sla_docs.editions.edition import Edition
from sla_docs.editions.job import edition_date
from sla_docs.editions.pdf import PrintJob, pdf_bytes
from sla_docs.editions.render import render
from sla_docs.files import write_atomic
from sla_docs.revisions.changes import changes, format_changes, stale_lines
from sla_docs.revisions.markdown_redline import redline_markdown
from sla_docs.revisions.redline import redline_html
from sla_docs.source.git import WORKING_TREE, RevisionError, read_revision

RedlineFormat = Literal["md", "pdf"]


@dataclass(frozen=True)
class Version:
    """One version of an agreement, valid."""

    valid: ValidAgreement
    """The validated source."""
    label: str
    """The revision as the user named it (``HEAD~1``), or ``working tree``."""

    @property
    def source_name(self) -> str:
        """The source's file name, as an edition cites it (without ``@revision``)."""
        return Path(self.valid.path.split("@")[0]).name


def version_at(path: Path, revision: str | None, today: dt.date) -> Version:
    """The agreement at ``revision``, validated; :class:`InvalidAgreement` if it is not valid."""
    raw, name = read_revision(path, revision)
    return Version(require_valid(check_bytes(raw, name, today)), revision or WORKING_TREE)


def change_list(path: Path, old_revision: str, new_revision: str | None, language: str,
                output: str, today: dt.date) -> str:
    """What changed in ``path`` from one revision to the other, written for ``language``."""
    old, new = version_at(path, old_revision, today), version_at(path, new_revision, today)
    found = changes(old.valid.agreement, new.valid.agreement, old.valid.source.data,
                    new.valid.source.data, language)
    stale = stale_lines(stale_translations(new.valid.source, old.valid.source),
                        new.valid.agreement, language)
    title = (f"{new.valid.agreement.id} {old.valid.agreement.version} → "
             f"{new.valid.agreement.version} ({old.label} → {new.label})")
    return format_changes(found, output, language, title, stale)  # type: ignore[arg-type]


def redline(path: Path, old_revision: str, new_revision: str | None, language: str,
            kind: RedlineFormat, today: dt.date) -> bytes:
    """The new version's edition in ``language``, marked with what changed since the old."""
    versions = [version_at(path, rev, today) for rev in (old_revision, new_revision)]
    editions = [_edition(v, language) for v in versions]
    if kind == "md":
        return redline_markdown(render(editions[0], "md"), render(editions[1], "md")).encode()
    html = redline_html(render(editions[0], "html"), render(editions[1], "html"))
    return _printed(html, versions[1], editions[1])


def write_redline(path: Path, old_revision: str, new_revision: str | None, language: str,
                  kind: RedlineFormat, target: Path, today: dt.date) -> None:
    """Write :func:`redline` to ``target`` (through a temporary file and a rename)."""
    write_atomic(target, redline(path, old_revision, new_revision, language, kind, today))


def _edition(version: Version, language: str) -> Edition:
    agreement, source = version.valid.agreement, version.valid.source
    if language not in agreement.languages:
        raise RevisionError(f"{version.valid.path}: has no {language} edition "
                            f"(its languages: {', '.join(agreement.languages)})")
    return Edition(agreement, language, version.source_name, source.sha256,
                   edition_date(agreement))


def _printed(html: str, version: Version, edition: Edition) -> bytes:
    source = version.valid.source
    return pdf_bytes(PrintJob(html, version.source_name, source.text,
                              source.sha256, edition.language, edition.created,
                              signature_fields=False))  # a redline is read, not signed
