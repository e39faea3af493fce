"""Issue 13: staff edit their council's Welsh answers beside the English, on the staff
site as a real process; Welsh edits are checked (UCS-2 SMS lengths) and kept apart.
The site's own interface is in Welsh when chosen, and a council's text details have a
Welsh value beside the English."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from assistant.answers.catalogue import load_catalogue
from assistant.answers.detail_fields import language_key
from assistant.answers.details_store import DetailStore
from assistant.answers.notices import london_today
from assistant.answers.store import SHARED_SCOPE
from assistant.answers.welsh import welsh_date
from assistant.councils import default_registry
from assistant.staff.interface import LANGUAGE_COOKIE, catalogue
from tests.support.staff_site import Site, edit_form, running_site, staff_settings, token

RESPONSE = "utter_goodbye"
USERS = {
    "aber-staff": "abercoed",
    "brack-staff": "brackenbury",
    "admin": SHARED_SCOPE,
    "aber-admin": "abercoed",
}
WELSH_HOURS = language_key("council_opening_hours", "cy")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    workdir: Path = tmp_path_factory.mktemp("staff_cy")
    yield from running_site(staff_settings(workdir), workdir, USERS, frozenset({"aber-admin"}))


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


# --- the interface in Welsh -------------------------------------------------------

WELSH_PAGES = [
    "/answers/abercoed",
    f"/answers/abercoed@cy/{RESPONSE}",
    "/answers/abercoed/history",
    "/details/abercoed",
    "/notices/abercoed",
    "/insight/abercoed",
    "/insight/abercoed/failed",
    "/conversations/abercoed",
    "/review/suggestions",
    "/sessions",
]


def english_only_texts() -> list[str]:
    """Interface texts whose Welsh differs, long enough not to be in answers by chance
    (answers/catalogue.yml's titles are in Welsh on Welsh pages too)."""
    english, welsh = catalogue("en"), catalogue("cy")
    return [
        text
        for key, text in english.items()
        if text != welsh[key] and len(text) >= 16 and "{" not in text
    ]


def test_the_switch_changes_the_interface_and_is_kept(site: Site) -> None:
    visitor = requests.Session()
    page = visitor.get(f"{site.url}/sign-in", timeout=10).text
    assert '<html lang="en"' in page and 'href="/language/cy?next=%2Fsign-in"' in page
    reply = visitor.get(f"{site.url}/language/cy?next=%2Fsign-in", timeout=10)
    assert reply.url.endswith("/sign-in") and '<html lang="cy"' in reply.text
    assert "Mewngofnodi" in reply.text and 'href="/language/en?next=%2Fsign-in"' in reply.text
    assert visitor.cookies.get(LANGUAGE_COOKIE) == "cy"
    again = visitor.get(f"{site.url}/sign-in", timeout=10).text  # kept for the session
    assert '<html lang="cy"' in again and "Enw defnyddiwr" in again
    visitor.get(f"{site.url}/language/en?next=%2Fsign-in", timeout=10)
    assert '<html lang="en"' in visitor.get(f"{site.url}/sign-in", timeout=10).text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_the_switch_goes_back_to_this_site_only(site: Site, target: str) -> None:
    reply = requests.get(
        f"{site.url}/language/cy", params={"next": target}, timeout=10, allow_redirects=False
    )
    assert reply.status_code == 303 and reply.headers["location"] == "/"


def test_an_unknown_interface_language_is_refused(site: Site) -> None:
    reply = requests.get(f"{site.url}/language/fr", timeout=10, allow_redirects=False)
    assert reply.status_code == 404 and LANGUAGE_COOKIE not in reply.headers.get("set-cookie", "")


@pytest.mark.parametrize("path", WELSH_PAGES)
def test_welsh_pages_have_no_english_interface_text(site: Site, path: str) -> None:
    session = site.sign_in("aber-staff", language="cy")
    reply = session.get(f"{site.url}{path}", timeout=10)
    assert reply.status_code == 200, reply.text[:300]
    assert '<html lang="cy"' in reply.text and "Wedi mewngofnodi fel" in reply.text
    shown = html.unescape(reply.text)
    assert [text for text in english_only_texts() if text in shown] == []
    if path == "/notices/abercoed":  # dates in Welsh forms
        assert f"Heddiw yw {welsh_date(london_today(), weekday=False, year=True)}." in shown


def test_answer_titles_groups_and_uses_follow_the_page_language(site: Site) -> None:
    english, welsh = load_catalogue(), load_catalogue(language="cy")
    entry, cy_entry = english.entry("utter_bin_missed"), welsh.entry("utter_bin_missed")
    group, cy_group = english.groups[entry.group], welsh.groups[entry.group]
    assert (entry.title, entry.where, group) != (cy_entry.title, cy_entry.where, cy_group)
    for language, shown, hidden in (
        ("cy", (cy_entry.title, cy_entry.where, cy_group), (entry.title, entry.where, group)),
        ("en", (entry.title, entry.where, group), (cy_entry.title, cy_entry.where, cy_group)),
    ):
        session = site.sign_in("aber-staff", language=language)
        listed = html.unescape(session.get(f"{site.url}/answers/abercoed", timeout=10).text)
        page = session.get(f"{site.url}/answers/abercoed/utter_bin_missed", timeout=10).text
        for text in (listed, html.unescape(page)):
            assert all(part in text for part in shown), language
            assert not any(part in text for part in hidden), language
    welsh_list = html.unescape(
        site.sign_in("aber-staff", language="cy")
        .get(f"{site.url}/answers/abercoed", timeout=10)
        .text
    )
    left = [
        text
        for name, item in english.entries.items()
        for text in (item.title, item.where)
        if len(text) >= 16
        and text not in (welsh.entry(name).title, welsh.entry(name).where)
        and text in welsh_list
    ]
    assert left == []


def test_answer_edit_checks_follow_the_page_language(site: Site) -> None:
    url = f"{site.url}/answers/abercoed/{RESPONSE}"
    typed = {
        "text": "Call {council_nmae} or {council_tax_ref}",
        "sms_text": "Ring {",
        "action": "preview",
    }
    welsh = catalogue("cy")
    for language, expected, hidden in (
        (
            "cy",
            [
                "Yr ateb: mae'n defnyddio {council_nmae}, nad yw'n hysbys yma.",
                "Oeddech chi'n golygu {council_name} yn lle {council_nmae}?",
                "Yr ateb: mae'n defnyddio {council_tax_ref}, sy'n dal manylion personol",
                "Y fersiwn SMS: mae { heb } i'w gau.",
            ],
            ["not known here", "Did you mean", "personal details unmasked", "without a matching"],
        ),
        (
            "en",
            [
                "The answer uses {council_nmae}, which is not known here.",
                "Did you mean {council_name} instead of {council_nmae}?",
                "The answer uses {council_tax_ref}, which holds a resident's personal details",
                "The SMS version: there is a { without a matching }.",
            ],
            [welsh["edit_problem.did_you_mean"].split("{")[0], "nad yw'n hysbys yma"],
        ),
    ):
        session = site.sign_in("aber-staff", language=language)
        reply = session.post(url, data={**edit_form(session, url), **typed}, timeout=10)
        shown = html.unescape(reply.text)
        assert reply.status_code == 400
        assert [text for text in expected if text not in shown] == [], language
        assert [text for text in hidden if text in shown] == [], language
    assert site.store.get("abercoed", RESPONSE) is None


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("cy", "Mae cyfrif o'r enw aber-staff yn bodoli eisoes.", "already an account"),
        ("en", "There is already an account called aber-staff.", "yn bodoli eisoes"),
    ],
)
def test_account_errors_follow_the_page_language(
    site: Site, language: str, shown: str, hidden: str
) -> None:
    admin = site.sign_in("aber-admin", language=language)
    url = f"{site.url}/accounts/abercoed"
    page = admin.get(url, timeout=10).text
    form = {"csrf_token": token(page), "username": "aber-staff", "role": "staff"}
    reply = admin.post(f"{url}/invite", data=form, timeout=10)
    text = html.unescape(reply.text)
    assert reply.status_code == 400 and shown in text and hidden not in text
    form.update(username="x", role="staff")  # too short: another key, same language
    text = html.unescape(admin.post(f"{url}/invite", data=form, timeout=10).text)
    assert catalogue(language)["account_problem.username_form"] in text


