"""Marking a message id where it is defined, for words translated elsewhere.

``N_("Purpose and scope")`` is the English text, unchanged (gettext's ``gettext_noop``).
It lets Babel's extractor find the word where the code defines it, in any layer, so the
catalog check (``tests/test_catalogs.py``) sees every id the catalogs must translate;
the word is translated where it is shown (:func:`sla_docs.editions.i18n.translator`).
"""

from __future__ import annotations


def N_(message: str) -> str:
    """``message``, unchanged: marks it as a message id for Babel's extractor."""
    return message


def per_id(unit: str) -> str:
    """The message id of "per ``unit``" (``per month``, ``per working day``), as the
    editions and the change list look it up. The catalog check finds these ids marked
    where a unit is defined (``targets.compute.PER_WORKING_DAY``) or derives them from the
    model's period types (``editions.words.model_words``)."""
    return f"per {unit}"
