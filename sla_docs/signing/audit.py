"""What each revision after the unsigned edition changed, judged revision by revision.

Revision 1 is the edition as ``sla build`` printed it, unsigned. Every later revision
must be one of:

- a signature filling a signatory's own, existing field (who holds the certificate
  is :mod:`sla_docs.signing.identity`'s question, asked by ``verify``);
- a document timestamp in a new, invisible field;
- validation data (the document security store) and nothing else.

Each revision is compared with the one before it under
:func:`sla_docs.signing.policy.edition_policy`, so what the revision changed is judged
on its own, including the first signature's revision, which no signature's own check
looks at. On top of that, actions and JavaScript are refused wherever they are
written after revision 1, and in revision 1 itself anything but links; and the file
must end where its last revision ends.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.fields import enumerate_sig_fields

from sla_docs.errors import printable
from sla_docs.signing.edition_facts import EditionFacts
from sla_docs.signing.policy import edition_policy

ACTION_KEYS = frozenset({"/A", "/AA", "/OpenAction", "/JS", "/JavaScript", "/URI", "/Launch",
                         "/PA"})
"""Keys through which a PDF runs or opens something: none may be written after revision 1."""
LINK_ACTIONS = frozenset({"/URI", "/GoTo"})
"""What an unsigned edition's links do: open an address, or go to a place in the document."""
MAX_REVISIONS = 100
"""More revisions than signatures, timestamps and validation data ever make: refused
before each is compared with the one before it (each comparison reads the whole file)."""
WITHOUT_SIGNING = "changes the form without signing it"
_DEEPEST = 32
"""How deep the action search follows direct objects (hostile files nest without end)."""


@dataclass
class RevisionAudit:
    """One revision after the first, and what was wrong with it."""

    number: int
    """The revision, counted from 1 (the unsigned edition)."""
    problems: list[str] = field(default_factory=list)
    """What it changed that it may not have, each in a few words."""


def audit_revisions(reader: PdfFileReader, data: bytes, facts: EditionFacts
                    ) -> tuple[list[RevisionAudit], list[str]]:
    """Every revision after the first, audited; and the problems of the file as a whole."""
    # one view per revision, shared, so each object is read once whoever asks for it
    views = [reader.get_historical_resolver(r) for r in range(reader.xrefs.total_revisions)]
    whole = [f"revision 1 (the unsigned edition): {problem}"
             for problem in _actions(views[0], links_allowed=True)]
    audits = [_audit(views[r - 1], views[r], facts) for r in range(1, len(views))]
    trailing = _bytes_after_end(reader, data)
    if trailing:
        whole.append(f"{trailing} byte(s) after the last %%EOF, outside every revision")
    return audits, whole


def _audit(old: HistoricalResolver, new: HistoricalResolver, facts: EditionFacts
           ) -> RevisionAudit:
    found = RevisionAudit(new.revision + 1)
    before, after = _signature_fields(old), _signature_fields(new)
    widgets = {str(name): ref.get_object() for name, _, ref in enumerate_sig_fields(new)}
    found.problems += [f"removes the signature field {_name(n)}" for n in before.keys() - after]
    filled = sorted(n for n, value in after.items() if value is not None
                    and before.get(n) is None)
    for name in sorted(after.keys() - before.keys()):
        found.problems += _new_field(name, after[name], widgets[name])
    if not filled and after.keys() == before.keys() and not _writes_validation_data(new):
        found.problems.append("is neither a signature, a document timestamp nor validation "
                              "data (/DSS)")
    if len(filled) > 1:
        found.problems.append(f"signs several fields at once ({', '.join(map(_name, filled))})")
    for name in filled:
        if name in before and _is_timestamp(after[name]):
            found.problems.append(f"puts a document timestamp in the field {_name(name)}")
        elif name in before and name not in facts.signatories:
            found.problems.append(f"signs the field {_name(name)}, which is no signatory's")
    found.problems += _actions(new, links_allowed=False)
    found.problems += [p for p in _policy_problems(old, new, filled)
                       if not found.problems or p != WITHOUT_SIGNING]
    return found


def _writes_validation_data(revision: HistoricalResolver) -> bool:
    """Whether ``revision`` writes the document security store (/DSS), as a revision
    holding only validation data does; pyHanko's policy lets a revision through at the
    same level when it changes only the document information, which shows in a viewer's
    properties and is no validation data."""
    root = revision.root
    if "/DSS" not in root:
        return False
    store = root.raw_get("/DSS")
    written = {ref.idnum for ref in revision.explicit_refs_in_revision()}  # type: ignore[no-untyped-call]
    held = store.idnum if isinstance(store, generic.IndirectObject) else revision.root_ref.idnum
    return held in written


