"""Completeness and consistency beyond what types can say, and ``sla validate``.

Every rule reads the raw data (guided by the model's annotations, see
:mod:`sla_docs.model.walk`), so the checks run even where part of the file failed
validation, and the user sees every problem in one pass. The rules are a list:
adding one is adding a function to :data:`sla_docs.check.completeness.RULES`.
"""
