"""`sla report` on a synthetic CRM export of 1,000,000 leads, as a user runs it.

Bar (issue 7): at most 10 s and 500 MiB peak, whole process, on a 2-core machine.
The report reads the export in two processes (``--jobs 2``, the default on two cores);
``--jobs 1``, one process, is measured beside it.
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
import threading
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


def one_run(agreement: Path, export: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall seconds of one `sla report` process, and the peak of its memory with its
    child's: the resident sizes of both, summed, sampled every 25 ms (pages the child
    shares with its parent after the fork count twice, so this errs high)."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "sla_docs", "report", str(agreement),
                              "--leads", str(export), "--period", "2026-10",
                              "--format", "json", "-o", str(out), "--jobs", str(jobs)],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    sampler = threading.Thread(target=_sample, args=(child, peak), daemon=True)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(child.stderr.read().decode() if child.stderr else "failed")
    return elapsed, max(peak[0], usage.ru_maxrss * 1024) / 2**20


def _sample(child: subprocess.Popen[bytes], peak: list[int]) -> None:
    while child.poll() is None:  # poll() cannot reap: wait4 has the process
        peak[0] = max(peak[0], tree_rss(child.pid))
        time.sleep(0.025)  # light: the two cores are busy with what is measured


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and its descendants, now (Linux /proc)."""
    total, waiting = 0, [root]
    while waiting:
        pid = waiting.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:  # gone already
            continue
        total += next((int(line.split()[1]) * 1024 for line in status.splitlines()
                       if line.startswith("VmRSS:")), 0)
        waiting.extend(int(child) for child in children)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("export", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sla-report-"))
    agreement = rome_agreement(work)
    for jobs in (2, 1):
        runs = [one_run(agreement, options.export, work / "out", jobs)
                for _ in range(options.runs)]
        seconds = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(f"sla report --jobs {jobs}, {options.export.name}: {seconds:.2f} s (bar 10 s), "
              f"peak {peak:.0f} MiB (bar 500 MiB); runs: "
              + ", ".join(f"{r[0]:.2f} s" for r in runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
