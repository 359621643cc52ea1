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
        if prepare is not None:
            prepare()
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        if must_pass and done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
        if run:  # the first run warms the caches
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_once(command: list[str]) -> None:
    """Run ``command`` once, untimed, to set the stage; it must succeed."""
    done = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
