"""The shipped fonts, embedded in the HTML edition for a browser to read it in.

A browser knows nothing of ``templates/fonts``: the HTML carries the Noto fonts itself,
as ``data:`` URLs in ``@font-face`` rules, so that it reads the same on every screen,
fetches nothing and stays one self-contained file. Only the HTML file carries them:
the HTML the PDF is printed from does not (WeasyPrint is given the same fonts through
fontconfig and embeds them whole, :mod:`sla_docs.editions.pdf`), and the rules sit
inside ``@media screen`` besides, which print skips.

Each font is compressed as WOFF (zlib, by fontTools, which WeasyPrint itself depends
on), half the size of the TrueType file, and the same bytes on every build.
"""

from __future__ import annotations

import base64
import io
from functools import cache

from sla_docs.assets import templates_dir

FACES = (("NotoSans-Regular.ttf", "Noto Sans", "normal", "normal"),
         ("NotoSans-Bold.ttf", "Noto Sans", "bold", "normal"),
         ("NotoSans-Italic.ttf", "Noto Sans", "normal", "italic"),
         ("NotoSans-BoldItalic.ttf", "Noto Sans", "bold", "italic"),
         ("NotoSansMath-Regular.ttf", "Noto Sans Math", "normal", "normal"))
"""Each shipped font file, with the family, weight and style it is declared as."""


@cache
def screen_font_faces() -> str:
    """The ``@media screen { @font-face … }`` rules of every shipped font, as CSS."""
    rules = [f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
             f"font-style: {style}; src: url(data:font/woff;base64,{_woff(file)}) "
             'format("woff"); }'
             for file, family, weight, style in FACES]
    return "@media screen {\n" + "\n".join(rules) + "\n}"


def with_screen_fonts(html: str) -> str:
    """The HTML edition with the fonts' rules in a ``<style>`` at the end of its head."""
    return html.replace("</head>", f"<style>\n{screen_font_faces()}\n</style>\n</head>", 1)


def _woff(file: str) -> str:
    """The font as WOFF, base64: the same bytes every time (no timestamp is rewritten)."""
    from fontTools.ttLib import TTFont  # here: only HTML editions need it, once a process

    font = TTFont(templates_dir() / "fonts" / file, recalcTimestamp=False)
    font.flavor = "woff"
    buffer = io.BytesIO()
    font.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
