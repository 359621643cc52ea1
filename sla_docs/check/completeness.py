"""Every completeness and consistency rule, in the order their findings are best read."""

from __future__ import annotations

import datetime as dt

from sla_docs.check import content, figures, revision_entries, rules, terminology, texts
from sla_docs.check.facts import Rule, gather
from sla_docs.check.termbase import Terms
from sla_docs.errors import Diagnostic
from sla_docs.model.agreement import Agreement
from sla_docs.source.load import Source, YamlPath

RULES: list[Rule] = [
    rules.translations,
    rules.declared_languages,
    rules.references,
    rules.unique_ids,
    rules.required_terms,
    rules.party_kinds,
    rules.every_party_signs,
    rules.measurable_goals,
    rules.score_thresholds,
    rules.follow_up_fits,
    rules.tier_shares,
    rules.distinct_sides,
    rules.a_referent_per_party,
    rules.calendar,
    revision_entries.one_entry_per_version,
    figures.funnel_gives_close_rate,
    figures.reps_have_the_hours,
    figures.sales_sourcing_counts,
    figures.counts_in_range,
    figures.goals_name_figures,
    texts.figures_in_texts,
    texts.images_in_texts,
    texts.nesting_in_texts,
    content.kpis_have_targets,
    content.review_follows_cadence,
    content.typed_figures,
    terminology.terms_in_texts,
]
"""The checks, in the order their findings are most useful to read."""


def check_agreement(source: Source, today: dt.date, agreement: Agreement | None = None,
                    refused: frozenset[YamlPath] = frozenset(),
                    terms: Terms | None = None) -> list[Diagnostic]:
    """Every completeness and consistency problem in ``source``.

    ``agreement`` is the validated model when there is one; without it the targets are
    computed from the ``inputs:`` alone, if those are valid. ``refused`` holds the paths
    the model reported errors at: what only follows from those is not reported again.
    ``terms`` is the termbase texts are checked against (None: the package's default).
    """
    facts = gather(source, today, agreement, refused, terms)
    # a value the model refused has its error already: anything more about it follows
    return [diagnostic for rule in RULES for diagnostic in rule(facts)
            if diagnostic.yaml_path not in refused]
