"""`sla alerts` against `sla report` on the same export of 1,000,000 leads, whole
processes, side by side.

Bar (issue 19): `sla alerts` takes at most as long as `sla report` on the same export.
The export is made here (`leads_export.py`: Europe/Rome times, 0.1% bad rows) and the
agreement is the acme sample with its calendar kept in Europe/Rome. Both commands run
as a user runs them (the default processes: two on two cores), in turn, and the ratio
is the median of the pairs' ratios, so a machine that slows down during the benchmark
favours neither. The processor time (user + system, both processes) is shown beside
the wall time: on a shared machine it varies far less. The report writes its JSON;
the alerts print their text digest (the cron job's) to /dev/null, as of the same
moment, the period's last second.

    python3 benchmarks/alerts_vs_report.py [--rows 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from leads_export import generate
from report_leads import rome_agreement
from timing import ROOT

AS_OF = "2026-10-31T23:59:59"
"""The period's last second in Europe/Rome, the moment the report takes by default."""


def timed(command: list[str], allowed: tuple[int, ...]) -> tuple[float, float]:
    """Wall seconds of one whole process, and the processor time (user + system) of it
    and the second process it forks; its output is thrown away."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in allowed:
        raise SystemExit(f"{' '.join(command)} exited {code}:\n"
                         f"{child.stderr.read().decode() if child.stderr else ''}")
    return elapsed, usage.ru_utime + usage.ru_stime


def main() -> int:
    """Make the export, time both commands in turn, print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sla-alerts-"))
    export = work / "leads.csv"
    generate(options.rows, export, 1, "2026-10")
    agreement = rome_agreement(work)
    sla = [sys.executable, "-m", "sla_docs"]
    report = [*sla, "report", str(agreement), "--leads", str(export), "--period", "2026-10",
              "--format", "json", "-o", str(work / "out")]
    alerts = [*sla, "alerts", str(agreement), "--leads", str(export), "--as-of", AS_OF]
    timed(alerts, (0, 3))  # warm the caches (and compile the bytecode) for both
    timed(report, (0,))
    pairs = [(timed(alerts, (0, 3)), timed(report, (0,))) for _ in range(options.runs)]
    walls = [(a[0], b[0]) for a, b in pairs]
    cpus = [(a[1], b[1]) for a, b in pairs]
    for name, figures in (("wall", walls), ("processor", cpus)):
        ours, theirs = (statistics.median(p[i] for p in figures) for i in (0, 1))
        ratio = statistics.median(a / b for a, b in figures)
        print(f"{options.rows:,} leads, {options.runs} pairs, {name} time: sla alerts "
              f"{ours:.2f} s, sla report {theirs:.2f} s, ratio {ratio:.2f}x (bar: at most "
              "1.00x); pairs: " + ", ".join(f"{a:.2f}/{b:.2f}" for a, b in figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
