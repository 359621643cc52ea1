"""Whole-process timings of `sla build`, against the bars of the editions issue.

1. One PDF edition via `sla build` (as a user runs it: default `--jobs`) against the
   `weasyprint` command on the same HTML (bar: at most 1.25x).
2. The five editions of one agreement with `--jobs 2` (two printer processes) against
   `--jobs 1` (everything in one process) (bar: at most 0.6x).
3. A no-op rebuild of every sample against `sla validate` of the same (bar: 1.5x).

Each figure is a median; each ratio the median of the ratios of runs made in turn.

    python3 -m pip install -q -e .
    python3 benchmarks/editions.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from timing import paired, run_once

SLA = [sys.executable, "-m", "sla_docs"]


def fresh(folder: Path) -> None:
    """An empty output folder, so that `sla build` renders everything again."""
    shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="sla-bench-"))
    out = work / "out"
    weasyprint = shutil.which("weasyprint")
    if weasyprint is None:
        print("the weasyprint command is not on PATH (it comes with `pip install weasyprint`)")
        return 2

    html_out = work / "html"
    run_once([*SLA, "build", "agreements/acme.yaml", "--lang", "en", "--format", "html",
              "--out", str(html_out)])
    one = [*SLA, "build", "agreements/acme.yaml", "--lang", "en", "--format", "pdf",
           "--out", str(out)]
    printer = [weasyprint, str(html_out / "acme" / "acme.en.html"), str(work / "w.pdf")]
    ours, theirs, ratio = paired(one, printer, runs, lambda: fresh(out))
    print(f"1. one PDF edition: sla build {ours:.2f} s, weasyprint {theirs:.2f} s "
          f"-> {ratio:.2f}x (bar 1.25x)")

    five = [*SLA, "build", "agreements/globex.yaml", "--out", str(out)]
    parallel, serial, ratio = paired([*five, "--jobs", "2"], [*five, "--jobs", "1"], runs,
                                     lambda: fresh(out))
    print(f"2. five editions (md+pdf): --jobs 2 {parallel:.2f} s, --jobs 1 {serial:.2f} s "
          f"-> {ratio:.2f}x (bar 0.6x)")

    fresh(out)
    run_once([*SLA, "build", "--out", str(out)])
    noop, validate, ratio = paired([*SLA, "build", "--out", str(out)], [*SLA, "validate"],
                                   runs * 3)
    print(f"3. no-op rebuild {noop * 1000:.0f} ms, sla validate {validate * 1000:.0f} ms "
          f"-> {ratio:.2f}x (bar 1.5x)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
