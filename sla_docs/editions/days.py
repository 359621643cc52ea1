"""Days as the agreement counts them: an edition never says "10 days" alone.

On a business calendar (``inputs.calendar.days: business``) a span of whole days is
"10 working days"; on a calendar one, "10 calendar days", in the edition's language
(the catalogs' ``{count} working days``). It holds for every span of days an edition
writes: the escalation steps, the notice period, the follow-up's span and interval, and
``{{ targets.follow_up_days }}`` in a text. Weeks, hours and minutes are written as they are.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sla_docs.durations import duration_parts
from sla_docs.editions.i18n import edition_locale, translator
from sla_docs.message_ids import N_
from sla_docs.model.agreement import Agreement
from sla_docs.targets.figures import Kind, Value
from sla_docs.targets.formats import Localized

WORKING_DAYS = (N_("{count} working day"), N_("{count} working days"))
"""One working day, several: the singular and the plural."""
CALENDAR_DAYS = (N_("{count} calendar day"), N_("{count} calendar days"))
"""One calendar day, several."""


class CountedDays(Localized):
    """:class:`Localized`, with every span of whole days said in the agreement's days."""

    def __init__(self, language: str, currency: str, *, business: bool,
                 edition_language: str) -> None:
        super().__init__(language, currency)
        self.messages = WORKING_DAYS if business else CALENDAR_DAYS
        """The singular and plural this edition writes days with."""
        self._ = translator(edition_language)

    def __call__(self, value: Value, kind: Kind) -> str:
        """``value`` written as a ``kind``; whole days as working or calendar days."""
        days = whole_days(value, kind)
        if days is None:
            return super().__call__(value, kind)
        singular, plural = self.messages
        return self._(singular if days == 1 else plural).format(
            count=super().__call__(days, "count"))


def whole_days(value: Value, kind: Kind) -> int | None:
    """The number of days ``value`` is, when it is a span of whole days, else ``None``."""
    if isinstance(value, dt.timedelta):
        parts = duration_parts(value)
        return parts[0][1] if len(parts) == 1 and parts[0][0] == "day" else None
    if kind == "days" and isinstance(value, int | Decimal) and value == int(value):
        return int(value)
    return None


def counted_days(agreement: Agreement, language: str) -> CountedDays:
    """The writer of ``language``'s edition of ``agreement``."""
    return CountedDays(edition_locale(agreement, language), agreement.currency,
                       business=agreement.inputs.calendar.days == "business",
                       edition_language=language)
