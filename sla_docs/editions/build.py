"""``sla build``: validate every agreement, then write its editions under ``build/``.

Every agreement is validated first and nothing is written unless all are valid, so a
failed build never replaces good outputs with half-made ones. Then each edition (one
agreement in one language) is rendered, in parallel processes with ``jobs`` > 1, and
its files written as ``<out>/<id>/<id>.<lang>.<md|html|pdf>``. Each file is written to
a temporary name beside its target and renamed over it, so an interrupted build leaves
the previous output whole; the workers only return bytes, this process writes them.

An edition whose inputs are unchanged (source, templates, catalogs, fonts, package
version, edition date, formats, revision history) is not rendered again: a stamp of
those inputs is kept in ``<out>/<id>/.stamps.json`` with the SHA-256 of each file it
produced.

A PDF that carries a signature where an edition is to be written (signed in a PDF
reader, which saves in place) is never printed over: the build stops before writing
anything, naming it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sla_docs import __version__
from sla_docs.assets import templates_dir
from sla_docs.editions.job import (
    DEFAULT_FORMATS,
    FORMATS,
    EditionJob,
    OutputFormat,
    edition_date,
    render_texts,
)
from sla_docs.editions.overwrite import make_way
from sla_docs.editions.printers import Printers
from sla_docs.editions.shards import Shard
from sla_docs.errors import InvalidAgreement, OutputError, SlaError, UsageError
from sla_docs.files import BUILD_DIR, read_regular_file, usable_cores, write_atomic
from sla_docs.model.languages import LANGUAGES
from sla_docs.source.discovery import agreement_paths
from sla_docs.source.history import committed_versions

if TYPE_CHECKING:
    from sla_docs.check.validate import ValidAgreement

# The model, the renderer and WeasyPrint are imported where they are used: the
# printers are forked before them and load WeasyPrint while this process validates.

STAMPS_FILE = ".stamps.json"
MOST_STAMPS_BYTES = 16 * 1024 * 1024
"""A stamps file bigger than this is no stamps file of ours: everything is rebuilt."""
MOST_OUTPUT_BYTES = 1024 * 1024 * 1024
"""An output bigger than this is not one a build wrote: it is rebuilt, not read."""


class Progress(Protocol):
    """Told how far a build has gone, to show a progress bar."""

    def start(self, total: int) -> None:
        """``total`` editions are about to be rendered."""

    def advance(self) -> None:
        """One more edition is done."""


Pending = tuple[EditionJob, str]
"""An edition to render, with the stamp of its inputs."""


@dataclass
class BuildResult:
    """What a build did."""

    agreements: list[str]
    """The agreements validated."""
    written: list[Path] = field(default_factory=list)
    """The files written, in order."""
    unchanged: list[Path] = field(default_factory=list)
    """The files left as they were because nothing they depend on changed."""
    skipped: list[str] = field(default_factory=list)
    """Editions asked for but not declared by an agreement (``acme: de``)."""


def build(paths: Sequence[Path], out: Path = BUILD_DIR, *, today: dt.date | None = None,
          languages: Sequence[str] | None = None,
          formats: Sequence[OutputFormat] = DEFAULT_FORMATS, jobs: int | None = None,
          progress: Progress | None = None, shard: str | None = None) -> BuildResult:
    """Validate every agreement, then write each edition asked for under ``out``.

    With ``jobs`` > 1, up to that many PDFs are printed at once in worker processes
    (by default, as many as this process may use cores); with 1, everything happens
    in this process, one edition after another. With ``shard`` (``K/N``), only the
    files of part K of N (:mod:`sla_docs.editions.shards`).
    """
    jobs = usable_cores() if jobs is None else jobs
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    part = Shard.parse(shard) if shard is not None else None
    with Printers[Pending](jobs) as pool:
        if "pdf" in formats and not _probably_built(paths, out):
            pool.start(_most_pdfs(paths, languages, jobs))
        # here, after the printers have started: the model (pydantic) takes a while
        from sla_docs.check.validate import require_valid, validate_paths

        _check_options(languages, formats)
        report = validate_paths(paths, today=today)
        if not report.ok:  # every file's errors at once, not only the first file's
            raise InvalidAgreement([d for checked in [*report.termbases, *report.files]
                                    for d in checked.errors()])
        valid = [require_valid(checked) for checked in report.files]
        return _build_valid(valid, out, _Asked(languages, formats, part), pool, progress)


@dataclass(frozen=True)
class _Asked:
    """Which files the command line asks for."""

    languages: Sequence[str] | None
    """``--lang``: None for each agreement's own."""
    formats: Sequence[OutputFormat]
    """``--format``."""
    shard: Shard | None
    """``--shard``: None for all."""

    def formats_of(self, agreement_id: str, language: str) -> tuple[OutputFormat, ...]:
        """The formats asked for of one edition, in the order they are rendered."""
        return tuple(f for f in FORMATS if f in self.formats and (
            self.shard is None or self.shard.keeps(agreement_id, language, f)))


