"""How figures are written in each edition's language: CLDR formats through Babel.

``5000`` dollars is ``$5,000`` in English and ``5.000 USD`` in Italian; a rate of
``0.125`` is ``12.5%`` or ``12,5 %``. Two rules CLDR has and Babel does not apply: a
language's minimum grouping digits (Spanish writes ``5000`` but ``75.000``), and a
foreign currency written after the number by its ISO code (``5 000 USD``, not the
Québec ``5 000 $US``; an amount in the reader's own currency keeps its symbol,
``5 000 €``). Two writers share one interface: :class:`Plain` (no locale, for machines
and for validation, which must stay light) and :class:`Localized` (Babel, for the
editions and the command line).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_FLOOR, Decimal, localcontext

from sla_docs.durations import duration_parts, short_duration
from sla_docs.targets.figures import PRECISION, Figure, Kind, Value
from sla_docs.typography import first_day_ordinal

_CENTS = Decimal("0.01")
MINIMUM_GROUPING_DIGITS = {"es": 2, "pt_PT": 2}
"""CLDR's ``minimumGroupingDigits`` where it is not 1 (Babel's data lacks it): a number
is grouped only when its first group has at least this many digits (``1584``, ``15.840``)."""
_NAME = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9][a-z0-9_-]*)*")
Show = Callable[[Value, Kind], str]
"""Writes a value of a kind, in some language: how the working is formatted."""


def working(figure: Figure, figures: dict[str, Figure], show: Show) -> str:
    """The formula with each name replaced by its value, then the result: ``⌈50 ÷ 50%⌉ = 100``.

    An input has no working (empty text). A count rounded up shows its exact quotient
    too, cut to two decimals (``⌈441.66…⌉``); a share of a count, its exact share and the
    whole number it got (``89.6 → 90``); an average, ``≈`` its hundredths (``150 ÷ 22 ≈ 6.82``).
    """

    def value_of(match: re.Match[str]) -> str:
        used = figures.get(match.group(0))
        return show(used.value, used.kind) if used is not None else match.group(0)

    if not figure.formula:
        return ""
    if _NAME.fullmatch(figure.formula):  # a figure that is another one, under a new name
        return show(figure.value, figure.kind)
    with localcontext(prec=PRECISION):
        text = _NAME.sub(value_of, figure.formula)
        # a figure written rounded (12.345% as 12.34%, €1,666.666… as €1,666.67), used or
        # found, makes the line true only roughly, and it says so
        equals = "≈" if any(_rounded_when_shown(figures.get(name))
                            for name in _NAME.findall(figure.formula)) else "="
        result = show(figure.value, figure.kind)
        if figure.exact is None or not figure.rounded_off:
            return f"{text} {'≈' if _rounded_when_shown(figure) else equals} {result}"
        if figure.rounded == "hundredths":
            return f"{text} ≈ {result}"
        cut = figure.exact.quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
        quotient = f"{show(cut, 'count')}{'…' if cut != figure.exact else ''}"
        if figure.rounded == "shared":
            return f"{text} {equals} {quotient} → {result}"
        return f"{text} {equals} ⌈{quotient}⌉ = {result}"


RATE_PLACES = 4
"""Decimal places a rate is written with, as a fraction: hundredths of a percent."""


PLACES_SHOWN: dict[Kind, int] = {"rate": RATE_PLACES, "money": 2, "hours": 2, "minutes": 2,
                                 "days": 2}
"""Decimal places each kind of figure is written with (a rate as a fraction): what
:class:`Localized` rounds to, and so what :func:`working` knows is shown rounded."""


def _rounded_when_shown(figure: Figure | None) -> bool:
    """Whether ``figure`` has more digits than its kind is written with."""
    if figure is None or figure.rounded == "hundredths" or figure.kind not in PLACES_SHOWN:
        return False
    value = figure.value
    return isinstance(value, Decimal) and value != _trim_decimal(value, PLACES_SHOWN[figure.kind])


class Plain:
    """Locale-free writing: digits as Python prints them, rates in percent."""

    def __init__(self, currency: str = "") -> None:
        self.currency = currency
        """The ISO code money is written with."""

    def __call__(self, value: Value, kind: Kind) -> str:
        """``value`` written as a ``kind``."""
        if kind == "rate" and isinstance(value, Decimal | int):
            return f"{_trim(Decimal(value) * 100)}%"
        if kind == "money" and isinstance(value, Decimal | int):
            return f"{_trim(_money(value))} {self.currency}".strip()
        if isinstance(value, dt.timedelta):
            return short_duration(value)
        if isinstance(value, Decimal):
            return _trim(value)
        return str(value)


class Localized:
    """Writing by the CLDR conventions of ``language`` (Babel)."""

    def __init__(self, language: str, currency: str) -> None:
        # Babel is imported in the methods: validation writes figures with Plain only,
        # and `sla validate` loads no Babel at all
        from babel import Locale

        self.locale = Locale.parse(language)
        """The Babel locale."""
        self.currency = currency
        """The ISO code money is written with."""
        name = str(self.locale)
        self.minimum_grouping = MINIMUM_GROUPING_DIGITS.get(
            name, MINIMUM_GROUPING_DIGITS.get(self.locale.language, 1))
        """The fewest digits the first group of a grouped number has (CLDR)."""

    def __call__(self, value: Value, kind: Kind) -> str:
        """``value`` written as a ``kind``, the way readers of this language expect."""
        with localcontext(prec=PRECISION):  # Babel quantizes: 27 digits and cents overflow 28
            return self._written(value, kind)

    def _written(self, value: Value, kind: Kind) -> str:
        from babel import dates, numbers  # here: see __init__

        if isinstance(value, dt.timedelta):
            return self.duration(value)
        if isinstance(value, dt.date):
            written = dates.format_date(value, format="long", locale=self.locale)
            return first_day_ordinal(written, str(self.locale))  # 1er, 1º in formal text
        number = Decimal(value)
        if kind == "money":
            return self.money(number)
        if kind == "rate":
            pattern = str(self.locale.percent_formats[None].pattern).replace("0", "0.##", 1)
            return numbers.format_percent(_trim_decimal(number, PLACES_SHOWN["rate"]),
                                          format=self.grouping(pattern, number * 100),
                                          locale=self.locale)
        if kind in ("hours", "minutes", "days"):
            unit = {"hours": "duration-hour", "minutes": "duration-minute",
                    "days": "duration-day"}[kind]
            return self.unit(_trim_decimal(number, PLACES_SHOWN[kind]), unit)
        return numbers.format_decimal(number, format=self.grouping("#,##0.##", number),
                                      locale=self.locale)

    def grouping(self, pattern: str, number: Decimal | int) -> str:
        """``pattern`` without its group separator where this language writes ``number``
        ungrouped (a four-digit number in Spanish)."""
        if abs(Decimal(number)) >= 10 ** (2 + self.minimum_grouping):
            return pattern
        return pattern.replace(",", "")

    def money(self, amount: Decimal) -> str:
        """An amount: cents only when there are cents (``$5,000``, ``$1,666.67``)."""
        from babel import numbers  # here: see __init__

        rounded = _money(amount)
        pattern = self.grouping(self.currency_pattern(), rounded)
        with localcontext(prec=PRECISION):
            if rounded == rounded.to_integral_value():
                return numbers.format_currency(rounded, self.currency,
                                               format=pattern.replace(".00", ""),
                                               currency_digits=False, locale=self.locale)
            return numbers.format_currency(rounded, self.currency, format=pattern,
                                           currency_digits=False, locale=self.locale)

    def currency_pattern(self) -> str:
        """The locale's currency pattern; a foreign currency written after the number
        by its ISO code (``¤¤``): ``5 000 USD``, where ``$US`` is a Québec usage."""
        from babel import Locale, core, numbers  # here: see __init__

        pattern = str(self.locale.currency_formats["standard"].pattern)
        likely = core.get_global("likely_subtags").get(self.locale.language, "")
        territory = self.locale.territory or Locale.parse(likely).territory or ""
        own = numbers.get_territory_currencies(territory) if territory else []
        if self.currency in own or not pattern.rstrip().endswith("¤"):
            return pattern
        return pattern.replace("¤", "¤¤")

    def unit(self, amount: Decimal | int, unit: str) -> str:
        """``amount`` with its unit spelt out: ``4 hours``, ``4 ore``."""
        from babel.units import format_unit  # here: see __init__

        pattern = self.grouping("#,##0.##", amount)
        text = str(format_unit(amount, unit, length="long", format=pattern, locale=self.locale))
        if unit in text:  # some locales lack the long form of a unit in Babel's CLDR data
            text = str(format_unit(amount, unit, length="short", format=pattern,
                                   locale=self.locale))
        return text

    def month(self, first_day: dt.date) -> str:
        """A month as this language names it in running text: ``October 2026``,
        ``octubre de 2026``."""
        from babel.dates import format_skeleton  # here: see __init__

        return str(format_skeleton("yMMMM", first_day, locale=self.locale))

    def moment(self, when: dt.datetime) -> str:
        """A date and a time of day, to the minute, as this language joins them:
        ``October 30, 2026, 11:30``, ``30 ottobre 2026 11:30``."""
        from babel.dates import format_skeleton  # here: see __init__

        time = str(format_skeleton("Hm", when, locale=self.locale))
        joined = str(self.locale.datetime_formats["long"])
        return joined.replace("{1}", self(when.date(), "date")).replace("{0}", time)

    def duration(self, span: dt.timedelta) -> str:
        """A duration in whole units, exactly: ``1 hour and 30 minutes``, never rounded."""
        from babel.lists import format_list  # here: see __init__

        parts = [self.unit(count, f"duration-{unit}") for unit, count in duration_parts(span)]
        return str(format_list(parts or [self.unit(0, "duration-minute")], locale=self.locale))


def _money(amount: Decimal | int) -> Decimal:
    with localcontext(prec=PRECISION):
        return Decimal(amount).quantize(_CENTS)


def _trim_decimal(number: Decimal, places: int) -> Decimal:
    with localcontext(prec=PRECISION):
        return number.quantize(Decimal(1).scaleb(-places)).normalize()


def _trim(number: Decimal) -> str:
    text = f"{_trim_decimal(number, 4):f}" if number != number.to_integral_value() else (
        f"{number.to_integral_value():f}")
    return text
