"""Postcode -> councils by ONS GSS code: an ONSPD/NSPL file loaded into SQL, or a
postcodes.io-compatible HTTP service, chosen in the settings."""

from __future__ import annotations

import functools

from assistant.database import make_engine
from assistant.postcodes.onspd import OnspdLookup
from assistant.postcodes.place import Place, PostcodeLookup
from assistant.postcodes.postcodes_io import PostcodeServiceError, PostcodesIoLookup
from assistant.settings import Settings

__all__ = [
    "OnspdLookup",
    "Place",
    "PostcodeLookup",
    "PostcodeServiceError",
    "PostcodesIoLookup",
    "default_lookup",
    "lookup_for",
]


def lookup_for(settings: Settings) -> PostcodeLookup:
    """The lookup the settings choose: the HTTP service when its address is set,
    else the ONSPD file (loaded into the postcodes database on first use)."""
    if settings.postcodes_service_url:
        return PostcodesIoLookup(settings.postcodes_service_url)
    return OnspdLookup(make_engine(settings.postcodes_db_url), settings.postcodes_file)


@functools.lru_cache(maxsize=1)
def default_lookup() -> PostcodeLookup:
    """This process's lookup, made on first use."""
    return lookup_for(Settings.from_env())
