"""sla-docs: the service level agreement between Marketing and Sales, kept as code."""

__version__ = "0.1.0"
