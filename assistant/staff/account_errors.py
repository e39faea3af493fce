"""Why an account cannot be created or changed (issue 13), by key: the staff site words
the message of the same key (`account_problem.<key>` in languages/<code>.yml) in the
page's language; the English here is the exception's text, for the command line. A
test keeps the two Englishes equal."""

from __future__ import annotations

import re

PROBLEMS = {
    "username_form": "A username is 3 to 80 characters: lower-case letters, digits, . _ @ or -.",
    "role": "Choose a role: staff or administrator.",
    "taken": "There is already an account called {username}.",
    "no_account": "There is no account called {username}.",
    "password_short": "A password must be at least {min} characters.",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class AccountError(ValueError):
    """An account cannot be created or changed: a key of PROBLEMS and its values;
    str() is the English."""

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(
            _PLACEHOLDER.sub(
                lambda match: str(values.get(match.group(1), match.group(0))), PROBLEMS[key]
            )
        )
