"""`sla report` on a synthetic CRM export of 1,000,000 leads, as a user runs it.

Bar (issue 7): at most 10 s and 500 MiB peak, whole process, on a 2-core machine.
The export comes from `leads_export.py` (Europe/Rome times, 0.1% bad rows); the
agreement is the acme sample with its calendar kept in Europe/Rome.

    python3 benchmarks/leads_export.py --rows 1000000 --out /tmp/leads.csv
    python3 benchmarks/report_leads.py /tmp/leads.csv [--runs 3]
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

from timing import ROOT


def rome_agreement(folder: Path) -> Path:
    """The acme sample, its working hours kept in Europe/Rome like the export's times."""
    text = (ROOT / "agreements" / "acme.yaml").read_text("utf-8")
    path = folder / "acme.yaml"
    path.write_text(text.replace("  calendar:\n", "  calendar:\n    time_zone: Europe/Rome\n", 1)
                    if "  calendar:\n" in text else
                    text.replace("\ninputs:\n", "\ninputs:\n  calendar:\n"
                                 "    time_zone: Europe/Rome\n", 1), "utf-8")
    return path


def one_run(agreement: Path, export: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `sla report` process."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "sla_docs", "report", str(agreement),
                              "--leads", str(export), "--period", "2026-10",
                              "--format", "json", "-o", str(out)], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(child.stderr.read().decode() if child.stderr else "failed")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("export", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sla-report-"))
    agreement = rome_agreement(work)
    runs = [one_run(agreement, options.export, work / "out") for _ in range(options.runs)]
    seconds = statistics.median(r[0] for r in runs)
    peak = max(r[1] for r in runs)
    print(f"sla report, {options.export.name}: {seconds:.2f} s (bar 10 s), "
          f"peak {peak:.0f} MiB (bar 500 MiB); runs: "
          + ", ".join(f"{r[0]:.2f} s" for r in runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