def test_error_pages_are_in_welsh(site: Site) -> None:
    session = site.sign_in("aber-staff", language="cy")
    reply = session.get(f"{site.url}/answers/brackenbury", timeout=10)
    assert reply.status_code == 403 and '<html lang="cy"' in reply.text
    assert "Allwch chi ddim gweld yr atebion hyn" in html.unescape(reply.text)
    english = site.sign_in("aber-staff").get(f"{site.url}/answers/brackenbury", timeout=10)
    assert "You cannot see these answers" in english.text


# --- council details in each language ---------------------------------------------


def detail_boxes(page: str) -> dict[str, str]:
    """The details form's boxes as the page shows them: name -> value."""
    return dict(re.findall(r'id="([a-z_@]+)" name="[a-z_@]+" type="\w+" value="([^"]*)"', page))


def test_text_details_have_a_welsh_box_beside_the_english(site: Site) -> None:
    council = default_registry().get("abercoed")
    assert council is not None
    session = site.sign_in("aber-staff", language="cy")
    url = f"{site.url}/details/abercoed"
    page = session.get(url, timeout=10).text
    boxes = detail_boxes(page)
    assert boxes[WELSH_HOURS] == council.welsh.opening_hours
    assert boxes["council_opening_hours"] == council.contact["opening_hours"]
    assert f'for="{WELSH_HOURS}">Oriau agor yn Gymraeg' in page
    assert not [
        name for name in boxes if name.startswith(("council_phone@", "link_")) and "@" in name
    ]  # numbers and links are one value
    form = {**boxes, "csrf_token": token(page), WELSH_HOURS: "dydd Llun i ddydd Iau, 9am tan 4pm"}
    reply = session.post(url, data=form, timeout=10)
    assert reply.status_code == 200 and "Wedi'u cadw" in html.unescape(reply.text)
    assert DetailStore(site.store.engine).overrides("abercoed") == {
        WELSH_HOURS: "dydd Llun i ddydd Iau, 9am tan 4pm"
    }
    DetailStore(site.store.engine).save("abercoed", {WELSH_HOURS: None}, "test cleanup")


