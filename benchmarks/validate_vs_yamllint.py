"""Whole-process time of `sla validate` on a sample against `yamllint` on the same file.

The bar (issue 2): `sla validate` takes at most 2x what yamllint takes. Both are run as
fresh processes, as a user or CI runs them, so start-up and imports count.

    python3 -m pip install -q -e . -r benchmarks/requirements.txt
    python3 benchmarks/validate_vs_yamllint.py [--runs 20] [--check]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from timing import median_seconds

BAR = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--check", action="store_true", help=f"exit 1 above {BAR}x")
    parser.add_argument("sample", nargs="?", default="agreements/acme.yaml")
    options = parser.parse_args()
    beside = Path(sys.executable).parent / "yamllint"  # not a shim (pyenv's adds ~0.1 s)
    yamllint = str(beside) if beside.exists() else shutil.which("yamllint")
    if yamllint is None:
        print("yamllint is not installed: pip install -r benchmarks/requirements.txt")
        return 2
    sla = [sys.executable, "-m", "sla_docs", "validate", options.sample]
    ours = median_seconds(sla, options.runs)
    theirs = median_seconds([yamllint, options.sample], options.runs)
    ratio = ours / theirs
    print(f"sla validate {options.sample}: {ours * 1000:.0f} ms (median of {options.runs})")
    print(f"yamllint {options.sample}:     {theirs * 1000:.0f} ms")
    print(f"ratio: {ratio:.2f}x (bar: at most {BAR}x)")
    return 1 if options.check and ratio > BAR else 0


if __name__ == "__main__":
    sys.exit(main())