def _signature_fields(revision: HistoricalResolver) -> dict[str, Any]:
    return {str(name): value for name, value, _ in enumerate_sig_fields(revision)}


def _new_field(name: str, value: Any, widget: Any) -> list[str]:
    if value is None:
        drawn = " (with an appearance of its own)" if "/AP" in widget else ""
        return [f"adds a signature field {_name(name)} that nobody signed{drawn}"]
    if not _is_timestamp(value):
        return [f"adds a field {_name(name)} and signs it: only the signatories' own fields "
                "may be signed"]
    if _drawn(widget):
        return [f"adds a document timestamp {_name(name)} that shows on a page"]
    return []


def _drawn(widget: Any) -> bool:
    """Whether a viewer may draw the widget of a new field: unless its ``/Rect`` is four
    finite numbers enclosing no area, each followed to where it is kept. pyHanko's own
    test (``is_field_visible``) reads the four without following a reference and takes
    a failure for no area, so an appearance painted over a whole page, its ``/Rect``
    held in references, passed it; a viewer follows them and draws it."""
    rect = _resolved(widget.get("/Rect"))
    if not isinstance(rect, generic.ArrayObject) or len(rect) != 4:
        return True
    try:
        x1, y1, x2, y2 = (float(_resolved(number)) for number in rect)
    except (TypeError, ValueError):
        return True
    corners = (x1, y1, x2, y2)
    return not all(math.isfinite(c) for c in corners) or (x2 - x1) * (y2 - y1) != 0


def _resolved(value: Any) -> Any:
    """``value``, or the object it refers to (the number a reference holds)."""
    while isinstance(value, generic.IndirectObject):
        value = value.get_object()  # type: ignore[no-untyped-call]
    return value


def _is_timestamp(value: Any) -> bool:
    value = _resolved(value)
    return isinstance(value, generic.DictionaryObject) and value.get("/Type") == "/DocTimeStamp"


def _policy_problems(old: HistoricalResolver, new: HistoricalResolver,
                     filled: list[str]) -> list[str]:
    try:
        result = edition_policy().apply(old, new)
    except SuspiciousModification as refused:
        return [_described(str(refused), new)]
    if not filled and result.modification_level > ModificationLevel.LTA_UPDATES:
        return [WITHOUT_SIGNING]
    unexpected = sorted(set(result.changed_form_fields) - set(filled))
    return [f"changes the field {_name(n)}" for n in unexpected]


_REFERENCE = re.compile(r"(?:Reference\(idnum=(\d+), generation=\d+\)|<(\d+) \d+ R>)")


def _described(message: str, revision: HistoricalResolver) -> str:
    """pyHanko's reason, first line, with each object it names said as what it is."""
    places = _places(revision)
    first = message.strip().splitlines()[0] if message.strip() else "an unexplained change"
    first = _REFERENCE.sub(lambda m: places.get(int(m.group(1) or m.group(2)),
                                                f"object {m.group(1) or m.group(2)}"), first)
    return "changes what was signed: " + printable(first.removeprefix(
        "There are unexplained xrefs in revision ").split(": ", 1)[-1].rstrip("."))


def _places(revision: HistoricalResolver) -> dict[int, str]:
    """What the objects a reader sees are: pages, their content and annotations, and more."""
    places: dict[int, str] = {}
    try:
        root = revision.root
        places[revision.root_ref.idnum] = "the document catalog"
        info = revision.trailer_view.get_value_as_reference("/Info", optional=True)
        if info is not None:
            places[info.idnum] = "the document information"
        pages = revision.root["/Pages"]
        for number, (page, page_ref) in enumerate(_pages(pages), start=1):
            places[page_ref.idnum] = f"page {number}"
            contents = page.raw_get("/Contents") if "/Contents" in page else None
            for ref in _references(contents):
                places[ref] = f"the content of page {number}"
            annots = page.raw_get("/Annots") if "/Annots" in page else None
            for ref in _references(annots):
                places.setdefault(ref, f"an annotation on page {number}")
                annotation = revision(generic.Reference(ref))
                owner = (f"the field {_name(str(annotation['/T']))}" if "/T" in annotation
                         else "an annotation")
                places.update(dict.fromkeys(_entries(annotation, "/AP"),
                                            f"the appearance of {owner} on page {number}"))
        for ref in _references(root.raw_get("/AF") if "/AF" in root else None):
            places[ref] = "the attached source"
            for stream in _entries(revision(generic.Reference(ref)), "/EF"):
                places[stream] = "the attached source"
    except (KeyError, TypeError, ValueError, AttributeError):  # a broken tree: numbers only
        pass
    return places


