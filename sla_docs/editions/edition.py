"""One agreement in one language: what an edition is made of, before it is rendered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sla_docs.editions.i18n import edition_locale
from sla_docs.editions.revision_table import RevisionRow, revision_rows
from sla_docs.model.agreement import Agreement
from sla_docs.targets.compute import agreement_targets
from sla_docs.targets.figures import Targets


@dataclass(frozen=True)
class Edition:
    """One agreement in one language: everything its Markdown, HTML and PDF show."""

    agreement: Agreement
    """The validated agreement."""
    language: str
    """The edition's language (``it``)."""
    source_name: str
    """The source file's name, as the edition cites it (``acme.yaml``)."""
    source_sha256: str
    """SHA-256 of the source's bytes: which source exactly this edition is of."""
    created: dt.datetime
    """The edition's date: fixed by the source, never the clock (see ``build``)."""
    history: tuple[tuple[str, dt.date], ...] = ()
    """The date git gives each version of the source (empty outside git): a version's
    date where its ``revisions:`` entry has none."""
    targets: Targets = field(init=False)
    """The computed targets."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", agreement_targets(self.agreement))

    @property
    def locale(self) -> str:
        """The CLDR locale of numbers and dates (``pt_BR``)."""
        return edition_locale(self.agreement, self.language)

    @property
    def language_tag(self) -> str:
        """The BCP 47 tag of the edition (``pt-BR``), for ``lang`` and the PDF's ``/Lang``."""
        return self.locale.replace("_", "-")

    def revisions(self) -> list[RevisionRow]:
        """The revision table, oldest first, up to the version being built."""
        return revision_rows(self.agreement, self.history)
