"""Stage 2, model: the agreement's structure as pydantic models, and its validation."""

from sla_docs.model.agreement import Agreement
from sla_docs.model.parse import parse_agreement

__all__ = ["Agreement", "parse_agreement"]
