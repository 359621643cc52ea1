"""What ``sla sign`` and ``sla verify`` both read from a PDF edition: the edition's own
account of itself (its agreement, the SHA-256 of its source, its signatories, all from
the source attached to it), and the file's bytes.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader

from sla_docs.errors import SlaError
from sla_docs.source.load import load_bytes


def quiet_pyhanko() -> None:
    """Keep pyHanko's log (tracebacks of every failed check) off the user's terminal.

    What it found is reported by this tool, in its own words.
    """
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False


class SigningError(SlaError):
    """A signature that cannot be made, for a reason the user can fix."""


@dataclass(frozen=True)
class EditionFacts:
    """What a PDF edition says of itself, read from the PDF."""

    agreement_id: str
    """The agreement's id."""
    source_sha256: str
    """The SHA-256 of the source it was built from, as the document information says."""
    signatories: dict[str, str]
    """Each signatory's id and name, from the attached source."""
    emails: dict[str, str] = field(default_factory=dict)
    """The e-mail address each signatory who declares one is recognised by (id → address)."""
    source_name: str = ""
    """The source's file name, as the edition was built from it (its attachment's name)."""
    language: str = ""
    """The edition's language, as its document information says (``en``)."""
    created: str = ""
    """The edition's date, as its document information says (a PDF date string)."""
    attached_source: bytes = b""
    """The source attached to the edition."""


def edition_facts(data: bytes, name: str) -> EditionFacts:
    """The edition's own account of itself; :class:`SigningError` if it is no edition."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        info = _entry(reader.trailer_view, "/Info", {})
        declared = str(_entry(info, "/slasourcesha256", ""))
        attached = _attached_source(reader.root)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise SigningError(f"{name}: not a PDF that can be read ({error})") from None
    if not declared or attached is None:
        raise SigningError(f"{name}: not an sla-docs edition (no source attached)")
    if hashlib.sha256(attached).hexdigest() != declared:
        raise SigningError(f"{name}: the attached source is not the one the PDF declares")
    keywords = str(_entry(info, "/Keywords", "")).split(",")
    return replace(_facts_from_source(attached, name, declared),
                   source_name=_attachment_name(reader.root), language=keywords[-1].strip(),
                   created=str(_entry(info, "/CreationDate", "")), attached_source=attached)


def _attachment_name(root: Any) -> str:
    for reference in _entry(root, "/AF", ()):
        spec = reference.get_object()
        if str(_entry(spec, "/AFRelationship", "")) == "/Source":
            return str(_entry(spec, "/UF", _entry(spec, "/F", "")))
    return ""


def _attached_source(root: Any) -> bytes | None:
    """The YAML file attached to the edition (its PDF/A associated file)."""
    for reference in _entry(root, "/AF", ()):
        spec = reference.get_object()
        if "/EF" in spec and str(_entry(spec, "/AFRelationship", "")) == "/Source":
            return bytes(spec["/EF"]["/F"].data)
    return None


def _entry(dictionary: Any, key: str, default: Any) -> Any:
    """``dictionary[key]``, followed to its object: pyHanko's ``get`` does not follow."""
    return dictionary[key] if key in dictionary else default  # noqa: SIM401 (see above)


def _facts_from_source(attached: bytes, name: str, sha256: str) -> EditionFacts:
    try:
        data = load_bytes(attached, f"{name} (attached source)").data
    except SlaError:
        raise SigningError(f"{name}: the attached source cannot be read") from None
    if not isinstance(data, dict):
        raise SigningError(f"{name}: the attached source is not an agreement")
    people = data.get("signatories")
    listed = [p for p in (people if isinstance(people, list) else ())
              if isinstance(p, dict) and "id" in p]
    signatories = {str(p["id"]): str(p.get("name", p["id"])) for p in listed}
    emails = {str(p["id"]): str(p["email"]) for p in listed if p.get("email")}
    return EditionFacts(str(data.get("id", "")), sha256, signatories, emails)


def read_input(path: Path) -> bytes:
    """The bytes of a file the user named; :class:`SigningError` if it cannot be read."""
    try:
        if not path.is_file():  # a FIFO or a device (/dev/zero) would never end
            raise SigningError(f"{path}: not a regular file")
        return path.read_bytes()
    except OSError as error:
        raise SigningError(f"{path}: {error.strerror or error}") from None
