"""The ``sla`` command: parses options and calls one library function per command."""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from pathlib import Path
from typing import Any

import click

from sla_docs import __version__
from sla_docs.cli_translations import translations
from sla_docs.errors import EXIT_INVALID_INPUT, EXIT_OK, UsageError, closed_output, output_failure
from sla_docs.files import BUILD_DIR
from sla_docs.model.languages import LANGUAGES
from sla_docs.source.discovery import AGREEMENTS_DIR

_PATHS = click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path, dir_okay=True)
)
_TODAY = click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True,
    help="Judge dates as if today were this day (for reproducible runs).",
)


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sla")
def cli() -> None:
    """Keep the service level agreement between Marketing and Sales as code."""


@cli.command()
@_PATHS
@click.option("--format", "output", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True, help="How to print what was found.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--base", metavar="REV", help="Fail when an agreement changed since this git "
              "revision but its version was not raised.")
@_TODAY
def validate(paths: tuple[Path, ...], output: Any, strict: bool, base: str | None,
             today: dt.datetime | None) -> None:
    """Check agreements for completeness; every problem at once, each at file:line:col.

    PATHS are agreement files or folders; by default every agreements/*.yaml.
    """
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.check.output import validation_report

    printed, ok = validation_report(paths, output, strict=strict, today=_day(today), base=base)
    click.echo(printed)
    sys.exit(EXIT_OK if ok else EXIT_INVALID_INPUT)


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--from", "old", required=True, metavar="REV",
              help="The git revision to compare from (a commit, tag or branch).")
@click.option("--to", "new", metavar="REV", help="The revision to compare to "
              "(default: the file as it is in the working tree).")
@click.option("--lang", "language", default="en", show_default=True,
              type=click.Choice(LANGUAGES),
              help="The language of the labels, values and redline.")
@click.option("--format", "output", type=click.Choice(["text", "markdown", "json"]),
              default="text", show_default=True,
              help="The change list as text, a pull-request comment, or JSON.")
@click.option("--redline", type=click.Choice(["md", "pdf"]),
              help="Instead, write the new edition with the changes marked.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the redline (required with --redline).")
@_TODAY
def diff(path: Path, old: str, new: str | None, language: str, output: str,
         redline: str | None, output_file: Path | None, today: dt.datetime | None) -> None:
    """What changed in an agreement between two git revisions, in its own terms."""
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.revisions.diff import change_list, write_redline

    day = _day(today) or dt.date.today()
    if redline is None:
        click.echo(change_list(path, old, new, language, output, day), nl=False)
        return
    if output_file is None:
        raise UsageError("--redline needs -o FILE")
    write_redline(path, old, new, language, redline, output_file, day)  # type: ignore[arg-type]
    click.echo(f"wrote {output_file}")


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--leads", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="The CRM's export of leads (CSV).")
@click.option("--deals", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A deals export (deal_id, lead_id, closed_at, amount, source): the "
                   "revenue then comes from the deals won in the period.")
@click.option("--period", required=True, metavar="YYYY-MM", help="The month to report on.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M%z"]),
              help="Take the figures at this moment (no offset: in the agreement's time "
                   "zone; default: the end of the period).")
@click.option("--lang", "language", default="en", show_default=True, type=click.Choice(LANGUAGES))
@click.option("--format", "formats", default="md,pdf,json", show_default=True,
              metavar="md,html,pdf,json", help="What to write.")
@click.option("--preset", default="canonical", show_default=True,
              type=click.Choice(["canonical", "hubspot", "salesforce"]),
              help="The export's column names.")
@click.option("--columns", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A YAML mapping of canonical column names to the export's headers.")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              default=BUILD_DIR / "reports", show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(min=1), show_default="one per core",
              help="Read a large export in two processes when this is 2 or more.")