def _entries(dictionary: Any, key: str) -> list[int]:
    """The objects a dictionary's sub-dictionary ``key`` refers to (``/EF``, ``/AP``)."""
    inner = dictionary.get(key) if isinstance(dictionary, generic.DictionaryObject) else None
    if isinstance(inner, generic.IndirectObject):
        inner = inner.get_object()  # type: ignore[no-untyped-call]
    if not isinstance(inner, generic.DictionaryObject):
        return []
    return [v.idnum for v in (inner.raw_get(k) for k in inner)
            if isinstance(v, generic.IndirectObject)]


def _pages(tree: Any, depth: int = 0) -> list[tuple[Any, Any]]:
    if depth > _DEEPEST:
        return []
    found = []
    for kid in tree.get_object()["/Kids"]:
        node = kid.get_object()
        if node.get("/Type") == "/Pages":
            found += _pages(node, depth + 1)
        else:
            found.append((node, kid.reference))
    return found


def _references(value: Any) -> list[int]:
    if isinstance(value, generic.IndirectObject):
        return [value.idnum, *_references(value.get_object())]  # type: ignore[no-untyped-call]
    if isinstance(value, generic.ArrayObject):
        return [r.idnum for r in value if isinstance(r, generic.IndirectObject)]
    return []


def _actions(revision: HistoricalResolver, links_allowed: bool) -> list[str]:
    """Every action or script the objects written in ``revision`` carry."""
    found: list[str] = []
    written = revision.explicit_refs_in_revision()  # type: ignore[no-untyped-call]
    for ref in sorted(written, key=lambda r: r.idnum):
        try:
            value = revision(ref)
        except Exception:  # an object that will not read holds no action; the
            continue  # difference analysis reports it
        for key, holder in _keys(value, 0):
            if links_allowed and _is_link(key, holder):
                continue
            found.append(f"writes an action or script ({_action(key, holder)}) in "
                         + (f"the field {_name(str(value['/T']))}" if isinstance(
                             value, generic.DictionaryObject) and "/T" in value
                            else f"object {ref.idnum}"))
            break
    return found


def _action(key: str, holder: Any) -> str:
    """``/A /JavaScript``: the key, and the kind of action it holds when it says."""
    inner = holder.raw_get(key)
    kind = inner.get("/S") if isinstance(inner, generic.DictionaryObject) else None
    return f"{key} {printable(str(kind))}" if kind is not None else key


def _is_link(key: str, holder: Any) -> bool:
    """An unsigned edition's own links: ``/A`` of a ``/URI`` or ``/GoTo`` action, its ``/URI``."""
    if key == "/A":
        action = holder.get("/A")
        return isinstance(action, generic.DictionaryObject) and action.get("/S") in LINK_ACTIONS
    return key == "/URI" and holder.get("/S") == "/URI"


def _keys(value: Any, depth: int) -> list[tuple[str, Any]]:
    """The action keys in ``value`` and the dictionaries holding them, direct objects only."""
    if depth > _DEEPEST:
        return [("nesting too deep to search", value)]
    found: list[tuple[str, Any]] = []
    if isinstance(value, generic.DictionaryObject):
        for key in value:
            if key in ACTION_KEYS or (key == "/S" and value.raw_get(key) == "/JavaScript"):
                found.append((str(key), value))
            found += _keys(value.raw_get(key), depth + 1)
    elif isinstance(value, generic.ArrayObject):
        for item in value:
            found += _keys(item, depth + 1)
    return found


def revision_end(reader: PdfFileReader, data: bytes, revision: int) -> int:
    """Where ``revision`` (0-based, as pyHanko counts) ends: after its ``%%EOF`` and end of line."""
    start = reader.xrefs.get_xref_container_info(revision).end_location
    end = data.find(b"%%EOF", start)
    if end < 0:
        return start
    end += len(b"%%EOF")
    for line_end in (b"\r\n", b"\n", b"\r"):
        if data.startswith(line_end, end):
            return end + len(line_end)
    return end


def _bytes_after_end(reader: PdfFileReader, data: bytes) -> int:
    """How many bytes follow the last revision's ``%%EOF`` (an end of line aside)."""
    return len(data) - revision_end(reader, data, reader.xrefs.total_revisions - 1)


def _name(name: str) -> str:
    return repr(printable(name))
