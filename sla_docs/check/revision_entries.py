"""The revision history's entries: one per version, none ahead of the agreement's version.

Each entry's summary is a text, checked in every language with the others
(:func:`sla_docs.check.rules.translations`); what is checked here is the versions.
"""

from __future__ import annotations

from collections.abc import Iterator

from sla_docs.check.facts import Facts, as_list
from sla_docs.check.version_gate import version_order
from sla_docs.errors import Diagnostic


def one_entry_per_version(facts: Facts) -> Iterator[Diagnostic]:
    """No version described twice, and none above the version the agreement is at."""
    current = version_order(facts.data.get("version"))
    seen: dict[str, int] = {}
    for index, entry in enumerate(as_list(facts.data.get("revisions"))):
        if not isinstance(entry, dict) or "version" not in entry:
            continue  # the model reports the missing version
        version, where = str(entry["version"]), ("revisions", index, "version")
        order = version_order(version)
        if version in seen:
            yield facts.error(where, "SLA240", f"version {version} has two `revisions:` entries",
                              hint=f"entry {seen[version] + 1} describes it too: keep one")
        elif current is not None and order is not None and order > current:
            yield facts.error(where, "SLA240", f"`revisions:` describes version {version}, "
                              f"above the agreement's version {facts.data.get('version')}",
                              hint="raise `version:` with it, or describe it when it comes")
        seen.setdefault(version, index)