@_TODAY
def report(path: Path, leads: Path, deals: Path | None, period: str,
           as_of: dt.datetime | None, language: str, formats: str, preset: str,
           columns: Path | None, out: Path, jobs: int | None, today: dt.datetime | None) -> None:
    """Is each team keeping the agreement this period? From a CRM export of leads."""
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.reports.report import report as write_report

    for written in write_report(path, leads, period, as_of=as_of, language=language,
                                formats=_listed(formats) or [], out=out, preset=preset,
                                columns=columns, deals=deals, today=_day(today),
                                jobs=jobs, warn=lambda line: click.echo(line, err=True)):
        click.echo(f"wrote {written}")


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--leads", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="The CRM's export of leads (CSV).")
@click.option("--as-of", metavar="DATETIME", help="Default: now (no offset: the agreement's zone).")
@click.option("--warn-within", metavar="DURATION", help="At risk when due within (default 1h).")
@click.option("--format", "output", type=click.Choice(["text", "json", "markdown"]), default="text")
@click.option("--webhook", metavar="URL", help="Also post the digest to this Slack/Teams webhook.")
@click.option("--webhook-timeout", type=click.FloatRange(0.01, 300), default=10.0, hidden=True)
@click.option("--preset", type=click.Choice(["canonical", "hubspot", "salesforce"]),
              default="canonical", show_default=True, help="The export's column names.")
@click.option("--columns", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A YAML mapping of canonical column names to the export's headers.")
@_TODAY
def alerts(today: dt.datetime | None, **options: Any) -> None:
    """Leads overdue, at risk, behind on depth or due back, per rep; exit 3: some overdue."""
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.reports.alerts_command import alerts as run_alerts

    sys.exit(run_alerts(**options, today=_day(today), echo=lambda t: click.echo(t, nl=False),
                        warn=lambda line: click.echo(line, err=True)))


@cli.command()
def schema() -> None:
    """Print the JSON Schema of an agreement source."""
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.model.schema import agreement_schema_text

    click.echo(agreement_schema_text(), nl=False)


@cli.command()
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=AGREEMENTS_DIR, show_default=True, help="Where to write it.")
@click.option("--lang", "languages", default=",".join(LANGUAGES), show_default=True,
              help="Comma-separated languages the agreement is written in.")
def init(name: str, directory: Path, languages: str) -> None:
    """Write a new, commented agreement NAME.yaml that validates, ready to edit."""
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.init.new_agreement import write_new_agreement

    target = write_new_agreement(name, directory, [s.strip() for s in languages.split(",")])
    click.echo(f"wrote {target}: edit it, then run `sla validate {target}`")


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True,
              help="A worksheet for people, JSON for machines, or the editions' appendix.")
@click.option("--lang", "language", default="en", show_default=True,
              help=f"Language of the markdown appendix: {', '.join(LANGUAGES[:-1])} or "
                   f"{LANGUAGES[-1]}.")
