"""A synthetic CRM export of leads, as CSV, for benchmarking `sla report`.

    python3 benchmarks/leads_export.py --rows 1000000 --out /tmp/leads.csv [--seed 1]
                                       [--month 2026-10]

The export is taken at the as-of moment, the last second of the month in Europe/Rome
(2026-10-31T23:59:59+01:00 for 2026-10): every time after it is left empty, as a real
export could not know it yet. Times carry the Europe/Rome offset of their instant
(+02:00, and +01:00 from 2026-10-25T03:00 local). Leads are created over the month,
mostly on weekdays in business hours; 85% come from Marketing.

About 0.1% of the rows are bad, a third of each kind, and no row is bad in two ways:

* the first attempt before the handoff;
* a lead handed off twice: a second row with the same lead_id, some rows further on,
  handed off 1-24 h after the first row's handoff;
* a time in the future: a first attempt in 2030.

The same seed gives the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HEADER = ("lead_id,created_at,source,tier,handed_off_at,owner,first_attempt_at,attempts,"
          "connected,stage,customer_at,deal_amount")
ROME = ZoneInfo("Europe/Rome")
OWNERS = tuple(f"rep{n:02d}" for n in range(1, 41))
BAD_SHARE = 0.0012  # some bad rows fall away at the export cut-off: about 0.1% stay
CUSTOMER_IF_CONNECTED = 0.083  # about 3% of all leads
OTHER_STAGES = ("lead", "mql", "sql", "opportunity", "recycled")
OTHER_WEIGHTS = (30, 25, 20, 15, 10)
HOUR = 3600
DAY = 86400


class Clock:
    """Formats UTC epoch seconds as ISO 8601 in Europe/Rome, with caches per hour and day."""

    def __init__(self) -> None:
        self._offsets: dict[int, tuple[int, str]] = {}
        self._dates: dict[int, str] = {}
        self._clock = [f"T{h:02d}:{m:02d}:" for h in range(24) for m in range(60)]
        self._seconds = [f"{s:02d}" for s in range(60)]

    def _offset(self, epoch: int) -> tuple[int, str]:
        hour = epoch // HOUR  # Rome changes its offset on the hour, UTC
        found = self._offsets.get(hour)
        if found is None:
            local = datetime.fromtimestamp(hour * HOUR, UTC).astimezone(ROME)
            text = local.isoformat()[-6:]
            found = self._offsets[hour] = (int(local.utcoffset().total_seconds()), text)
        return found

    def iso(self, epoch: int) -> str:
        """``2026-10-05T09:31:12+02:00`` for the instant ``epoch``."""
        shift, suffix = self._offset(epoch)
        day, second = divmod(epoch + shift, DAY)
        date = self._dates.get(day)
        if date is None:
            date = self._dates[day] = datetime.fromtimestamp(day * DAY, UTC).date().isoformat()
        minute, second = divmod(second, 60)
        return date + self._clock[minute] + self._seconds[second] + suffix


def month_days(month: str) -> list[tuple[int, bool]]:
    """Epoch of each local midnight of ``month`` (YYYY-MM), and whether it is a weekday."""
    year, number = (int(part) for part in month.split("-"))
    day = datetime(year, number, 1, tzinfo=ROME)
    days = []
    while day.month == number:
        days.append((int(day.timestamp()), day.weekday() < 5))
        day = (day.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=ROME)
    return days


def month_end(month: str) -> int:
    """Epoch of the first local midnight after ``month``."""
    year, number = (int(part) for part in month.split("-"))
    year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return int(datetime(year, number, 1, tzinfo=ROME).timestamp())


def generate(rows: int, out: Path, seed: int, month: str) -> int:
    """Write ``rows`` leads (plus the duplicate rows) to ``out``; return the lines written."""
    rng = random.Random(seed)
    random_ = rng.random
    randrange = rng.randrange
    lognormal = rng.lognormvariate
    choice = rng.choice
    clock = Clock()
    iso = clock.iso
    days = month_days(month)
    weekdays = [start for start, weekday in days if weekday]
    weekends = [start for start, weekday in days if not weekday] or weekdays
    as_of = month_end(month) - 1
    future_shift = int((datetime(2030, 1, 1, tzinfo=UTC)
                        - datetime(int(month[:4]), 1, 1, tzinfo=UTC)).total_seconds())
    others = rng.choices(OTHER_STAGES, OTHER_WEIGHTS, k=4096)
    delay_mu = math.log(40 * 60)  # median first attempt 40 minutes after the handoff
    pending: list[tuple[int, str]] = []  # duplicate rows, by the row number to write them at
    written = 0
    with out.open("w", encoding="utf-8", newline="") as stream:
        lines = [HEADER]
        for number in range(1, rows + 1):
            lead = f"L{number:07d}"
            start = choice(weekdays) if random_() < 0.9 else choice(weekends)
            if random_() < 0.85:  # business hours
                created = start + 8 * HOUR + randrange(10 * HOUR)
            else:
                created = start + randrange(DAY)
            source = "marketing" if random_() < 0.85 else "sales"
            tier = "abc"[randrange(3)]
            bad = randrange(3) if random_() < BAD_SHARE else -1
            handed = created + randrange(48 * HOUR) if random_() < 0.9 else 0
            if handed > as_of:
                handed = 0  # not handed off yet at the export
            owner = first_text = customer_text = amount = ""
            first = attempts = 0
            connected = "false"
            stage = others[number & 4095]
            if handed:
                owner = OWNERS[randrange(40)]
                if random_() < 0.92 or bad >= 0:
                    delay = min(max(lognormal(delay_mu, 1.3), 300.0), 3.0 * DAY)
                    first = handed + int(delay)
                    if bad == 0:  # first attempt before the handoff
                        first = handed - 60 - randrange(5 * HOUR)
                    if first > as_of:
                        first = 0
                    elif bad == 2:  # a time in the future
                        first += future_shift
                if first:
                    first_text = iso(first)
                    attempts = 1 + randrange(8)
                    if random_() < 0.45:
                        connected = "true"
                        if random_() < CUSTOMER_IF_CONNECTED and first < as_of:
                            stage = "customer"
                            won = first + randrange(min(as_of - first, 20 * DAY) + 1)
                            customer_text = iso(won)
                            cents = 50_000 + randrange(5_000_000)
                            amount = f"{cents // 100}.{cents % 100:02d}"
                if bad == 1 and handed + DAY <= as_of:  # handed off twice
                    again = handed + HOUR + randrange(23 * HOUR)
                    retry = again + int(min(max(lognormal(delay_mu, 1.3), 300.0), 3.0 * DAY))
                    row = ",".join((lead, iso(created), source, tier, iso(again),
                                    OWNERS[randrange(40)], iso(retry) if retry <= as_of else "",
                                    str(1 + randrange(8)) if retry <= as_of else "0",
                                    "false", stage if stage != "customer" else "sql", "", ""))
                    heapq.heappush(pending, (number + 1 + randrange(5000), row))
            if stage == "customer" and not customer_text:
                stage = "opportunity"
            lines.append(",".join((lead, iso(created), source, tier, iso(handed) if handed else "",
                                   owner, first_text, str(attempts), connected, stage,
                                   customer_text, amount)))
            while pending and pending[0][0] <= number:
                lines.append(heapq.heappop(pending)[1])
            if len(lines) >= 65536:
                written += len(lines)
                stream.write("\n".join(lines) + "\n")
                lines = []
        lines.extend(row for _, row in sorted(pending))
        written += len(lines)
        stream.write("\n".join(lines) + "\n")
    return written - 1


def main() -> int:
    """Parse the command line and write the export."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="leads to create")
    parser.add_argument("--out", type=Path, required=True, help="the CSV file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--month", default="2026-10", help="YYYY-MM, Europe/Rome")
    options = parser.parse_args()
    start = time.perf_counter()
    written = generate(options.rows, options.out, options.seed, options.month)
    print(f"{written} rows to {options.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
