"""The SMS channel tests' fixtures (tests/support/sms.py): the demo councils, their
gateway environment, and the fake gateway over HTTP."""

from tests.support.sms import env, gateway_url, registry  # noqa: F401 - fixtures
