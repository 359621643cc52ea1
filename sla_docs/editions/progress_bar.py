"""The progress bar ``sla build`` shows on a terminal (an :class:`sla_docs.editions.build.
Progress`), moved out of the command line's module to keep it to its options."""

from __future__ import annotations

import sys
from typing import Any

import click


class ProgressBar:
    """A progress bar on stderr, shown when more than one edition is rendered, on a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None

    def start(self, total: int) -> None:
        """Show the bar, for ``total`` editions, when there are several and a terminal."""
        if total > 1 and sys.stderr.isatty():  # a bar for people, nothing in CI logs
            self.bar = click.progressbar(length=total, label="rendering editions",
                                         file=sys.stderr)
            self.bar.__enter__()

    def advance(self) -> None:
        """One more edition rendered."""
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        """Take the bar down, however the build ended."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
