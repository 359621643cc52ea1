"""The currency an agreement is kept in: an ISO 4217 code of a currency in use, from CLDR."""

import functools
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from sla_docs.model.types import CURRENCY_PATTERN


@functools.cache
def currencies() -> tuple[str, ...]:
    """The ISO 4217 codes of the currencies legal tender somewhere today, from CLDR (Babel).

    Not every code ISO lists: a withdrawn currency (``DEM``), gold (``XAU``) or the test
    code ``XTS`` is no currency an agreement is kept in today.
    """
    from babel.core import get_global  # here: only a currency to check needs CLDR's data

    return tuple(sorted({
        code for history in get_global("territory_currencies").values()
        for code, _start, end, tender in history if tender and end is None
    }))


@dataclass(frozen=True)
class _CurrencyChoices:
    """The schema of a currency: CLDR's list, read when a schema is made, not on import."""

    def __get_pydantic_json_schema__(self, schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "enum": list(currencies()),
                "description": "An ISO 4217 code of a currency in use: `EUR`, `USD`."}


def _known_currency(code: str) -> str:
    if code not in currencies():
        raise PydanticCustomError(
            "currency_unknown", "`{value}` is not a currency in use (an ISO 4217 code such "
            "as `EUR` or `USD`)", {"value": code, "expected": ", ".join(currencies())})
    return code


Currency = Annotated[
    str,
    Field(pattern=CURRENCY_PATTERN),
    AfterValidator(_known_currency),
    _CurrencyChoices(),
]
"""An ISO 4217 currency code such as ``EUR`` or ``USD``, of a currency in use today."""
