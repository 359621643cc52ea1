"""Whole-process time of `sla validate` against a hostile termbase (issue 17).

Three runs, each a fresh process on the minimal agreement whose summary is 20,000 words
(a worst case for matching: every word is a candidate), beside a ``terms.yaml`` of:

- nothing (the shipped default only): the baseline;
- 100,000 variants of one concept (a megabyte, the most a file may hold), one of them
  used in the text;
- 2,070 variants that all begin with the text's word, up to 23 words
  long (``lead lead … lead x1``, within the 120 characters a variant may have): the trie
  is followed as deep as a variant goes, from every word.

The bar: each stays under BAR_SECONDS, and the time grows with the file's size (the
100,000 variants cost what reading a megabyte of YAML costs), not with the product of
the text and the termbase.

    python3 benchmarks/terminology.py [--runs 3] [--check]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from timing import ROOT, median_seconds

BAR_SECONDS = 10.0
CONCEPT = "concepts:\n  many:\n    en:\n      term: one\n"
MINIMAL = (ROOT / "tests" / "fixtures" / "minimal.yaml").read_text("utf-8")


def agreement(words: str) -> str:
    """The minimal agreement with ``words`` as its summary."""
    return re.sub(r"^summary:\n(?:  .*\n)+", lambda _: f"summary:\n  en: {words}\n", MINIMAL,
                  count=1, flags=re.MULTILINE)


def termbases() -> dict[str, str | None]:
    many = ", ".join(f"v{number}x" for number in range(100_000))
    deep = ", ".join("lead " * size + f"x{n}" for size in range(1, 24) for n in range(90))
    return {
        "default only": None,
        "100,000 variants": f"{CONCEPT}      avoid: [{many}]\n",
        "deep variants": f"{CONCEPT}      avoid: [{deep}]\n",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", action="store_true", help=f"exit 1 above {BAR_SECONDS} s")
    options = parser.parse_args()
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for name, terms in termbases().items():
            root = Path(folder) / name.replace(" ", "-").replace(",", "")
            root.mkdir()
            (root / "agreement.yaml").write_text(agreement("lead " * 20_000 + "v99999x."))
            if terms is not None:
                (root / "terms.yaml").write_text(terms, "utf-8")
            seconds = median_seconds([sys.executable, "-m", "sla_docs", "validate", str(root)],
                                     options.runs)
            worst = max(worst, seconds)
            print(f"{name:>18}: {seconds:.2f} s")
    print(f"worst {worst:.2f} s (bar {BAR_SECONDS} s)")
    return 1 if options.check and worst > BAR_SECONDS else 0


if __name__ == "__main__":
    sys.exit(main())
