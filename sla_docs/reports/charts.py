"""The report's charts, as SVG (matplotlib): pace, speed and depth, in the reader's words.

Every label is literal (no mathtext, no LaTeX: see :data:`STYLE`). Text stays text in
the SVG (``svg.fonttype: none``), so the PDF sets it in the edition's Noto Sans like the
rest of the page; numbers go through Babel for the report's locale; the SVG's ids are
salted with a constant, so the same figures make the same bytes.
"""

from __future__ import annotations

import io
import statistics
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from sla_docs.assets import templates_dir
from sla_docs.errors import printable
from sla_docs.reports.attainment import Attainment
from sla_docs.targets.formats import Localized

GREEN, RED, GREY, INK = "#1a7f37", "#cf222e", "#8c959f", "#1a1a1a"
STYLE: dict[str, Any] = {
    "svg.fonttype": "none", "svg.hashsalt": "sla-docs", "font.family": "Noto Sans",
    "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
    "axes.edgecolor": GREY, "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
    "text.parse_math": False, "text.usetex": False}
"""What every chart shares. Text is only ever text: an owner named ``$\\alpha$`` in an
export is written as typed, never given to mathtext or LaTeX to lay out (or fail on)."""

LABEL_LENGTH = 32
"""The most characters of a rep's name a chart shows."""

Words = Callable[[str], str]
Number = Callable[[float], str]


@contextmanager
def _figure(width: float, height: float) -> Iterator[Any]:
    _shipped_fonts()
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        yield Figure(figsize=(width, height), layout="constrained")


@cache
def _shipped_fonts() -> None:
    """Make the editions' Noto Sans known to matplotlib, which lays the labels out with
    its metrics (and would otherwise warn, per label, that it is missing)."""
    for font in sorted((templates_dir() / "fonts").glob("NotoSans-*.ttf")):
        font_manager.fontManager.addfont(str(font))


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    with warnings.catch_warnings():
        # an owner's name in a script Noto Sans lacks (李) is measured roughly, and the
        # page sets it with a fallback font anyway: no warning per missing glyph
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "sla-docs"})
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # the XML prologue has no place inside HTML


def pace_chart(found: Attainment, _: Words, number: Number) -> str:
    """Cumulative leads delivered, day by day, against the goal line."""
    with _figure(6.3, 2.6) as figure:
        axes = figure.subplots()
        days = [row.day.day for row in found.days]
        axes.plot(days, [row.cumulative for row in found.days], color=GREEN, linewidth=2,
                  label=_("Leads delivered"))
        goal = [(row.day.day, row.goal) for row in found.days if row.goal is not None]
        axes.plot([d for d, _g in goal], [g for _d, g in goal], color=INK, linestyle="--",
                  linewidth=1, label=_("Goal line"))
        axes.set_xlabel(_("Day of the month"))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: number(value)))
        axes.legend(frameon=False, loc="upper left")
        return _svg(figure)


def speed_chart(found: Attainment, _: Words, number: Number) -> str:
    """Each rep's median working hours to a first attempt, against the agreed limit:
    from the assignment when the export says when each lead was assigned."""
    reps = [(rep.owner, statistics.median(rep.speed_hours)) for rep in found.reps
            if rep.speed_hours]
    title = _("Working hours to first attempt (median)") if found.routing is None else \
        _("Working hours from assignment to first attempt (median)")
    return _rep_bars(reps, found.limit.total_seconds() / 3600, title, _("Agreed limit"),
                     number, over_is_bad=True)


def depth_chart(found: Attainment, _: Words, number: Number) -> str:
    """Each rep's average attempts on leads not reached yet, against the agreed number."""
    reps = [(rep.owner, rep.unconnected_attempts / rep.unconnected) for rep in found.reps
            if rep.unconnected]
    return _rep_bars(reps, float(found.agreed_attempts),
                     _("Attempts on leads not reached yet (average)"), _("Agreed attempts"),
                     number, over_is_bad=False)


def _rep_bars(reps: list[tuple[str, float]], line: float, title: str, line_label: str,
              number: Number, *, over_is_bad: bool) -> str:
    height = 0.9 + 0.14 * max(len(reps), 1)
    with _figure(6.3, min(height, 6.0)) as figure:
        axes = figure.subplots()
        places = range(len(reps))  # by place, not by name: two names may shorten alike
        values = [value for _name, value in reps]
        good = [(value <= line) == over_is_bad for value in values]
        axes.barh(places, values, color=[GREEN if ok else RED for ok in good], height=0.6)
        axes.set_yticks(places, labels=[_shortened(name) for name, _value in reps])
        axes.axvline(line, color=INK, linestyle="--", linewidth=1, label=line_label)
        axes.invert_yaxis()
        axes.set_xlabel(title)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: number(value)))
        axes.legend(frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0))  # above
        return _svg(figure)


def _shortened(name: str) -> str:
    """A rep's name short enough to leave the bars room (the tables show it whole), its
    control and format characters shown escaped, as the tables show them."""
    name = printable(name)
    return name if len(name) <= LABEL_LENGTH else name[:LABEL_LENGTH - 1] + "…"


def number_format(write: Localized) -> Number:
    """Axis numbers written for the locale (``1.000``, ``2,5``)."""
    return lambda value: write(Decimal(str(round(value, 2))).normalize(), "count")
