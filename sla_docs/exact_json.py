"""The one way sla writes figures as JSON: money and rates exact, never through a float.

Every JSON a command prints goes through :func:`dumps` (``sla targets``, ``sla report``,
``sla diff``, ``sla validate``); the JSON Schema and the build's stamps, which hold no
figure, are written with :mod:`json` itself.

``Decimal('1666.666666666666666666666667')`` is written with every digit it has, where
a float would keep 17; a whole number as an integer (``5000``), any other without its
trailing zeros (``0.25``). Dates are ISO 8601 text, durations ISO 8601 durations.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from decimal import Decimal
from typing import Any

from sla_docs.durations import iso_duration


def exact_number(value: Decimal) -> str:
    """``value`` as a JSON number with all its digits and no exponent (``5000``, ``0.25``)."""
    if value == value.to_integral_value():
        return f"{value.to_integral_value():f}"
    return f"{value.normalize():f}"


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """``data`` as JSON text (not ASCII-escaped), its Decimals exact."""
    # json writes a float's repr and nothing else as a bare number, so each Decimal goes
    # out as a string carrying a marker no input can contain, and the marks come off after
    marker = secrets.token_hex(8)

    def plain(value: object) -> object:
        if isinstance(value, Decimal):
            return f"{marker}{exact_number(value)}{marker}" if value.is_finite() else str(value)
        if isinstance(value, dt.timedelta):
            return iso_duration(value)
        if isinstance(value, dt.date):  # datetimes too
            return value.isoformat()
        raise TypeError(f"{type(value).__name__} is not written as JSON")

    text = json.dumps(data, indent=indent, ensure_ascii=False, default=plain)
    return re.sub(f'"{marker}(-?[0-9.]+){marker}"', r"\1", text)