@click.option("--actuals", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A month's actuals (YAML): recalculate the rates and the targets they imply.")
@_TODAY
def targets(path: Path, output: Any, language: str, actuals: Path | None,
            today: dt.datetime | None) -> None:
    """Show what each team must deliver, with the working of every line.

    PATH is an agreement file; it must be valid.
    """
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.reports.targets_report import targets_report

    click.echo(targets_report(path, output, actuals=actuals, language=language,
                              today=_day(today)))


def _listed(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


@cli.command()
@_PATHS
@click.option("--lang", "languages", metavar="en,it,…",
              help="Only these languages (default: each agreement's own).")
@click.option("--format", "formats", metavar="md,html,pdf", default="md,pdf",
              show_default=True, help="Which files to write for each edition.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=BUILD_DIR, show_default=True, help="Where outputs go.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              show_default="one per core",
              help="Print this many PDFs at once, in worker processes; 1: all in this one.")
@click.option("--shard", metavar="K/N", help="Only part K of N (for a CI matrix): the same "
              "files on every run and machine, and the N parts make one whole build.")
@_TODAY
def build(paths: tuple[Path, ...], languages: str | None, formats: str, out: Path,
          jobs: int | None, shard: str | None, today: dt.datetime | None) -> None:
    """Validate every agreement and write its editions: OUT/<id>/<id>.<lang>.<format>.

    Nothing is written unless every agreement is valid; an edition whose inputs did
    not change is not rendered again.
    """
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.editions.build import build as run_build
    from sla_docs.editions.progress_bar import ProgressBar

    bar = ProgressBar()
    try:
        result = run_build(paths, out, today=_day(today), languages=_listed(languages),
                           formats=_listed(formats) or [], jobs=jobs,  # type: ignore[arg-type]
                           progress=bar, shard=shard)
    finally:
        bar.close()
    for written in result.written:
        click.echo(f"wrote {written}")
    if result.unchanged:
        click.echo(f"{len(result.unchanged)} file(s) up to date")
    for skipped in result.skipped:
        click.echo(f"skipped {skipped}: not one of the agreement's languages", err=True)
    click.echo(f"{len(result.agreements)} agreement(s) valid")


@cli.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--signer", "signer_id", required=True, metavar="ID",
              help="The signatory whose field to sign (their id in the agreement).")
@click.option("--pkcs12", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The signer's key and certificate (.p12 / .pfx).")
@click.option("--passphrase-env", metavar="VAR",
              help="Read the PKCS#12 passphrase from this environment variable "
                   "(otherwise it is asked for, unseen, at a terminal).")
@click.option("--pkcs11-lib", type=click.Path(dir_okay=False, path_type=Path),
              help="Sign with a key on a hardware token or HSM, through this PKCS#11 "
                   "library (instead of --pkcs12).")
@click.option("--token", metavar="LABEL", help="With --pkcs11-lib: the token's label.")
@click.option("--key", "key_label", metavar="LABEL",
              help="With --pkcs11-lib: the private key's label on the token.")
@click.option("--cert", "cert_label", metavar="LABEL",
              help="With --pkcs11-lib: the certificate's label (default: the key's).")
@click.option("--pin-env", metavar="VAR",
              help="Read the token's PIN from this environment variable (otherwise it is "
                   "asked for, unseen, at a terminal).")
@click.option("--timestamp-url", metavar="URL",
              help="Have this time-stamping authority (RFC 3161) attest the signing time "
                   "(PAdES B-T).")
@click.option("--ltv", is_flag=True,
              help="Embed the certificates and their revocation data (PAdES B-LT), "
                   "fetched from the addresses the certificates give.")
@click.option("--trust", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              multiple=True, help="With --ltv: a root to validate chains with (the TSA's, "
                                  "when not the signer's); repeatable.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the signed PDF (default: NAME.signed.pdf beside an "
                   "edition, NAME.signed-N.pdf beside a signed one; never the input).")
def sign(pdf: Path, signer_id: str, pkcs12: Path | None, passphrase_env: str | None,
         pkcs11_lib: Path | None, token: str | None, key_label: str | None,
         cert_label: str | None, pin_env: str | None, timestamp_url: str | None, ltv: bool,
         trust: tuple[Path, ...], output: Path | None) -> None:
    """Sign a signatory's field of a PDF edition (PAdES), with a visible stamp."""
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.signing.sign import sign_edition
    from sla_docs.signing.timestamps import TrustedTime
    from sla_docs.signing.tokens import Pkcs12Key, TokenKey

    key: Pkcs12Key | TokenKey
    if (pkcs12 is None) == (pkcs11_lib is None):
        raise UsageError("give one of --pkcs12 FILE or --pkcs11-lib LIB")
    if pkcs11_lib is not None:
        if not token or not key_label:
            raise UsageError("--pkcs11-lib needs --token LABEL and --key LABEL")
        key = TokenKey(pkcs11_lib, token, key_label, cert_label,
                       _secret(pin_env, "--pin-env", "PIN"))
    else:
        assert pkcs12 is not None  # one of the two, checked above
        key = Pkcs12Key(pkcs12, _passphrase(passphrase_env))
    written = sign_edition(pdf, signer_id, key, output, TrustedTime(timestamp_url, ltv, trust))
    click.echo(f"signed {signer_id} in {written}")


@cli.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--timestamp-url", metavar="URL", required=True,
              help="The time-stamping authority (RFC 3161) that attests the whole file.")
@click.option("--trust", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              multiple=True, help="A root to validate the TSA's chain with, when the "
                                  "signatures do not carry it; repeatable.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the sealed PDF (default: NAME.sealed.pdf beside it; "
                   "never the input).")
def seal(pdf: Path, timestamp_url: str, trust: tuple[Path, ...], output: Path | None) -> None:
    """Add a document timestamp over a signed edition (PAdES B-LTA), so it verifies
    after the signers' certificates expire."""
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.signing.seal import seal_edition

    click.echo(f"sealed {seal_edition(pdf, timestamp_url, output, trust)}")


def _secret(variable: str | None, option: str, prompt: str) -> str | None:
    """A passphrase or PIN from the environment, or typed unseen; never an option's value."""
    if variable:
        if variable not in os.environ:
            raise UsageError(f"{option}: {variable} is not set")
        return os.environ[variable]
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, default="", show_default=False,
                            err=True) or None
    return None


