"""The languages an edition can be written in: the one list, light enough for the CLI's options."""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["en", "it", "fr", "es", "pt"]
"""The languages an edition can be written in."""
LANGUAGES: tuple[Language, ...] = get_args(Language)
"""The same, as a tuple, in the order editions are listed."""
