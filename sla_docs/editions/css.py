"""Text written into the editions' CSS: the running header and the page counter are
``content:`` values, which a quote or a backslash in an agreement's name must not end."""

from __future__ import annotations

import re


def css_content(message: str, slots: dict[str, str]) -> str:
    """A message with ``{slot}`` placeholders as a CSS ``content`` value.

    Text becomes quoted CSS strings (every character that could end the string or the
    rule escaped as a hex code point); each slot becomes the CSS it names.
    """
    parts = re.split(r"\{(\w+)\}", message)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(slots.get(part, _css_string("{" + part + "}")))
        elif part:
            out.append(_css_string(part))
    return " ".join(out) or '""'


_CSS_PLAIN = frozenset(" .,·:-()/%\u2013\u2014")


def _css_string(text: str) -> str:
    return '"' + "".join(ch if ch.isalnum() or ch in _CSS_PLAIN else f"\\{ord(ch):x} "
                         for ch in text) + '"'
