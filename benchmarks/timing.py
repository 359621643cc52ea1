"""Whole-process wall time of a command, as a user or CI runs it: start-up counts."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(command: list[str], runs: int,
                   prepare: Callable[[], None] | None = None, *, must_pass: bool = False) -> float:
    """Median wall time of ``runs`` runs, after one warm-up run.

    ``prepare`` runs before each run, untimed; with ``must_pass`` a failing run stops all.
    """
    times = []
    for run in range(runs + 1):
        elapsed = _timed(command, prepare, must_pass)
        if run:  # the first run warms the caches
            times.append(elapsed)
    return statistics.median(times)


def paired(ours: list[str], theirs: list[str], runs: int,
           prepare: Callable[[], None] | None = None, *,
           theirs_may_fail: bool = False) -> tuple[float, float, float]:
    """Median times of two commands run in turn, and the median of their ratios.

    Running them in turn, and taking the ratio within each pair, keeps a machine
    that slows down or speeds up during the benchmark (a shared one does) from
    favouring whichever command ran in the slow stretch. ``theirs_may_fail`` for a
    linter, which exits 1 when it finds something.
    """
    check = not theirs_may_fail
    _timed(ours, prepare, True)  # warm the caches
    _timed(theirs, prepare, check)
    pairs = [(_timed(ours, prepare, True), _timed(theirs, prepare, check))
             for _ in range(runs)]
    return (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs),
            statistics.median(a / b for a, b in pairs))


def _timed(command: list[str], prepare: Callable[[], None] | None, must_pass: bool) -> float:
    if prepare is not None:
        prepare()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if must_pass and done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    return elapsed


def run_once(command: list[str]) -> None:
    """Run ``command`` once, untimed, to set the stage; it must succeed."""
    done = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