def _passphrase(variable: str | None) -> bytes | None:
    """The passphrase from the environment, or typed unseen; never an option's value."""
    secret = _secret(variable, "--passphrase-env", "passphrase")
    return secret.encode() if secret is not None else None


@cli.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Also check that the PDF is the edition of this YAML source: it is "
                   "built again and compared to the byte.")
@click.option("--trust", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              multiple=True, help="A trusted certificate (PEM or DER); repeatable.")
@click.option("--allow-unsigned", is_flag=True,
              help="Accept an edition that a signatory has still to sign.")
@click.option("--at", "at", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z",
                                                 "%Y-%m-%dT%H:%M:%S"]),
              help="Validate as of this moment (a date is its midnight UTC); needs --trust.")
def verify(pdf: Path, source: Path | None, trust: tuple[Path, ...], allow_unsigned: bool,
           at: dt.datetime | None) -> None:
    """List a PDF edition's signatures and what each revision changed; exit 1 unless every
    signatory signed their own field and nothing else changed. Offline."""
    # here: each command loads only what it uses, so `sla --help` stays quick
    from sla_docs.signing.verify import verify_edition

    if at is not None and not trust:
        raise UsageError("--at needs --trust: validating as of a moment checks the "
                         "certificates, which needs roots to check them against")
    moment = at.replace(tzinfo=at.tzinfo or dt.UTC) if at else None
    report = verify_edition(pdf, source, trust, allow_unsigned, moment)
    click.echo("\n".join(report.lines()))
    if not report.ok:
        raise click.exceptions.Exit(EXIT_INVALID_INPUT)


cli.add_command(translations)  # sla translations export|import: cli_translations.py


def main() -> None:
    """Entry point: no traceback reaches the user unless SLA_DEBUG is set."""
    sys.stdout = sys.stdout or closed_output()  # started without: a write fails, not vanishes
    try:
        code = cli.main(standalone_mode=False)  # returns, not raises, a command's Exit code
        if isinstance(code, int) and code != EXIT_OK:
            sys.exit(code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_INVALID_INPUT)
    except Exception as error:  # the last line of defence against tracebacks
        if os.environ.get("SLA_DEBUG") and not output_failure(error):
            raise
        click.echo(output_failure(error) or f"sla: internal error: {type(error).__name__}: {error} "
                   "(set SLA_DEBUG=1 for details, and please report it)", err=True)
        sys.exit(EXIT_INVALID_INPUT)
    finally:
        # The process ends here. Its last garbage collection, at interpreter exit,
        # would walk every object the command made (a tenth of a second after a
        # build) only to free memory the system takes back anyway.
        gc.freeze()
