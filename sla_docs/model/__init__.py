"""The agreement's structure as strict, frozen pydantic models, and its validation.

The root model is :class:`sla_docs.model.agreement.Agreement`;
:func:`sla_docs.model.parse.parse_agreement` validates a loaded source into it, each
error at its ``file:line:col``.
"""
