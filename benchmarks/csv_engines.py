"""Which CSV engine for `sla report`: the standard library, Polars or DuckDB, measured.

Each engine computes the same month's figures from a CRM export of leads, in a fresh
process of its own (start-up and imports count, as a user sees them); the table gives
the median wall time and peak RSS of the runs, and a checksum of each engine's results.

    python3 benchmarks/leads_export.py --rows 1000000 --out /tmp/leads.csv
    python3 -m pip install polars duckdb
    python3 benchmarks/csv_engines.py /tmp/leads.csv [--engines stdlib,polars,duckdb]
                                      [--runs 3] [--month 2026-10]

The figures, for the month in Europe/Rome, on the leads delivered by Marketing (source
``marketing``, handed off within the month) that are not bad:

* the leads delivered per local calendar day;
* hours from handoff to first attempt (elapsed time): median, 90th percentile (linear
  interpolation) and the share of delivered leads attempted within 1 hour (a lead not
  attempted is not within 1 hour);
* the average attempts on leads not connected;
* per owner: leads, and the median hours to first attempt.

Bad rows are counted over the whole export and excluded from the figures; each falls
into the first kind that fits: a lead handed off twice (a row whose lead_id an earlier
row of the file has), a time after the as-of moment (the month's last second), a first
attempt before the handoff.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from array import array
from bisect import bisect_right
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ZONE = "Europe/Rome"
ENGINES = ("stdlib", "polars", "duckdb")
Results = dict[str, Any]


def day_starts(month: str) -> list[datetime]:
    """The local midnights of ``month`` (YYYY-MM), and the first one after it."""
    zone = ZoneInfo(ZONE)
    year, number = (int(part) for part in month.split("-"))
    day = datetime(year, number, 1, tzinfo=zone)
    starts = [day]
    while day.month == number:
        day = (day.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=zone)
        starts.append(day)
    return starts


def quantile(ordered: list[float], q: float) -> float | None:
    """The ``q`` quantile of sorted values, interpolated linearly (numpy's default)."""
    if not ordered:
        return None
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def run_stdlib(path: Path, month: str) -> Results:
    """Stream the rows once with csv.reader, aggregating as it goes."""
    import csv

    starts = [start.timestamp() for start in day_starts(month)]
    low, high = starts[0], starts[-1]
    as_of = high - 1
    # Text whose date is two days before the as-of date or earlier cannot be after it,
    # whatever its offset: only later text needs parsing for the future check.
    cut = (day_starts(month)[-1] - timedelta(days=2)).date().isoformat()
    parse = datetime.fromisoformat
    daily = [0] * (len(starts) - 1)
    seen: set[str] = set()
    remember = seen.add
    hours_of: dict[str, array[float]] = {}
    leads_of: dict[str, int] = {}
    duplicate = future = before = 0
    within = idle = idle_attempts = 0
    with path.open(encoding="utf-8", newline="") as stream:
        rows = csv.reader(stream)
        next(rows)
        for (lead, created, source, _tier, handed, owner, first, attempts, connected,
             _stage, customer, _amount) in rows:
            if lead in seen:
                duplicate += 1
                continue
            remember(lead)
            handoff = parse(handed).timestamp() if handed else 0.0
            attempt = parse(first).timestamp() if first and handed else 0.0
            if (handoff > as_of or attempt > as_of
                    or (created > cut and parse(created).timestamp() > as_of)
                    or (not handed and first > cut and parse(first).timestamp() > as_of)
                    or (customer > cut and parse(customer).timestamp() > as_of)):
                future += 1
                continue
            if attempt and attempt < handoff:
                before += 1
                continue
            if source != "marketing" or not low <= handoff < high:
                continue
            daily[bisect_right(starts, handoff) - 1] += 1
            leads_of[owner] = leads_of.get(owner, 0) + 1
            if attempt:
                speed = (attempt - handoff) / 3600.0
                hours = hours_of.get(owner)
                if hours is None:
                    hours = hours_of[owner] = array("d")
                hours.append(speed)
                if speed <= 1.0:
                    within += 1
            if connected == "false":
                idle += 1
                idle_attempts += int(attempts)
    every = sorted(speed for hours in hours_of.values() for speed in hours)
    delivered = sum(daily)
    return {
        "daily": daily,
        "delivered": delivered,
        "attempted": len(every),
        "median_hours": quantile(every, 0.5),
        "p90_hours": quantile(every, 0.9),
        "within_1h_share": within / delivered if delivered else None,
        "avg_attempts_not_connected": idle_attempts / idle if idle else None,
        "owners": {owner: [leads, quantile(sorted(hours_of.get(owner, ())), 0.5)]
                   for owner, leads in sorted(leads_of.items())},
        "bad": {"duplicate": duplicate, "future": future, "before_handoff": before},
    }


def run_polars(path: Path, month: str) -> Results:
    """A lazy scan, with the datetimes parsed with their offsets, and group_by."""
    import polars as pl

    starts = day_starts(month)
    low, high = (moment.astimezone(UTC) for moment in (starts[0], starts[-1]))
    as_of = high - timedelta(seconds=1)
    times = ("created_at", "handed_off_at", "first_attempt_at", "customer_at")
    schema = {name: pl.String for name in (
        "lead_id", "created_at", "source", "tier", "handed_off_at", "owner",
        "first_attempt_at", "attempts", "connected", "stage", "customer_at", "deal_amount")}
    schema.update(attempts=pl.Int64, connected=pl.Boolean)
    rows = pl.scan_csv(path, schema=schema).select(
        "lead_id", "source", "owner", "attempts", "connected",
        *(pl.col(name).str.to_datetime("%Y-%m-%dT%H:%M:%S%z", time_zone="UTC")
          for name in times))
    kind = (pl.when(~pl.col("lead_id").is_first_distinct()).then(pl.lit("duplicate"))
            .when(pl.any_horizontal(pl.col(name) > as_of for name in times))
            .then(pl.lit("future"))
            .when(pl.col("first_attempt_at") < pl.col("handed_off_at"))
            .then(pl.lit("before_handoff")))
    rows = rows.with_columns(kind=kind)
    bad_counts = rows.filter(pl.col("kind").is_not_null()).group_by("kind").len()
    handoff = pl.col("handed_off_at")
    delivered_rows = rows.filter(
        pl.col("kind").is_null() & (pl.col("source") == "marketing")
        & (handoff >= low) & (handoff < high)
    ).select(
        "owner", "attempts", "connected",
        day=handoff.dt.convert_time_zone(ZONE).dt.date(),
        hours=(pl.col("first_attempt_at") - handoff).dt.total_microseconds() / 3.6e9,
    )
    bad_frame, frame = pl.collect_all([bad_counts, delivered_rows])
    bad = dict(zip(bad_frame["kind"].to_list(), bad_frame["len"].to_list(), strict=True))
    per_day = dict(frame.group_by("day").len().iter_rows())
    hours = frame["hours"]
    idle = frame.filter(~pl.col("connected"))
    owners = frame.group_by("owner").agg(pl.len(), pl.col("hours").median()).sort("owner")
    return {
        "daily": [per_day.get(day.date(), 0) for day in starts[:-1]],
        "delivered": frame.height,
        "attempted": hours.count(),
        "median_hours": hours.median(),
        "p90_hours": hours.quantile(0.9, interpolation="linear"),
        "within_1h_share": (hours <= 1.0).sum() / frame.height if frame.height else None,
        "avg_attempts_not_connected": idle["attempts"].mean(),
        "owners": {owner: [leads, median] for owner, leads, median in owners.iter_rows()},
        "bad": {name: bad.get(name, 0) for name in ("duplicate", "future", "before_handoff")},
    }


def run_duckdb(path: Path, month: str) -> Results:
    """read_csv into a table (which keeps the file's order in rowid), then SQL."""
    import duckdb

    starts = day_starts(month)
    low, high = starts[0], starts[-1]
    db = duckdb.connect()
    db.execute(f"SET TimeZone = '{ZONE}'")
    times = ("created_at", "handed_off_at", "first_attempt_at", "customer_at")
    db.execute("""
        CREATE TEMP TABLE raw AS
        SELECT lead_id, source, owner, attempts, connected, created_at, handed_off_at,
               first_attempt_at, customer_at
        FROM read_csv(?, header = true, auto_detect = false, columns = {
            'lead_id': 'VARCHAR', 'created_at': 'TIMESTAMPTZ', 'source': 'VARCHAR',
            'tier': 'VARCHAR', 'handed_off_at': 'TIMESTAMPTZ', 'owner': 'VARCHAR',
            'first_attempt_at': 'TIMESTAMPTZ', 'attempts': 'INTEGER', 'connected': 'BOOLEAN',
            'stage': 'VARCHAR', 'customer_at': 'TIMESTAMPTZ', 'deal_amount': 'DECIMAL(14,2)'})
    """, [str(path)])
    future = " OR ".join(f"coalesce({name} > $as_of, false)" for name in times)
    db.execute(f"""
        CREATE TEMP TABLE rows AS
        SELECT *, CASE
            WHEN row_number() OVER (PARTITION BY lead_id ORDER BY rowid) > 1 THEN 'duplicate'
            WHEN {future} THEN 'future'
            WHEN first_attempt_at < handed_off_at THEN 'before_handoff' END AS kind
        FROM (SELECT rowid, * FROM raw)
    """, {"as_of": high - timedelta(seconds=1)})
    db.execute("""
        CREATE TEMP TABLE delivered AS
        SELECT owner, attempts, connected, handed_off_at::DATE AS day,
               epoch(first_attempt_at - handed_off_at) / 3600.0 AS hours
        FROM rows WHERE kind IS NULL AND source = 'marketing'
          AND handed_off_at >= $low AND handed_off_at < $high
    """, {"low": low, "high": high})
    bad = dict(db.execute("SELECT kind, count(*) FROM rows WHERE kind IS NOT NULL GROUP BY kind")
               .fetchall())
    per_day = dict(db.execute("SELECT day, count(*) FROM delivered GROUP BY day").fetchall())
    (delivered, attempted, median, p90, within, idle) = db.execute("""
        SELECT count(*), count(hours), quantile_cont(hours, 0.5), quantile_cont(hours, 0.9),
               count(*) FILTER (WHERE hours <= 1) / count(*),
               avg(attempts) FILTER (WHERE NOT connected)
        FROM delivered""").fetchone()
    owners = db.execute("""SELECT owner, count(*), quantile_cont(hours, 0.5) FROM delivered
                       GROUP BY owner ORDER BY owner""").fetchall()
    return {
        "daily": [per_day.get(day.date(), 0) for day in starts[:-1]],
        "delivered": delivered,
        "attempted": attempted,
        "median_hours": median,
        "p90_hours": p90,
        "within_1h_share": within,
        "avg_attempts_not_connected": idle,
        "owners": {owner: [leads, median] for owner, leads, median in owners},
        "bad": {name: bad.get(name, 0) for name in ("duplicate", "future", "before_handoff")},
    }


def checksum(results: Results) -> str:
    """A short digest of the results, floats rounded to 6 decimals."""
    def rounded(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, 6)
        if isinstance(value, dict):
            return {key: rounded(item) for key, item in value.items()}
        if isinstance(value, list):
            return [rounded(item) for item in value]
        return value
    text = json.dumps(rounded(results), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def measure(engine: str, path: Path, month: str) -> tuple[float, float, Results]:
    """Wall seconds, peak RSS in MiB, and the results of one fresh process of ``engine``."""
    command = [sys.executable, __file__, "--worker", engine, "--month", month, str(path)]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not all children's
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{engine} failed with exit code {child.returncode}")
    return elapsed, usage.ru_maxrss / 1024, json.loads(output)


def version(engine: str) -> str:
    """The version of the engine's library."""
    if engine == "stdlib":
        return f"Python {sys.version.split()[0]}"
    from importlib.metadata import version as installed

    return f"{engine} {installed(engine)}"


def main() -> int:
    """Run the workers, or, as a worker, one engine."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", type=Path, help="the export, from leads_export.py")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per engine")
    parser.add_argument("--month", default="2026-10", help="YYYY-MM, in Europe/Rome")
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    options = parser.parse_args()
    runners = {"stdlib": run_stdlib, "polars": run_polars, "duckdb": run_duckdb}
    if options.worker:
        json.dump(runners[options.worker](options.csv, options.month), sys.stdout)
        return 0
    engines = [name.strip() for name in options.engines.split(",") if name.strip()]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")
    runs: dict[str, list[tuple[float, float, Results]]] = {name: [] for name in engines}
    for _ in range(options.runs):  # engines in turn, so a slow stretch hits them all
        for name in engines:
            runs[name].append(measure(name, options.csv, options.month))
    print(f"{options.csv} ({options.csv.stat().st_size / 2**20:.0f} MiB), "
          f"{os.cpu_count()} CPUs, median of {options.runs} runs")
    print(f"{'engine':<24} {'wall s':>8} {'peak MiB':>9}  checksum")
    sums = set()
    for name in engines:
        seconds = statistics.median(run[0] for run in runs[name])
        peak = statistics.median(run[1] for run in runs[name])
        digests = {checksum(run[2]) for run in runs[name]}
        sums |= digests
        print(f"{version(name):<24} {seconds:>8.2f} {peak:>9.0f}  {' '.join(sorted(digests))}")
    first = runs[engines[0]][0][2]
    print(f"delivered {first['delivered']}, attempted {first['attempted']}, "
          f"median {first['median_hours']:.4f} h, p90 {first['p90_hours']:.4f} h, "
          f"within 1 h {first['within_1h_share']:.4f}, "
          f"attempts if not connected {first['avg_attempts_not_connected']:.4f}, "
          f"bad {first['bad']}")
    print("all engines agree" if len(sums) == 1 else "ENGINES DISAGREE")
    return 0 if len(sums) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
