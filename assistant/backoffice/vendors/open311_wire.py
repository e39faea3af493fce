"""Open311 GeoReport v2 bodies, XML and JSON, read into one shape.

The spec's XML wraps lists in a plural element (`<services><service>`,
`<service_requests><request>`, `<errors><error>`, `<attributes><attribute>`,
`<values><value>`); JSON has plain arrays. Both read into lists of dicts of text,
so the client handles one shape whatever the council's server speaks.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from typing import Any

from assistant.backoffice.errors import BackOfficeMalformed

FORMATS = ("json", "xml")
# Plural element -> its item element: read as a list.
LISTS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
}


def decode(body: bytes, fmt: str) -> Any:
    """The body as Python data; BackOfficeMalformed when it is not `fmt`."""
    if fmt == "json":
        try:
            return json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise BackOfficeMalformed("the answer is not JSON") from error
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise BackOfficeMalformed("the XML answer declares a DTD or entities")
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise BackOfficeMalformed("the answer is not XML") from error
    return _element(root)


def _element(element: ElementTree.Element) -> Any:
    children = list(element)
    if element.tag in LISTS:
        return [_element(child) for child in children if child.tag == LISTS[element.tag]]
    if not children:
        return (element.text or "").strip()
    return {child.tag: _element(child) for child in children}


def encode(data: Any, fmt: str, root: str | None = None) -> bytes:
    """`data` in `fmt`: JSON as is, XML under `root` (a key of LISTS, or a single
    element such as `service_definition`). Used by the demo server and tests."""
    if fmt == "json":
        return json.dumps(data).encode("utf-8")
    element = _build(root or "", data)
    declaration = b'<?xml version="1.0" encoding="utf-8"?>\n'
    return declaration + ElementTree.tostring(element, encoding="utf-8", xml_declaration=False)


def _build(tag: str, value: Any) -> ElementTree.Element:
    element = ElementTree.Element(tag)
    if isinstance(value, list):
        item = LISTS.get(tag, "item")
        element.extend(_build(item, entry) for entry in value)
    elif isinstance(value, dict):
        element.extend(_build(key, entry) for key, entry in value.items())
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def errors_in(data: Any) -> list[tuple[str, str]]:
    """The (code, description) pairs of a GeoReport errors array; [] for anything else."""
    if isinstance(data, dict) and isinstance(data.get("errors"), list):
        data = data["errors"]  # some servers wrap the array
    if not isinstance(data, list):
        return []
    found = []
    for entry in data:
        if isinstance(entry, dict) and "description" in entry and "service_request_id" not in entry:
            found.append((str(entry.get("code", "")), str(entry.get("description", ""))[:200]))
    return found


def flag(value: Any) -> bool:
    """A spec boolean (`true`/`false` text in XML, a bool in JSON)."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")