def test_link_names_follow_the_page_language(site: Site) -> None:
    url = f"{site.url}/details/abercoed"
    welsh = html.unescape(site.sign_in("aber-staff", language="cy").get(url, timeout=10).text)
    english = html.unescape(site.sign_in("aber-staff").get(url, timeout=10).text)
    for key in ("bins", "council_tax_pay", "report_street"):
        assert f'for="link_{key}">{catalogue("cy")[f"details.link.{key}"]}' in welsh
        assert f'for="link_{key}">{catalogue("en")[f"details.link.{key}"]}' in english
    assert 'for="link_bins">Biniau' in welsh and 'for="link_bins">Bins' in english


def test_councils_answering_in_english_only_have_no_welsh_boxes(site: Site) -> None:
    page = site.sign_in("brack-staff").get(f"{site.url}/details/brackenbury", timeout=10).text
    assert "@cy" not in page and "council_opening_hours" in page


def test_detail_problems_are_explained_in_welsh(site: Site) -> None:
    session = site.sign_in("aber-staff", language="cy")
    url = f"{site.url}/details/abercoed"
    page = session.get(url, timeout=10).text
    form = {**detail_boxes(page), "csrf_token": token(page), "council_phone": "+33 1 23 45 67"}
    reply = session.post(url, data=form, timeout=10)
    shown = html.unescape(reply.text)
    assert reply.status_code == 400 and "Mae problem wedi codi" in shown
    assert "mae rhifau rhyngwladol yn dechrau gyda +44" in shown
    assert "international numbers" not in shown
    assert DetailStore(site.store.engine).overrides("abercoed") == {}
