"""A month's actuals, for the monthly recalculation of the targets (``sla targets --actuals``).

The names follow what the monthly review records: the marketing leads, how many of them
became customers and what those customers brought, and the month's revenue.
"""

from pydantic import Field

from sla_docs.model.base import Section
from sla_docs.model.types import Count, Money


class Actuals(Section):
    """What one month actually produced."""

    month: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    """The month these figures are for, ``2026-12``."""
    marketing_leads: Count
    """Leads Marketing generated in the month."""
    marketing_customers: Count
    """How many of those leads became customers."""
    marketing_customer_revenue: Money
    """The revenue those customers brought."""
    marketing_revenue: Money
    """All revenue closed in the month from marketing-generated leads."""
    total_revenue: Money
    """All revenue closed in the month."""
