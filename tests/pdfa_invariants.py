"""What a signed edition must keep of PDF/A-3B, checked directly (veraPDF is not
available offline): the document information agrees with the XMP metadata, entry by
entry, and the catalog's /AF lists each associated file once. Read with pyHanko's
reader and the standard library's XML parser, independently of the signing code."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
# document information entry → where its twin sits in XMP (element or attribute)
TWINS = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description",
         "/Keywords": "pdf:Keywords", "/Creator": "xmp:CreatorTool",
         "/Producer": "pdf:Producer", "/CreationDate": "xmp:CreateDate",
         "/ModDate": "xmp:ModifyDate"}


def pdfa_problems(pdf: Path) -> list[str]:
    """Every way ``pdf``'s last revision breaks the invariants above; [] when none."""
    reader = PdfFileReader(io.BytesIO(pdf.read_bytes()), strict=False)
    info = reader.trailer_view["/Info"]
    xmp = _xmp_values(reader.root["/Metadata"].data)
    problems = [f"{key}: info {_value(info[key])!r} != XMP {xmp.get(twin)!r}"
                for key, twin in TWINS.items()
                if key in info and _value(info[key]) != xmp.get(twin)]
    problems += [f"{key} only in XMP" for key, twin in TWINS.items()
                 if twin in xmp and key not in info]
    if (xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")) != ("3", "B"):
        problems.append("XMP does not claim PDF/A-3B")
    listed = [(ref.idnum, ref.generation) for ref in reader.root.raw_get("/AF")]
    if len(set(listed)) != len(listed):
        problems.append(f"/AF lists a file more than once: {listed}")
    return problems


def _value(value: Any) -> str:
    text = str(value)
    match = re.fullmatch(r"D:(\d{14})(Z|[+-]\d\d'\d\d'?)?", text)
    if not match:
        return text
    zone = (match.group(2) or "Z").replace("'", "")
    moment = dt.datetime.strptime(match.group(1) + ("+0000" if zone == "Z" else zone),
                                  "%Y%m%d%H%M%S%z")
    return moment.astimezone(dt.UTC).isoformat()


def _xmp_values(raw: bytes) -> dict[str, str]:
    """Each XMP property (attribute or element of an rdf:Description), as one string."""
    found: dict[str, str] = {}
    prefixes = {uri: prefix for prefix, uri in NS.items()}
    for description in ET.fromstring(raw.decode("utf-8").strip("\ufeff")).iter(
            f"{{{NS['rdf']}}}Description"):
        for name, value in [*description.attrib.items(),
                            *((child.tag, _text(child)) for child in description)]:
            uri, _, local = name[1:].partition("}")
            if uri in prefixes:
                key = f"{prefixes[uri]}:{local}"
                found[key] = _date(value) if local.endswith("Date") else value
    return found


def _text(element: ET.Element) -> str:
    items = element.findall(".//rdf:li", NS)
    return ", ".join(item.text or "" for item in items) if items else (element.text or "")


def _date(text: str) -> str:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC).isoformat()
