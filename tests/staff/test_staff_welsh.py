"""Issue 13: staff edit their council's Welsh answers beside the English, on the staff
site as a real process; Welsh edits are checked (UCS-2 SMS lengths) and kept apart."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answers.seed import open_book
from assistant.answers.store import SHARED_SCOPE
from assistant.councils import default_registry
from assistant.isolation import free_port
from assistant.settings import PROJECT_ROOT, Settings
from assistant.staff.accounts import Accounts
from devtools.supervisor.services import staff_service
from devtools.supervisor.stack import Stack
from tests.support.staff import TOTP_SECRET
from tests.support.staff_site import PASSWORD, Site, edit_form

RESPONSE = "utter_goodbye"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    workdir: Path = tmp_path_factory.mktemp("staff_cy")
    settings = replace(
        Settings.from_env(),
        host="127.0.0.1",
        staff_port=free_port(),
        answers_db=f"sqlite:///{workdir}/answers.db",
        attempts_db=f"sqlite:///{workdir}/attempts.db",
    )
    book = open_book(settings.answers_db_url, PROJECT_ROOT / "domain.yml", default_registry())
    accounts = Accounts(book.store.engine)
    accounts.create_user("aber-staff", PASSWORD, "abercoed", totp_secret=TOTP_SECRET)
    accounts.create_user("brack-staff", PASSWORD, "brackenbury", totp_secret=TOTP_SECRET)
    accounts.create_user("admin", PASSWORD, SHARED_SCOPE, totp_secret=TOTP_SECRET)
    stack = Stack([staff_service(settings)], log_dir=workdir / "logs")
    stack.start(timeout=60)
    yield Site(settings.staff_url, book.store)
    stack.stop()


def test_a_bilingual_councils_answers_link_each_language(site: Site) -> None:
    session = site.sign_in("aber-staff")
    page = session.get(f"{site.url}/answers/abercoed", timeout=10).text
    assert 'href="/answers/abercoed@cy"' in page and 'aria-current="page">English' in page
    welsh = session.get(f"{site.url}/answers/abercoed@cy", timeout=10)
    assert welsh.status_code == 200 and "Hwyl fawr" in welsh.text
    assert "Abercoed County Borough Council, in Cymraeg" in welsh.text


def test_the_welsh_answer_is_edited_beside_the_english(site: Site) -> None:
    session = site.sign_in("aber-staff")
    url = f"{site.url}/answers/abercoed@cy/{RESPONSE}"
    page = session.get(url, timeout=10).text
    assert 'data-testid="default">Hwyl fawr' in page  # the shared Welsh default
    assert 'data-testid="beside"><span lang="en">Goodbye.' in page  # the English beside it
    assert 'lang="cy"' in page and f'href="/answers/abercoed/{RESPONSE}"' in page
    data = edit_form(session, url)
    data.update(text="Hwyl fawr am y tro, a diolch.", action="save")
    assert session.post(url, data=data, timeout=10).status_code == 200
    saved = site.store.get("abercoed@cy", RESPONSE)
    assert saved is not None and saved.text == "Hwyl fawr am y tro, a diolch."
    assert site.store.get("abercoed", RESPONSE) is None  # the English is untouched
    english = session.get(f"{site.url}/answers/abercoed/{RESPONSE}", timeout=10).text
    assert 'data-testid="beside"><span lang="cy">Hwyl fawr am y tro, a diolch.' in english


def test_a_welsh_sms_version_is_counted_in_ucs2(site: Site) -> None:
    session = site.sign_in("aber-staff")
    url = f"{site.url}/answers/abercoed@cy/{RESPONSE}"
    data = edit_form(session, url)
    data.update(text="", sms_text=("Mae'r dŵr yn codi. " * 12).strip(), action="save")
    reply = session.post(url, data=data, timeout=10)
    assert reply.status_code == 400 and "201 characters or fewer" in reply.text


def test_other_councils_and_languages_a_council_lacks_are_refused(site: Site) -> None:
    session = site.sign_in("brack-staff")
    assert session.get(f"{site.url}/answers/abercoed@cy", timeout=10).status_code == 403
    assert session.get(f"{site.url}/answers/brackenbury@cy", timeout=10).status_code == 404
    assert session.get(f"{site.url}/answers/brackenbury@en", timeout=10).status_code == 404
    page = session.get(f"{site.url}/answers/brackenbury", timeout=10).text
    assert 'data-testid="languages"' not in page


def test_administrators_edit_the_shared_welsh_defaults(site: Site) -> None:
    session = site.sign_in("admin")
    url = f"{site.url}/answers/shared@cy/{RESPONSE}"
    data = edit_form(session, url)
    data.update(text="Da bo chi.", action="save")
    assert session.post(url, data=data, timeout=10).status_code == 200
    saved = site.store.get("_shared@cy", RESPONSE)
    assert saved is not None and saved.text == "Da bo chi."
