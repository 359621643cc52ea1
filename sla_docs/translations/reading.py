"""A translator's file read back: PO through Babel, XLIFF 1.2 through translate-toolkit.

Whatever is wrong with the file itself (not UTF-8, a PO line Babel cannot parse, XML
that is not well-formed, an entry given twice) is an error at ``file:line:column``, not
a traceback. XLIFF is parsed by translate-toolkit's parser for untrusted input (lxml
with ``resolve_entities=False`` and ``no_network=True``): an external entity is never
fetched and an entity never expanded, so neither ``file:///etc/passwd`` nor a billion
laughs reaches a text; and a file that declares a DOCTYPE at all is refused, rather than
read with its entity references quietly dropped (``tests/test_translations.py`` tries
both).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser
from lxml import etree
from translate.storage import xliff

from sla_docs.errors import SlaError, line_col
from sla_docs.input_files import read_input

MAX_BYTES = 16 * 1024 * 1024
"""A translator's file of an agreement (at most a megabyte of YAML) is far smaller."""


class TranslationFileError(SlaError):
    """A translator's file that cannot be read or used, at ``file:line:column``."""


@dataclass(frozen=True)
class Entry:
    """One text of a translator's file."""

    context: str | None
    """Which text it is: its YAML path (``goals[0].metric``), as exported."""
    source: str
    """The source-language text, as it was when the file was exported."""
    translation: str
    """The translation; empty when the text is not translated."""
    line: int
    """Where the entry is in the translator's file."""
    fuzzy: bool
    """Marked as needing review (``fuzzy``, ``needs-…``): gettext does not use it either."""


@dataclass(frozen=True)
class TranslationFile:
    """What a translator's file says."""

    name: str
    """The file, as the user named it."""
    language: str | None
    """The language translated into, from its header (``Language:``, ``target-language``)."""
    agreement_id: str | None
    """The agreement it was exported from (``Project-Id-Version``, ``product-name``)."""
    entries: list[Entry]
    """Its texts, in file order."""

    def error(self, line: int, message: str) -> TranslationFileError:
        """An error at ``line`` of this file."""
        return TranslationFileError(f"{self.name}:{line}:1: {message}")


def read_translation_file(path: Path) -> TranslationFile:
    """The translator's file at ``path``: XLIFF when it starts with ``<``, else PO."""
    name = str(path)
    try:
        raw = read_input(path, MAX_BYTES)  # a regular file, and a bounded one
    except OSError as error:
        raise TranslationFileError(f"{name}: cannot read: {error.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        good = raw[:error.start].decode("utf-8-sig", errors="replace")
        line, column = line_col(good, len(good))
        raise TranslationFileError(f"{name}:{line}:{column}: not UTF-8: byte "
                                   f"0x{raw[error.start]:02x}") from None
    if text.lstrip().startswith("<"):
        return _xliff(name, raw)
    return _po(name, text)


class _Catalog(Catalog):
    """A catalog that remembers the entries given twice (Babel merges them quietly)."""

    def __init__(self) -> None:
        super().__init__()
        self.repeated: list[Message] = []
        self._seen: set[tuple[str | None, object]] = set()

    def __setitem__(self, id: str | tuple[str, ...] | list[str], message: Message) -> None:
        key = (message.context, tuple(id) if isinstance(id, list) else id)
        if id and key in self._seen:
            self.repeated.append(message)
        self._seen.add(key)
        super().__setitem__(id, message)


def _po(name: str, text: str) -> TranslationFile:
    catalog = _Catalog()
    try:
        PoFileParser(catalog, ignore_obsolete=True, abort_invalid=True).parse(
            io.StringIO(text))
    except PoFileError as error:
        raise TranslationFileError(f"{name}:{error.lineno + 1}:1: not a PO file: "
                                   f"{str(error).rsplit(' on ', 1)[0]}") from None
    except Exception as error:  # Babel on a file it cannot read: the file is at fault
        raise TranslationFileError(f"{name}: not a PO file Babel can read: {error}") from None
    found = TranslationFile(name, _language(catalog.locale_identifier),
                            catalog.project or None, [])
    if catalog.repeated:
        raise found.error(catalog.repeated[0].lineno or 1,
                          f"`{catalog.repeated[0].context}` is given twice")
    seen: set[str | None] = set()
    for message in catalog:
        if not message.id:
            continue  # the header
        line = message.lineno or 1  # Babel sets it for every message it reads
        if message.context in seen:
            raise found.error(line, f"`{message.context}` is given twice")
        seen.add(message.context)
        if not isinstance(message.id, str) or not isinstance(message.string, str):
            raise found.error(line, "an entry with plural forms: an agreement's "
                                              "texts have none")
        found.entries.append(Entry(message.context, message.id, message.string,
                                   line, message.fuzzy))
    return found


def _xliff(name: str, raw: bytes) -> TranslationFile:
    try:
        store = xliff.xlifffile.parsestring(raw)  # type: ignore[no-untyped-call]
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise TranslationFileError(f"{name}:{line}:{column}: not XML: {error.msg}") from None
    except Exception as error:  # translate-toolkit on a file it cannot read
        raise TranslationFileError(f"{name}: not an XLIFF 1.2 file: {error}") from None
    if store.document.docinfo.doctype:  # entities, expanded or not, have no place in it
        raise TranslationFileError(f"{name}:1:1: an XLIFF file with a DOCTYPE (entity "
                                   "declarations): a translation tool writes none")
    files = store.document.getroot().iterchildren(store.namespaced("file"))
    first = next(files, None)
    second = next(files, None)
    if second is not None:  # one agreement in one language is one <file>
        raise TranslationFileError(f"{name}:{second.sourceline or 1}:1: a second <file> "
                                   "element: export one file per agreement and language")
    found = TranslationFile(name, _language(store.gettargetlanguage()),
                            first.get("product-name") if first is not None else None, [])
    seen: set[str | None] = set()
    for unit in store.units:
        if unit.xmlelement.get("translate") == "no":
            continue  # not for translating: the tool kept it for reference
        target_node = unit.getlanguageNode(lang=None, index=1)
        node = target_node if target_node is not None else unit.xmlelement
        line = node.sourceline or 1
        context = unit.xmlelement.get("id")
        if context in seen:
            raise found.error(line, f"`{context}` is given twice")
        seen.add(context)
        state = target_node.get("state", "") if target_node is not None else ""
        found.entries.append(Entry(context, unit.source or "", unit.target or "", line,
                                   state.startswith("needs-") or state == "new"))
    return found


def _language(identifier: str | None) -> str | None:
    """The language of a locale identifier (``it_IT``, ``pt-BR``: ``it``, ``pt``)."""
    if not identifier:
        return None
    return identifier.replace("-", "_").split("_")[0]
