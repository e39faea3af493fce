"""The demo back-office's shape: every simulated vendor module is registered, and
every back-office adapter the assistant knows has a simulated vendor."""

from __future__ import annotations

import importlib
import pkgutil

from assistant.backoffice.catalog import ADAPTERS
from devtools import demo_backoffice
from devtools.demo_backoffice.app import VENDORS
from devtools.demo_backoffice.office import Vendor


def vendor_classes() -> set[type[Vendor]]:
    found: set[type[Vendor]] = set()
    for module_info in pkgutil.iter_modules(demo_backoffice.__path__):
        module = importlib.import_module(f"devtools.demo_backoffice.{module_info.name}")
        found |= {
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Vendor)
            and value is not Vendor
            and value.__module__ == module.__name__
        }
    return found


def test_every_vendor_module_is_registered() -> None:
    assert vendor_classes() == set(VENDORS)


def test_every_adapter_has_a_simulated_vendor() -> None:
    simulated = {vendor.adapter for vendor in VENDORS}
    assert {adapter for _, adapter in ADAPTERS} <= simulated
