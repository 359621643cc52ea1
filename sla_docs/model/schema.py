"""The JSON Schema of an agreement source, for editors and other tools."""

from __future__ import annotations

import json
from typing import Any

from sla_docs.model.agreement import Agreement

SCHEMA_FILE_NAME = "agreement.schema.json"
"""The file name the build writes the schema under; the samples point at it."""


def agreement_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) an agreement YAML must follow."""
    schema = Agreement.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def agreement_schema_text() -> str:
    """The schema as stable, indented JSON text ending in a newline."""
    return json.dumps(agreement_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
