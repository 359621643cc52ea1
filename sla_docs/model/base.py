"""The base every section of the agreement is built on."""

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A part of the agreement: unknown keys are errors, values never change after loading.

    Attribute docstrings become the descriptions in the JSON Schema, which is what an
    editor shows when the cursor is on a key.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        use_attribute_docstrings=True,
        defer_build=True,
    )
