"""Stage 7, revise: an agreement at two git revisions, what changed, and a redline.

Both versions go through the normal pipeline (load, model, check): a version that is
invalid is reported with every problem at ``file@revision:line:col``, and nothing is
compared. The change list is :mod:`sla_docs.changes`; the redline is the new
edition with the words inserted since the old one underlined in green and the words
deleted struck through in red, in Markdown or PDF.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sla_docs.errors import Diagnostic, InvalidAgreement, SlaError
from sla_docs.validate import Checked, check_bytes

if TYPE_CHECKING:
    from sla_docs.render import Edition

RedlineFormat = Literal["md", "pdf"]
WORKING_TREE = "working tree"


class RevisionError(SlaError):
    """A revision that cannot be read: not a git repository, no such revision or file."""


@dataclass(frozen=True)
class Version:
    """One version of an agreement, valid."""

    checked: Checked
    """The validated source."""
    label: str
    """The revision as the user named it (``HEAD~1``), or ``working tree``."""

    @property
    def source_name(self) -> str:
        """The source's file name, as an edition cites it (without ``@revision``)."""
        return Path(self.checked.path.split("@")[0]).name


def read_revision(path: Path, revision: str | None) -> tuple[bytes, str]:
    """The bytes of ``path`` at ``revision`` (None: the working tree) and a name for messages."""
    if revision is None:
        try:
            return path.read_bytes(), str(path)
        except OSError as error:
            raise RevisionError(f"{path}: {error.strerror or error}") from None
    folder = path.resolve().parent
    root = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    relative = path.resolve().relative_to(root).as_posix()
    return _git(root, "show", f"{revision}:{relative}", what=f"{path} at {revision}"), \
        f"{path}@{revision}"


