"""``sla translations export``: an agreement's prose texts as a PO or XLIFF 1.2 file.

The file pairs each text in the source language with its current translation, names
where it stands (the YAML path as ``msgctxt`` / the unit's ``id``, the file and line as
a reference) and protects the figures: XLIFF carries each ``{{ … }}`` as an inline
``<ph>`` element a translation tool will not let the translator retype; PO lists them in
a comment above the entry, and ``import`` refuses a translation that changes them.
Texts whose translation is stale are marked ``fuzzy`` (PO) or ``needs-review-translation``
(XLIFF). Babel writes the PO file and translate-toolkit the XLIFF: no XML by hand.

The same source exports the same bytes: the header's dates are the agreement's
effective date, not the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections import Counter
from collections.abc import Collection
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from translate.storage import xliff
from translate.storage.placeables import StringElem
from translate.storage.placeables.xliff import Ph

from sla_docs.check.stale import stale_translations
from sla_docs.check.validate import ValidAgreement, check_file, require_valid
from sla_docs.check.version_gate import source_at_revision
from sla_docs.errors import SlaError, printable
from sla_docs.files import write_atomic
from sla_docs.source.load import YamlPath
from sla_docs.translations.texts import (
    ProseText,
    placeholders,
    prose_texts,
)

Form = Literal["po", "xliff"]
"""The file formats translators' tools read."""
XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
"""XLIFF 1.2, the version every translation tool reads (translate-toolkit writes 1.1
unless told)."""
YAML_SUFFIXES = (".yaml", ".yml")
"""The files ``export -o`` will not write: agreements are YAML, a translator's file never."""
PLACEHOLDER_NOTE = "keep as written: "
"""How a PO entry's comment lists its figures (``import`` checks them, not this line)."""


class _Unit(xliff.xliffunit):
    """A trans-unit of an XLIFF 1.2 file."""

    namespace = XLIFF_NAMESPACE


class _Xliff(xliff.Xliff1File[_Unit]):
    """An XLIFF 1.2 file, as translate-toolkit writes 1.1 by default."""

    UnitClass = _Unit
    namespace = XLIFF_NAMESPACE
    XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")


def load_valid(path: Path) -> ValidAgreement:
    """The agreement at ``path``, validated: a translation is made from a valid one only."""
    return require_valid(check_file(path, dt.date.today()))


def target_language(valid: ValidAgreement, language: str) -> str:
    """``language``, when the agreement declares it and it is not the source language;
    otherwise an error naming the file."""
    agreement = valid.agreement
    declared = [str(lang) for lang in agreement.languages]
    if language not in declared:
        raise SlaError(f"{valid.path}: the agreement is not written in `{language}` "
                       f"(its languages: {', '.join(declared)})")
    if language == agreement.original_language:
        raise SlaError(f"{valid.path}: `{language}` is the source language, the one "
                       "texts are translated from, not into")
    return language


def export_translations(path: Path, language: str, form: Form, output: Path | None, *,
                        base: str | None = None,
                        stale: Collection[YamlPath] = frozenset()) -> bytes | None:
    """The agreement's texts as a translator's file in ``language``: written to
    ``output`` when given (and None returned), else returned.

    The texts whose ``language`` translation is stale since git revision ``base`` are
    marked for review, and so are those in ``stale`` (a text's path, or its path and
    language).
    """
    if output is not None:
        refuse_output(output, path)
    valid = load_valid(path)
    language = target_language(valid, language)
    if base is not None:
        stale = {*stale, *stale_since(valid, base, language)}
    texts = prose_texts(valid.source, valid.agreement, language)
    marked = {text.path for text in texts
              if text.path in stale or (*text.path, language) in stale}
    content = (_po if form == "po" else _xliff)(valid, language, texts, marked)
    if output is None:
        return content
    write_atomic(output, content)
    return None