def _most_pdfs(paths: Sequence[Path], languages: Sequence[str] | None, jobs: int) -> int:
    """How many PDFs a build may print, as far as can be told before validating."""
    if languages and paths and all(path.is_file() for path in paths):
        return len(paths) * len(set(languages))
    return jobs


def _probably_built(paths: Sequence[Path], out: Path) -> bool:
    """Whether this looks like a rebuild with nothing to do: no source newer than a stamp.

    Only a guess, to decide whether printers start before validation (a wrong one
    costs time, never correctness: what is rebuilt is decided on the stamps).
    """
    try:
        newest_stamp = max(p.stat().st_mtime for p in out.glob(f"*/{STAMPS_FILE}"))
    except (ValueError, OSError):  # no stamp yet: a first build
        return False
    try:
        return all(p.stat().st_mtime <= newest_stamp for p in agreement_paths(paths))
    except (OSError, SlaError):  # no source to be found: validation will say so
        return False


def _build_valid(files: list[ValidAgreement], out: Path, asked: _Asked,
                 pool: Printers[Pending], progress: Progress | None) -> BuildResult:
    from sla_docs.model.schema import SCHEMA_FILE_NAME, agreement_schema_text  # pydantic

    result = BuildResult([checked.path for checked in files])
    schema, schema_stamp = out / SCHEMA_FILE_NAME, _schema_stamp()
    schema_due = asked.shard is None or asked.shard.writes_schema
    if schema_due and _up_to_date(out, [schema], schema_stamp):
        result.unchanged.append(schema)
        schema_due = False
    pending = _pending(files, out, asked, result)
    make_way(out, ([schema] if schema_due else []) + [
        path for job, _ in pending for path in _outputs(out, job).values()], result.unchanged)
    if schema_due:
        _store(out, out, schema_stamp, {schema: agreement_schema_text().encode("utf-8")},
               result)
    printing = sum(1 for job, _ in pending if "pdf" in job.formats)
    if printing:
        pool.start(printing)
    else:
        pool.stop()  # nothing to print: any printer started was started for nothing
    if progress is not None and pending:
        progress.start(len(pending))
    failures = _render_all(pending, out, pool, result, progress)
    if failures:
        raise SlaError("\n".join(failures))
    return result


def _pending(files: list[ValidAgreement], out: Path, asked: _Asked,
             result: BuildResult) -> list[Pending]:
    """The editions to render, with their stamps; those up to date go to ``result``."""
    pending: list[Pending] = []
    for checked in files:
        for job in _jobs(checked, asked, result):
            stamp, outputs = _stamp(job), list(_outputs(out, job).values())
            if _up_to_date(out / job.agreement.id, outputs, stamp):
                result.unchanged.extend(outputs)
            else:
                pending.append((job, stamp))
    return pending


def _check_options(languages: Sequence[str] | None, formats: Sequence[str]) -> None:
    unknown = [lang for lang in languages or () if lang not in LANGUAGES]
    if unknown:
        raise UsageError(f"unknown language {', '.join(unknown)}: choose among "
                         f"{', '.join(LANGUAGES)}")
    if not formats or any(f not in FORMATS for f in formats):
        raise UsageError(f"formats are {', '.join(FORMATS)}")


def _jobs(checked: ValidAgreement, asked: _Asked, result: BuildResult) -> list[EditionJob]:
    from sla_docs.model.types import IDENTIFIER_PATTERN  # here: pydantic, as above

    agreement, source = checked.agreement, checked.source
    if not re.fullmatch(IDENTIFIER_PATTERN, agreement.id):  # never a path: no ../ anywhere
        raise OutputError(Path(agreement.id), "not a valid agreement id")
    declared = list(agreement.languages)
    result.skipped += [f"{agreement.id}: {lang}" for lang in asked.languages or ()
                       if lang not in declared]
    chosen = {lang: asked.formats_of(agreement.id, lang)
              for lang in (asked.languages or declared) if lang in declared}
    chosen = {lang: formats for lang, formats in chosen.items() if formats}
    past = committed_versions(Path(checked.path)) if chosen else ()
    return [EditionJob(agreement, lang, formats, Path(checked.path).name, source.text,
                       source.sha256, edition_date(agreement), past)
            for lang, formats in chosen.items()]


def _outputs(out: Path, job: EditionJob) -> dict[OutputFormat, Path]:
    folder = out / job.agreement.id
    return {f: folder / f"{job.agreement.id}.{job.language}.{f}" for f in job.formats}