def _git(folder: Path, *args: str, what: str | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RevisionError(f"git could not run: {error}") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(f"cannot read {what or folder}: "
                            f"{reason[-1] if reason else 'git failed'}")
    return done.stdout


def version_at(path: Path, revision: str | None, today: dt.date) -> Version:
    """The agreement at ``revision``, validated; :class:`InvalidAgreement` if it is not valid."""
    raw, name = read_revision(path, revision)
    checked = check_bytes(raw, name, today)
    if checked.errors() or checked.agreement is None:
        raise InvalidAgreement(checked.errors())
    return Version(checked, revision or WORKING_TREE)


def change_list(path: Path, old_revision: str, new_revision: str | None, language: str,
                output: str, today: dt.date) -> str:
    """What changed in ``path`` from one revision to the other, written for ``language``."""
    from sla_docs.changes import changes, format_changes

    old, new = version_at(path, old_revision, today), version_at(path, new_revision, today)
    assert old.checked.agreement and new.checked.agreement and old.checked.source \
        and new.checked.source  # valid, as version_at promises
    found = changes(old.checked.agreement, new.checked.agreement, old.checked.source.data,
                    new.checked.source.data, language)
    title = (f"{new.checked.agreement.id} {old.checked.agreement.version} → "
             f"{new.checked.agreement.version} ({old.label} → {new.label})")
    return format_changes(found, output, language, title)  # type: ignore[arg-type]


def redline(path: Path, old_revision: str, new_revision: str | None, language: str,
            kind: RedlineFormat, today: dt.date) -> bytes:
    """The new version's edition in ``language``, marked with what changed since the old."""
    from sla_docs.redline import redline_html
    from sla_docs.render import render

    versions = [version_at(path, rev, today) for rev in (old_revision, new_revision)]
    editions = [_edition(v, language) for v in versions]
    if kind == "md":
        return redline_markdown(render(editions[0], "md"), render(editions[1], "md")).encode()
    html = redline_html(render(editions[0], "html"), render(editions[1], "html"))
    return _printed(html, versions[1], editions[1])


def write_redline(path: Path, old_revision: str, new_revision: str | None, language: str,
                  kind: RedlineFormat, target: Path, today: dt.date) -> None:
    """Write :func:`redline` to ``target`` (through a temporary file and a rename)."""
    from sla_docs.build import write_atomic

    write_atomic(target, redline(path, old_revision, new_revision, language, kind, today))


def _edition(version: Version, language: str) -> Edition:
    from sla_docs.build import edition_date
    from sla_docs.render import Edition

    agreement, source = version.checked.agreement, version.checked.source
    assert agreement is not None and source is not None
    if language not in agreement.languages:
        raise RevisionError(f"{version.checked.path}: has no {language} edition "
                            f"(its languages: {', '.join(agreement.languages)})")
    return Edition(agreement, language, version.source_name, source.sha256,
                   edition_date(agreement))


def _printed(html: str, version: Version, edition: Edition) -> bytes:
    from sla_docs.pdf import PrintJob, pdf_bytes

    source = version.checked.source
    assert source is not None
    return pdf_bytes(PrintJob(html, version.source_name, source.text,
                              source.sha256, edition.language, edition.created,
                              signature_fields=False))  # a redline is read, not signed


@dataclass(frozen=True)
class HistoryEntry:
    """A version of an agreement as git remembers it."""

    version: str
    """The ``version:`` the commit set."""
    date: dt.date
    """The commit's date."""
    author: str
    """The commit's author."""
    summary: str
    """The commit's subject line."""


_VERSION_LINE = re.compile(r'^\+version:\s*["\']?([^"\'\s#]+)', re.MULTILINE)


def history(path: Path) -> list[HistoryEntry] | None:
    """Each version of ``path`` in git, oldest first; None when it is not in a git repository.

    One ``git log`` of the commits that changed the ``version:`` line: each gives the
    version it set, its date, its author and its subject.
    """
    folder = path.resolve().parent
    try:
        log = _git(folder, "log", "--follow", "--date=short", "-G", r"^version:", "-p",
                   "--unified=0", "--format=%x1e%ad%x1f%an%x1f%s", "--", path.resolve().name)
    except RevisionError:
        return None
    entries = []
    for commit in log.decode("utf-8", errors="replace").split("\x1e")[1:]:
        head, _, patch = commit.partition("\n")
        date, author, subject = [*head.split("\x1f"), "", "", ""][:3]
        found = _VERSION_LINE.search(patch)
        if found:
            entries.append(HistoryEntry(found.group(1), dt.date.fromisoformat(date), author,
                                        subject))
    return list(reversed(entries)) or None


def version_gate(checked: Checked, base: str) -> Diagnostic | None:
    """An error at ``version:`` if the content changed since ``base`` and the version did not rise.

    A file that did not exist at ``base`` is new, and passes.
    """
    from sla_docs.load import load_bytes

    source = checked.source
    if source is None:
        return None
    try:
        raw, name = read_revision(Path(checked.path), base)
        before = load_bytes(raw, name).data
    except SlaError:  # not at that revision (a new file), or unreadable there: no gate
        return None
    old, new = before.get("version"), source.data.get("version")
    if _without_version(before) == _without_version(source.data) or _raised(old, new):
        return None
    return source.diagnostic(("version",), "SLA401",
                             f"the agreement changed since {base} but its version is "
                             f"still {new}", hint=f"raise it above {old}")


def _without_version(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "version"}


def _raised(old: object, new: object) -> bool:
    """Whether ``new`` is a higher version than ``old`` (``1.10`` > ``1.9``)."""
    def parts(version: object) -> tuple[int, ...] | None:
        text = str(version)
        return tuple(int(p) for p in text.split(".")) if re.fullmatch(r"\d+(\.\d+)*",
                                                                       text) else None

    before, after = parts(old), parts(new)
    if before is None or after is None:
        return str(old) != str(new)
    return after > before


_WORDS = re.compile(r"\s+|[^\s]+")


def redline_markdown(old: str, new: str) -> str:
    """The new Markdown with inserted words in ``<ins>`` and deleted ones in ``<del>``.

    Marks never span a line break, so tables and lists keep their shape; GitHub shows
    ``<ins>`` underlined and ``<del>`` struck through.
    """
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += after[j1:j2]
            continue
        out += _marked(before[i1:i2], "del") + _marked(after[j1:j2], "ins")
    return "".join(out)


def _marked(tokens: list[str], tag: str) -> list[str]:
    """Runs of words wrapped in ``tag``, one run per line; whitespace left as it is.

    A deleted line stays a line of its own, struck through, where it was.
    """
    out: list[str] = []
    run: list[str] = []
    for token in tokens:
        if token.isspace() and "\n" in token:
            out += [*_wrap(run, tag), token]
            run = []
        else:
            run.append(token)
    return out + _wrap(run, tag)


def _wrap(run: list[str], tag: str) -> list[str]:
    text = "".join(run)
    if not text.strip():
        return [text]
    core = text.strip()
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return [f"{lead}<{tag}>{core}</{tag}>{trail}"]
