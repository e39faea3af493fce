"""Issue 13: account errors are raised by key; the staff site words them in its own
language, and the exception's English (for the command line) is the site's English."""

from __future__ import annotations

import pytest

from assistant.staff.account_errors import PROBLEMS, AccountError
from assistant.staff.accounts import MIN_PASSWORD_CHARS, check_password
from assistant.staff.interface import Interface, catalogue


def test_the_staff_sites_english_is_the_exceptions_english() -> None:
    staff = catalogue("en")
    assert {key: staff[f"account_problem.{key}"] for key in PROBLEMS} == PROBLEMS
    assert all(catalogue("cy").get(f"account_problem.{key}") for key in PROBLEMS)


def test_an_error_carries_its_key_and_values() -> None:
    with pytest.raises(AccountError) as raised:
        check_password("short")
    error = raised.value
    assert (error.key, error.values) == ("password_short", {"min": MIN_PASSWORD_CHARS})
    assert str(error) == f"A password must be at least {MIN_PASSWORD_CHARS} characters."
    welsh = Interface("cy").text(f"account_problem.{error.key}", **error.values)
    assert welsh == f"Rhaid i gyfrinair fod o leiaf {MIN_PASSWORD_CHARS} nod."