def _stamp(job: EditionJob) -> str:
    """What an edition's files depend on, as one hash (its git history among them)."""
    digest = hashlib.sha256()
    for part in (__version__, job.source_sha256, job.language, ",".join(job.formats),
                 job.created.isoformat(), _templates_hash(), repr(job.history)):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


@cache
def _templates_hash() -> str:
    """One hash of every template, stylesheet, catalog and font the editions use, and of
    the package's own code: a change to how an edition is written (a typography rule, a
    label) is a new edition even while ``__version__`` stays the same."""
    root, package = templates_dir(), Path(__file__).resolve().parents[1]
    assets = _files_hash(root, [p for p in root.rglob("*") if p.is_file() and "init" not in
                                p.relative_to(root).parts and p.suffix != ".pyc"])
    return assets + _files_hash(package, sorted(package.rglob("*.py")))


def _schema_stamp() -> str:
    """What the JSON Schema depends on: the package version and the model's code."""
    model = Path(__file__).parent.parent / "model"
    return hashlib.sha256(f"{__version__}:{_files_hash(model, list(model.glob('*.py')))}"
                          .encode()).hexdigest()


def _files_hash(root: Path, files: list[Path]) -> str:
    """One hash of ``files``: their names under ``root`` and their contents, in order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _read_stamps(folder: Path) -> dict[str, dict[str, str]]:
    try:
        recorded = read_regular_file(folder / STAMPS_FILE, MOST_STAMPS_BYTES)
        stamps = json.loads(recorded or b"{}")
    except (OSError, ValueError):
        return {}
    return stamps if isinstance(stamps, dict) else {}


def _up_to_date(folder: Path, paths: list[Path], stamp: str) -> bool:
    """Whether every file is there, unchanged since the same inputs made it.

    Only regular files count: a link or a FIFO where an output goes is never read
    (it could lead anywhere, or block), and is replaced.
    """
    stamps = _read_stamps(folder)
    for path in paths:
        recorded = stamps.get(path.name)
        if not isinstance(recorded, dict) or recorded.get("inputs") != stamp:
            return False
        try:
            content = read_regular_file(path, MOST_OUTPUT_BYTES)
        except OSError:
            return False
        if content is None or hashlib.sha256(content).hexdigest() != recorded.get("sha256"):
            return False
    return True


def _render_all(pending: list[Pending], out: Path, pool: Printers[Pending],
                result: BuildResult, progress: Progress | None) -> list[str]:
    """Render every pending edition and write its files; the failures, as messages.

    The texts are rendered here, one edition after another, and each PDF handed to
    the printers, so that this process renders the next texts while they print.
    """

    failures: list[str] = []
    for job, stamp in pending:
        try:
            texts, print_job = render_texts(job)
            _store_edition(out, job, stamp, texts, result)
        except SlaError as error:
            failures.append(error.message)
            continue
        if print_job is None:
            _advance(progress)
        else:
            pool.submit((job, stamp), print_job)
        failures += _store_printed(pool, out, result, progress, wait=False)
    return failures + _store_printed(pool, out, result, progress, wait=True)


def _store_printed(pool: Printers[Pending], out: Path, result: BuildResult,
                   progress: Progress | None, *, wait: bool) -> list[str]:
    """Write the PDFs printed so far (or, with ``wait``, all of them); the failures."""
    failures: list[str] = []
    for (job, stamp), printed in pool.results(wait=wait):
        try:
            if isinstance(printed, SlaError):
                raise printed
            _store_edition(out, job, stamp, {"pdf": printed}, result)
        except SlaError as error:
            failures.append(error.message)
        _advance(progress)
    return failures


def _advance(progress: Progress | None) -> None:
    if progress is not None:
        progress.advance()


def _store_edition(out: Path, job: EditionJob, stamp: str,
                   files: dict[OutputFormat, bytes], result: BuildResult) -> None:
    paths = _outputs(out, job)
    _store(out, out / job.agreement.id, stamp,
           {paths[kind]: c for kind, c in files.items()}, result)


def _store(out: Path, folder: Path, stamp: str, files: dict[Path, bytes],
           result: BuildResult) -> None:
    """Write files of ``folder`` (in ``out``), and record there what they were made from."""
    stamps = _read_stamps(folder)
    for path, content in files.items():
        write_atomic(path, content, within=out)
        result.written.append(path)
        stamps[path.name] = {"inputs": stamp, "sha256": hashlib.sha256(content).hexdigest()}
    text = json.dumps(dict(sorted(stamps.items())), indent=1) + "\n"
    write_atomic(folder / STAMPS_FILE, text.encode("utf-8"), within=out)
