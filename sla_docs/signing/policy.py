"""What a revision of a signed edition may change: pyHanko's difference analysis, narrowed.

pyHanko's default policy lets a new signature field with any appearance pass as "form
filling", and rewrites of ``/Info`` and the XMP stream pass as "LTA updates" whatever
they say. An edition is signed by ``sla sign`` (or any PAdES signer filling an existing
field), and later made long-lived by document timestamps and validation data, so this
policy whitelists exactly what those write, revision by revision:

- a signature filling an existing signature field, with its appearance;
- a new signature field (the rules after the policy require it to hold an invisible
  document timestamp, and nothing else);
- the document security store (``/DSS``, its ``/VRI``), object and xref streams;
- in the catalog, ``/AcroForm`` (see :data:`ACROFORM_UPDATED`), ``/Extensions``
  (pyHanko declares PAdES's), ``/Version``;
- in the document information, ``/ModDate`` and ``/Producer`` only, and in the XMP
  stream the same two facts (``xmp:ModifyDate``, ``xmp:MetadataDate``,
  ``pdf:Producer``, and ``xmpMM:InstanceID``), whatever XML spelling the signer
  rewrites them in.

Anything else left unexplained fails the revision (pyHanko's
:class:`~pyhanko.sign.diff_analysis.SuspiciousModification`): a new annotation, a
changed page, content, appearance or attachment, a freed object, an orphan object.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver, RawPdfPath
from pyhanko.sign.diff_analysis import (
    CatalogModificationRule,
    DSSCompareRule,
    FormUpdatingRule,
    ModificationLevel,
    ObjectStreamRule,
    ReferenceUpdate,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    SuspiciousModification,
    WhitelistRule,
    XrefStreamRule,
)
from pyhanko.sign.diff_analysis.commons import safe_whitelist
from pyhanko.sign.diff_analysis.rules_api import Context

from sla_docs.errors import printable

INFO_UPDATED = frozenset({"/ModDate", "/Producer"})
"""The document information entries a signature may rewrite: when, and with what."""
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XMP_UPDATED = frozenset({"{http://ns.adobe.com/xap/1.0/}ModifyDate",
                         "{http://ns.adobe.com/xap/1.0/}MetadataDate",
                         "{http://ns.adobe.com/pdf/1.3/}Producer",
                         "{http://ns.adobe.com/xap/1.0/mm/}InstanceID"})
"""The XMP properties a signature may rewrite: the same two facts as :data:`INFO_UPDATED`,
and the identifier XMP gives each saved instance of a file."""
CATALOG_UPDATED = frozenset({"/AcroForm", "/DSS", "/Extensions", "/Metadata", "/Version"})
"""The catalog entries a revision may change; each but /Version is vetted by its own rule."""
ACROFORM_UPDATED = frozenset({"/Fields", "/SigFlags", "/DR", "/DA"})
"""The form's entries a signature may change: a timestamp's new field, "signatures exist",
and the default resources and appearance a PDF reader adds when it signs (never
``/NeedAppearances`` or ``/XFA``, which change what a reader draws)."""


class InfoRule(WhitelistRule):
    """``/Info`` may change in :data:`INFO_UPDATED` only, each a plain string."""

    def apply(self, old: HistoricalResolver, new: HistoricalResolver
              ) -> Iterable[ReferenceUpdate]:
        """Whitelist the new ``/Info`` if nothing else in it changed; refuse it otherwise."""
        new_ref = new.trailer_view.get_value_as_reference("/Info", optional=True)
        old_ref = old.trailer_view.get_value_as_reference("/Info", optional=True)
        if new_ref is None or old_ref is None:
            if new_ref != old_ref:
                raise SuspiciousModification("the document information was added or removed")
            return
        old_info, new_info = old(old_ref), new(new_ref)
        for key in sorted((set(old_info) | set(new_info)) - INFO_UPDATED):
            before, after = _value(old_info, key), _value(new_info, key)
            if before != after:
                raise SuspiciousModification(
                    f"the document information's {key[1:]} changed from "
                    f"{_quoted(before)} to {_quoted(after)}")
        for key in INFO_UPDATED & set(new_info):
            if not isinstance(new_info.raw_get(key), generic.TextStringObject):
                raise SuspiciousModification(f"the document information's {key[1:]} "
                                             "is not a plain text")
        yield from map(ReferenceUpdate.curry_ref(
            context_checked=Context.from_absolute(old, RawPdfPath("/Info"))),
            safe_whitelist(old, old_ref, new_ref))


class XmpRule(WhitelistRule):
    """The XMP stream may change in :data:`XMP_UPDATED` only, however it is spelled."""

    def apply(self, old: HistoricalResolver, new: HistoricalResolver
              ) -> Iterable[ReferenceUpdate]:
        """Whitelist the new XMP stream if its other properties are the old ones."""
        old_ref, new_ref = _metadata_ref(old), _metadata_ref(new)
        if new_ref is None or old_ref is None:
            if new_ref != old_ref:
                raise SuspiciousModification("the XMP metadata was added or removed")
            return
        before, after = _xmp_properties(old(old_ref)), _xmp_properties(new(new_ref))
        for name in sorted((set(before) | set(after)) - XMP_UPDATED):
            if before.get(name) != after.get(name):
                raise SuspiciousModification(f"the XMP metadata's {_short(name)} changed")
        if old_ref == new_ref or old.is_ref_unassignable(new_ref):
            yield ReferenceUpdate(new_ref, context_checked=Context.from_absolute(
                old, RawPdfPath("/Root", "/Metadata")))


def edition_policy() -> StandardDiffPolicy:
    """The difference policy of a signed edition (see the module's description)."""
    lta = ModificationLevel.LTA_UPDATES
    catalog = CatalogModificationRule(ignored_keys=CATALOG_UPDATED)  # type: ignore[no-untyped-call]
    creation = SigFieldCreationRule()  # type: ignore[no-untyped-call]
    return StandardDiffPolicy(
        global_rules=[catalog, InfoRule().as_qualified(lta), XmpRule().as_qualified(lta),
                      XrefStreamRule().as_qualified(lta), ObjectStreamRule().as_qualified(lta),
                      DSSCompareRule().as_qualified(lta)],
        form_rule=FormUpdatingRule(field_rules=[creation, SigFieldModificationRule()],
                                   ignored_acroform_keys=ACROFORM_UPDATED),
        reject_object_freeing=True, ignore_orphaned_objects=False,
        ignore_identical_objects=True)


def _value(dictionary: Any, key: str) -> Any:
    if key not in dictionary:
        return None
    value = dictionary[key]  # followed, so an indirect string compares by its text
    if isinstance(value, (generic.DictionaryObject, generic.ArrayObject)):
        raise SuspiciousModification(f"the document information's {key[1:]} is not a text")
    return value


def _quoted(value: Any) -> str:
    text = "nothing" if value is None else repr(printable(str(value))[:80])
    return text


def _metadata_ref(revision: HistoricalResolver) -> Any:
    try:
        return revision.root.get_value_as_reference("/Metadata", optional=True)
    except Exception as error:  # pyHanko says "IndirectObjectExpected" in its own way
        raise SuspiciousModification("/Metadata is not a reference to a stream") from error


def _xmp_properties(stream: Any) -> dict[str, list[str]]:
    """Every property the XMP packet states, by expanded name, each value canonical."""
    if not isinstance(stream, generic.StreamObject):
        raise SuspiciousModification("/Metadata is not a stream")
    text = stream.data
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:  # XMP has no use for either
        raise SuspiciousModification("the XMP metadata declares a document type or entities")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise SuspiciousModification(f"the XMP metadata is not XML ({error})") from None
    found: dict[str, list[str]] = {}
    for holder in root.iter(f"{_RDF}RDF"):
        for description in holder:
            if description.tag != f"{_RDF}Description":
                found.setdefault(description.tag, []).append(_canonical(description))
                continue
            for name, value in description.attrib.items():
                if name != f"{_RDF}about":
                    found.setdefault(name, []).append(value)
            for element in description:
                found.setdefault(element.tag, []).append(_canonical(element))
    return {name: sorted(values) for name, values in found.items()}


def _canonical(element: ET.Element) -> str:
    """A property's value, the same whether written as an attribute or an element."""
    if not len(element) and not element.attrib:
        return (element.text or "").strip()
    return repr(list(_nodes(element)))


def _nodes(element: ET.Element) -> Iterator[tuple[str, list[tuple[str, str]], str]]:
    for node in element.iter():
        yield node.tag, sorted(node.attrib.items()), (node.text or "").strip()


def _short(name: str) -> str:
    namespace, _, local = name.rpartition("}")
    prefixes = {"{http://purl.org/dc/elements/1.1/": "dc",
                "{http://ns.adobe.com/xap/1.0/": "xmp", "{http://ns.adobe.com/pdf/1.3/": "pdf",
                "{http://www.aiim.org/pdfa/ns/id/": "pdfaid"}
    return f"{prefixes.get(namespace, 'property')}:{printable(local)}"
