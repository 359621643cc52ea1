"""``sla build --shard K/N``: one of N disjoint parts of a build, for a CI matrix.

Which part a file belongs to is decided by a hash of its agreement id, language and
format, never by the order agreements are found in: the same file falls in the same
part on every run and every machine, and adding an agreement moves no other file.
The N parts together are exactly one whole build; the JSON Schema, which belongs to
no edition, is written by part 1.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sla_docs.errors import UsageError

MOST_SHARDS = 1000
"""More parts than any CI matrix runs; a bigger N is surely a typo."""


@dataclass(frozen=True)
class Shard:
    """Part ``index`` of ``count`` (1-based, as a CI matrix counts)."""

    index: int
    """Which part, from 1 to ``count``."""
    count: int
    """Into how many parts the build is split."""

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``K/N`` as a shard; :class:`UsageError` (exit 2) for anything else."""
        match = re.fullmatch(r"([0-9]{1,4})/([0-9]{1,4})", text.strip())
        if match is None:
            raise UsageError(f"--shard {text!r}: write K/N, part K of N, such as 1/4")
        index, count = int(match[1]), int(match[2])
        if not 1 <= count <= MOST_SHARDS:
            raise UsageError(f"--shard {text}: N must be from 1 to {MOST_SHARDS}")
        if not 1 <= index <= count:
            raise UsageError(f"--shard {text}: K must be from 1 to N ({count})")
        return cls(index, count)

    def keeps(self, agreement_id: str, language: str, output_format: str) -> bool:
        """Whether the file of this agreement, language and format is in this part."""
        key = f"{agreement_id}\0{language}\0{output_format}".encode()
        number = int.from_bytes(hashlib.sha256(key).digest()[:8], "big")
        return number % self.count == self.index - 1

    @property
    def writes_schema(self) -> bool:
        """Whether this part writes the JSON Schema (the first does)."""
        return self.index == 1