def refuse_output(output: Path, agreement: Path) -> None:
    """Refuse to write a translator's file at ``output`` when it is the agreement
    exported (by any name: a link, ``./``, an absolute path) or any YAML file, such as
    another agreement: a translator's file never is one, and one wrong word on the
    command line would replace a contract."""
    if output.suffix.lower() in YAML_SUFFIXES or \
            output.resolve().suffix.lower() in YAML_SUFFIXES:
        raise SlaError(f"{output}: refusing to write a translator's file over a YAML "
                       "file (an agreement is one); name it .po or .xlf")
    try:
        same = output.exists() and os.path.samefile(output, agreement)
    except OSError:  # the output cannot be looked at: writing it will say why
        same = False
    if same:
        raise SlaError(f"{output}: refusing to write a translator's file over the "
                       f"agreement it is exported from ({agreement})")


def stale_since(valid: ValidAgreement, base: str, language: str) -> set[YamlPath]:
    """The paths of the texts whose ``language`` translation is stale since ``base``
    (:func:`~sla_docs.check.stale.stale_translations`, the comparison ``sla validate
    --base`` warns with); none when the file is new since then."""
    before = source_at_revision(Path(valid.path), base)
    if before is None:
        return set()
    return {found.path for found in stale_translations(valid.source, before)
            if language in found.to_review}


def _po(valid: ValidAgreement, language: str, texts: list[ProseText],
        stale: set[YamlPath]) -> bytes:
    agreement = valid.agreement
    name = printable(valid.path)  # a newline would start a PO entry
    day = dt.datetime.combine(agreement.effective_date, dt.time(), dt.UTC)
    catalog = Catalog(
        locale=language, project=agreement.id, version=str(agreement.version),
        header_comment=(f"# {agreement.id} {agreement.version}, {name}: its texts "
                        f"from {agreement.original_language} into {language}.\n"
                        f"# Import with: sla translations import {name} FILE"),
        creation_date=day, revision_date=day, fuzzy=False,
        last_translator="none yet", language_team=language)
    for text in texts:
        message = catalog.add(
            text.source, text.translation, locations=[(name, text.line)],
            flags={"fuzzy"} if text.path in stale else (), context=text.context,
            auto_comments=[PLACEHOLDER_NOTE + figure
                           for figure in dict.fromkeys(placeholders(text.source))])
        # Babel guesses a Python format from a `%` ("60% each" reads as `% e`), and
        # msgfmt --check would then hold the translation to it: these are prose
        message.flags.discard("python-format")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=79)
    return buffer.getvalue()


def _xliff(valid: ValidAgreement, language: str, texts: list[ProseText],
           stale: set[YamlPath]) -> bytes:
    agreement = valid.agreement
    name = printable(valid.path)  # a newline would start a PO entry
    store = _Xliff(sourcelanguage=agreement.original_language, targetlanguage=language)
    for text in texts:
        unit = store.addsourceunit(  # type: ignore[no-untyped-call]
            text.source, filename=name, createifmissing=True)
        unit.setid(text.context)
        unit.rich_source = [_rich(text.source, text.source)]
        unit.rich_target = [_rich(text.translation, text.source)]
        unit.addlocation(f"{name}:{text.line}")
        if text.path in stale:
            unit.markreviewneeded()
        else:
            unit.marktranslated()
    node = store.getfilenode(name)  # type: ignore[no-untyped-call]
    if node is None:  # an agreement always has texts, so a unit made the file node
        raise SlaError(f"{valid.path}: the agreement has no prose text to translate")
    node.set("product-name", agreement.id)  # which agreement the file belongs to
    node.set("product-version", str(agreement.version))
    return bytes(store)


def _rich(text: str, source: str) -> StringElem:
    """``text`` with each figure an inline ``<ph>`` element. A figure's id is where it
    stands in ``source`` (the second ``{{ targets.leads }}`` there is the second here),
    so a tool pairs the target's elements with the source's in any order."""
    order = placeholders(source)
    ids = {(figure, order[:index].count(figure)): str(index + 1)
           for index, figure in enumerate(order)}
    parts: list[object] = []
    rest, seen = text, Counter[str]()
    for figure in placeholders(text):
        before, _, rest = rest.partition(figure)
        number = ids.get((figure, seen[figure]), f"x{len(ids) + sum(seen.values()) + 1}")
        seen[figure] += 1
        parts += [before, Ph(id=number, sub=[figure])] if before else [Ph(id=number, sub=[figure])]
    if rest:
        parts.append(rest)
    return StringElem(parts)
