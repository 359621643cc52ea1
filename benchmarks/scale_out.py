"""Whole-process timings of the bars of issue 18 ("builds that scale out"), side by side.

1. Fifty editions (10 agreements x 5 languages, Markdown and PDF, the default) with
   `--jobs 2` against `--jobs 1` (bar: at most 0.55x).
2. One PDF edition via `sla build` against the `weasyprint` command on the same HTML,
   the HTML edition `sla build --format html` writes (bar: at most 1.1x).
3. `sla validate` against `yamllint` on the same ten files (bar: at most 1.5x).

The ten agreements are the two samples, each copied five times under other ids, in a
temporary folder. The commands of each line run in turn, and each ratio is the median
of the ratios of the pairs, so a machine that slows down for a while (a shared one
does) favours neither. `weasyprint` and `yamllint` run from this Python's own `bin/`
(not through a shim), as `sla` runs as `python -m sla_docs`. The package's bytecode is
compiled first, as `pip install` does and as any first run does unless
`PYTHONDONTWRITEBYTECODE` is set: WeasyPrint and yamllint run from compiled files, and
so should `sla`.

    python3 -m pip install -q -e . -r benchmarks/requirements.txt
    python3 benchmarks/scale_out.py [--runs 3] [--only 1,2,3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

from timing import ROOT, paired, run_once

SLA = [sys.executable, "-m", "sla_docs"]
SAMPLES = ("acme", "globex")
COPIES = 5


def agreements(folder: Path) -> Path:
    """Ten agreements, the samples under other ids, in ``folder``/agreements."""
    target = folder / "agreements"
    target.mkdir(parents=True)
    for sample in SAMPLES:
        text = (ROOT / "agreements" / f"{sample}.yaml").read_text("utf-8")
        for copy in range(1, COPIES + 1):
            name = f"{sample}-{copy}"
            (target / f"{name}.yaml").write_text(
                re.sub(r"^id: .*$", f"id: {name}", text, count=1, flags=re.MULTILINE), "utf-8")
    return target


def command(name: str) -> list[str]:
    """A command installed beside this Python, or its module run by it."""
    installed = Path(sys.executable).parent / name
    return [str(installed)] if installed.exists() else [sys.executable, "-m", name]


def fresh(folder: Path) -> None:
    """An empty output folder, so that `sla build` renders everything again."""
    shutil.rmtree(folder, ignore_errors=True)


def fifty_editions(sources: Path, out: Path, runs: int) -> str:
    build = [*SLA, "build", str(sources), "--out", str(out)]
    two, one, ratio = paired([*build, "--jobs", "2"], [*build, "--jobs", "1"], runs,
                             lambda: fresh(out))
    return (f"1. fifty editions (md+pdf): --jobs 2 {two:.1f} s, --jobs 1 {one:.1f} s "
            f"-> {ratio:.2f}x (bar 0.55x)")


def one_pdf(sources: Path, work: Path, runs: int) -> str:
    source = sources / "acme-1.yaml"
    html, out = work / "html", work / "one"
    run_once([*SLA, "build", str(source), "--lang", "en", "--format", "html",
              "--out", str(html)])
    ours = [*SLA, "build", str(source), "--lang", "en", "--format", "pdf", "--out", str(out)]
    theirs = [*command("weasyprint"), str(html / "acme-1" / "acme-1.en.html"),
              str(work / "weasyprint.pdf")]
    sla, weasyprint, ratio = paired(ours, theirs, runs, lambda: fresh(out))
    return (f"2. one PDF edition: sla build {sla:.2f} s, weasyprint {weasyprint:.2f} s "
            f"-> {ratio:.2f}x (bar 1.1x)")


def validate(sources: Path, runs: int) -> str:
    files = sorted(str(path) for path in sources.glob("*.yaml"))
    ours, theirs, ratio = paired([*SLA, "validate", *files], [*command("yamllint"), *files],
                                 runs, theirs_may_fail=True)  # it finds long lines
    return (f"3. ten agreements: sla validate {ours * 1000:.0f} ms, yamllint "
            f"{theirs * 1000:.0f} ms -> {ratio:.2f}x (bar 1.5x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="1,2,3", help="which lines, e.g. 2,3")
    options = parser.parse_args()
    only = set(options.only.split(","))
    run_once([sys.executable, "-m", "compileall", "-q", str(ROOT / "sla_docs")])
    work = Path(tempfile.mkdtemp(prefix="sla-bench-"))
    try:
        sources = agreements(work)
        if "1" in only:
            print(fifty_editions(sources, work / "out", options.runs), flush=True)
        if "2" in only:
            print(one_pdf(sources, work, options.runs * 3), flush=True)
        if "3" in only:
            print(validate(sources, options.runs * 5), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
