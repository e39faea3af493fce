"""The staff site process the staff-site test modules share (one per module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.staff_site import Site, running_site, staff_settings


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    workdir = tmp_path_factory.mktemp("staff")
    yield from running_site(staff_settings(workdir), workdir)
