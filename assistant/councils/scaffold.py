"""`python -m assistant council new <id>`: a new council's folder, as data.

Writes `councils/<id>/council.yml` (valid as written: placeholders are marked TODO),
`answers.yml` and a `demo.yml` for the demo back-office, on an action-server port no
other council or service uses, with secret variable names of its own. Returns what is
left to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.councils.registry import read_council_file
from assistant.councils.schema import TIER_PREFIXES
from assistant.councils.services import vocabulary

FIRST_PORT = 5061
# Ports the other services use by default (settings.py): never given to a council.
RESERVED_PORTS = frozenset({5005, 5055, 5060, 5065, 5070, 5098, 8065, 8075})
# Service -> the back-office areas it needs and the adapter a new council starts with.
BACKOFFICE: dict[str, dict[str, str]] = {
    "council_tax": {"council_tax": "revbase", "payments": "govuk_pay"},
    "waste": {"waste": "wastecal", "street_reports": "open311"},
    "highways": {"street_reports": "open311"},
    "planning": {"planning": "planview"},
    "housing": {"housing_repairs": "repairdesk"},
}
REPORT_CODES = {"highways": ("pothole", "POTHOLE"), "waste": ("missed_bin", "MISSED_BIN")}


@dataclass
class NewCouncil:
    """What the officer gave; everything else gets a marked placeholder."""

    id: str
    name: str
    gss_code: str
    tier: str
    services: list[str]
    county_gss_code: str | None = None
    website: str | None = None
    phone: str = "01632 960 000"
    email: str | None = None
    todo: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["en"])  # [cy, en]: bilingual
    welsh_name: str | None = None


def taken_ports(root: Path) -> set[int]:
    """Action-server ports of every council already in `root`."""
    ports = set(RESERVED_PORTS)
    for path in root.glob("*/council.yml"):
        server = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("action_server")
        url = str((server or {}).get("url", ""))
        if url.rsplit(":", 1)[-1].isdigit():
            ports.add(int(url.rsplit(":", 1)[-1]))
    return ports


def free_council_port(root: Path) -> int:
    """The lowest port from 5061 no council or service uses."""
    taken = taken_ports(root)
    return next(port for port in range(FIRST_PORT, 65535) if port not in taken)


def _backoffice(new: NewCouncil) -> dict[str, Any]:
    prefix = new.id.upper().replace("-", "_")
    services: dict[str, Any] = {}
    for service in new.services:
        for area, adapter in BACKOFFICE.get(service, {}).items():
            entry = services.setdefault(
                area,
                {
                    "adapter": adapter,
                    "path": f"/{adapter}",
                    "key_env": f"{prefix}_{adapter.upper()}_KEY",
                },
            )
            if service in REPORT_CODES and area == "street_reports":
                kind, code = REPORT_CODES[service]
                entry.setdefault("service_codes", {})[kind] = code
    if services.get("payments"):
        services["payments"]["path"] = "/pay"
    if services.get("street_reports"):
        services["street_reports"]["path"] = "/open311/v2"
    return {
        "base_url": f"http://localhost:5070/{new.id}",
        "timeout_seconds": 3,
        "services": services,
    }


def council_data(new: NewCouncil, port: int) -> dict[str, Any]:
    """The council.yml content."""
    website = new.website or f"https://www.{new.id}.example.gov.uk"
    links = sorted({link for s in new.services for link in vocabulary()[s].links})
    data: dict[str, Any] = {
        "id": new.id,
        "name": new.name,
        "website": website,
        "contact": {
            "phone": new.phone,
            "email": new.email or f"contact@{new.id}.example.gov.uk",
            "out_of_hours_phone": new.phone,
            "opening_hours": "Monday to Friday, 9am to 5pm",
        },
        "gss_code": new.gss_code,
        "tier": new.tier,
        **({"county_gss_code": new.county_gss_code} if new.county_gss_code else {}),
        "services": list(new.services),
        "reference_formats": {
            "council_tax": r"\d{8}",
            "planning": r"\d{2}/\d{4,5}/[A-Z]{1,4}",
            "pcn": r"[A-Z]{2}\d{8}",
        },
        "links": {link: f"{website}/{link.replace('_', '-')}" for link in links},
        "action_server": {"url": f"http://localhost:{port}"},
        "languages": list(new.languages),
    }
    if "cy" in new.languages:
        data["welsh"] = {"name": new.welsh_name or new.name}
    if any(service in BACKOFFICE for service in new.services):
        data["backoffice"] = _backoffice(new)
    return data


def demo_data(new: NewCouncil) -> dict[str, Any]:
    """A starting demo.yml: one address and the Open311 services its codes name."""
    codes = [REPORT_CODES[s] for s in new.services if s in REPORT_CODES]
    return {
        "request_prefix": new.id[:3].upper() + "R",
        "bins": [{"name": "Rubbish (grey bin)", "every_weeks": 1}],
        "addresses": [],
        "services": [
            {
                "service_code": code,
                "service_name": kind.replace("_", " ").capitalize(),
                "group": "Reports",
            }
            for kind, code in codes
        ],
    }


def check_new(new: NewCouncil, root: Path) -> None:
    """ValueError for an id already used, an unknown tier or service."""
    if (root / new.id).exists():
        raise ValueError(f"{root / new.id} already exists")
    if new.tier not in TIER_PREFIXES:
        raise ValueError(f"tier must be one of: {', '.join(TIER_PREFIXES)}")
    unknown = sorted(set(new.services) - set(vocabulary()))
    if unknown:
        raise ValueError(f"unknown services {unknown}; known: {', '.join(vocabulary())}")


def scaffold(new: NewCouncil, root: Path) -> tuple[Path, list[str]]:
    """Write the council's folder under `root`; its path and what is left to do."""
    check_new(new, root)
    folder = root / new.id
    folder.mkdir(parents=True)
    data = council_data(new, free_council_port(root))
    header = (
        f"# {new.name}: scaffolded by `python -m assistant council new`; see councils/README.md.\n"
    )
    (folder / "council.yml").write_text(
        header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8"
    )
    (folder / "answers.yml").write_text(
        "# Your own wording for some answers.\nresponses: {}\n", encoding="utf-8"
    )
    (folder / "demo.yml").write_text(
        yaml.safe_dump(demo_data(new), sort_keys=False), encoding="utf-8"
    )
    try:
        read_council_file(folder / "council.yml")
    except ValueError:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
        raise
    return folder, left_to_do(new, data)


def left_to_do(new: NewCouncil, data: dict[str, Any]) -> list[str]:
    """What the officer still has to fill in or set."""
    todo = [
        "contact: phone, email, out_of_hours_phone, opening_hours, address (placeholders now)",
        f"links: {', '.join(data['links'])} (guessed from the website)",
        "reference_formats and reference_examples: your council tax, planning and PCN formats",
        "web.brand_colour and web.welcome for the demo page (optional)",
        "sms: your Twilio or GOV.UK Notify numbers (optional)",
    ]
    secrets = [f"ASSISTANT_ACTIONS_SECRET_{new.id.upper().replace('-', '_')}"]
    secrets += [
        entry["key_env"] for entry in data.get("backoffice", {}).get("services", {}).values()
    ]
    todo.append("set these secrets where the action server runs: " + ", ".join(secrets))
    todo.append("demo.yml: addresses for the demo back-office (make run seeds it on start)")
    if "cy" in new.languages:
        todo.append(
            "welsh: the council's name, opening hours and address in Welsh; answers.yml `cy:` "
            "for the council's own Welsh wording (see councils/README.md, Welsh)"
        )
    return todo
