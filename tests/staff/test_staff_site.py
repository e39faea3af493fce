"""The staff site as a real process over HTTP: sign-in, per-council access enforced
on the server, CSRF, validation, concurrent edits, audit and revert."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import requests
import yaml

from assistant.answers.catalogue import load_catalogue
from assistant.answers.seed import open_book
from assistant.answers.store import SHARED_SCOPE, AnswerStore
from assistant.councils import default_registry
from assistant.isolation import free_port
from assistant.settings import PROJECT_ROOT, Settings
from assistant.staff.accounts import Accounts
from devtools.supervisor.services import staff_service
from devtools.supervisor.stack import Stack

PASSWORD = "correct horse battery"
RESPONSE = "utter_parking_fine"


@dataclass
class Site:
    url: str
    store: AnswerStore

    def sign_in(self, username: str, password: str = PASSWORD) -> requests.Session:
        session = requests.Session()
        page = session.get(f"{self.url}/sign-in", timeout=10)
        reply = session.post(
            f"{self.url}/sign-in",
            data={"csrf_token": token(page.text), "username": username, "password": password},
            timeout=10,
        )
        assert reply.status_code == 200, reply.text[:300]
        return session


def token(html: str, name: str = "csrf_token") -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, html[:500]
    return found.group(1)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    workdir: Path = tmp_path_factory.mktemp("staff")
    settings = replace(
        Settings.from_env(),
        host="127.0.0.1",
        staff_port=free_port(),
        answers_db=f"sqlite:///{workdir}/answers.db",
        attempts_db=f"sqlite:///{workdir}/attempts.db",
    )
    book = open_book(settings.answers_db_url, PROJECT_ROOT / "domain.yml", default_registry())
    accounts = Accounts(book.store.engine)
    accounts.create_user("mill-staff", PASSWORD, "millbrook")
    accounts.create_user("mill-other", PASSWORD, "millbrook")
    accounts.create_user("brack-staff", PASSWORD, "brackenbury")
    accounts.create_user("brack-other", PASSWORD, "brackenbury")
    accounts.create_user("admin", PASSWORD, SHARED_SCOPE)
    stack = Stack([staff_service(settings)], log_dir=workdir / "logs")
    stack.start(timeout=60)
    yield Site(settings.staff_url, book.store)
    stack.stop()


def edit_form(session: requests.Session, url: str) -> dict[str, str]:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, page.text[:300]
    return {"csrf_token": token(page.text), "version": token(page.text, "version")}


def test_pages_need_sign_in(site: Site) -> None:
    reply = requests.get(f"{site.url}/answers/millbrook", timeout=10, allow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/sign-in"


def test_wrong_password_is_refused(site: Site) -> None:
    session = requests.Session()
    page = session.get(f"{site.url}/sign-in", timeout=10)
    reply = session.post(
        f"{site.url}/sign-in",
        data={"csrf_token": token(page.text), "username": "mill-staff", "password": "wrong"},
        timeout=10,
    )
    assert reply.status_code == 400
    assert "Enter a correct username and password" in reply.text
    assert 'value="mill-staff"' in reply.text  # the typed username is kept
    assert session.get(f"{site.url}/answers/millbrook", timeout=10).url.endswith("/sign-in")


def test_sign_in_form_needs_its_csrf_token(site: Site) -> None:
    reply = requests.post(
        f"{site.url}/sign-in",
        data={"username": "mill-staff", "password": PASSWORD},
        timeout=10,
        allow_redirects=False,
    )
    assert reply.status_code == 403
    assert "staff_session" not in reply.cookies


def test_list_shows_every_response_default_beside_override_and_usage(site: Site) -> None:
    session = site.sign_in("mill-staff")
    page = session.get(f"{site.url}/answers/millbrook", timeout=10)
    rows = re.findall(r'<tr class="govuk-table__row" id="row-(utter_\w+)">', page.text)
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert set(rows) == set(domain["responses"])
    # Millbrook's seeded bin-day wording is shown, with where the answer is used.
    assert "grey bin" in page.text
    assert load_catalogue().entry("utter_bin_collection_day").where in page.text


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_cannot_reach_another_councils_answers(site: Site, method: str) -> None:
    session = site.sign_in("brack-staff")
    url = f"{site.url}/answers/millbrook/{RESPONSE}"
    data = edit_form(session, f"{site.url}/answers/brackenbury/{RESPONSE}")
    data.update(text="Hijacked {link_parking}", action="save")
    reply = (
        session.get(url, timeout=10)
        if method == "get"
        else session.post(url, data=data, timeout=10)
    )
    assert reply.status_code == 403
    assert "Brackenbury Borough Council" in reply.text
    stored = site.store.get("millbrook", RESPONSE)
    assert stored is None or "Hijacked" not in (stored.text or "")
    for path in ("/answers/millbrook", "/answers/millbrook/history", "/answers/shared"):
        assert session.get(f"{site.url}{path}", timeout=10).status_code == 403


def test_revert_of_another_councils_change_is_refused(site: Site) -> None:
    mill = site.sign_in("mill-staff")
    form = edit_form(mill, f"{site.url}/answers/millbrook/utter_library_info")
    mill.post(
        f"{site.url}/answers/millbrook/utter_library_info",
        data={**form, "text": "Mill libraries {link_libraries}", "action": "save"},
        timeout=10,
    )
    change = site.store.history("millbrook", "utter_library_info")[0]
    brack = site.sign_in("brack-staff")
    form = edit_form(brack, f"{site.url}/answers/brackenbury/utter_library_info")
    for scope in ("millbrook", "brackenbury"):
        reply = brack.post(
            f"{site.url}/answers/{scope}/utter_library_info/revert/{change.id}",
            data=form,
            timeout=10,
        )
        assert reply.status_code in (403, 404)
    assert (
        site.store.get("millbrook", "utter_library_info").text == "Mill libraries {link_libraries}"
    )


def test_admin_changes_only_the_shared_defaults(site: Site) -> None:
    session = site.sign_in("admin")
    assert session.get(f"{site.url}/answers/shared", timeout=10).status_code == 200
    assert session.get(f"{site.url}/answers/millbrook", timeout=10).status_code == 403
    url = f"{site.url}/answers/shared/utter_iamabot"
    form = edit_form(session, url)
    reply = session.post(url, data={**form, "text": "A robot.", "action": "save"}, timeout=10)
    assert reply.status_code == 200
    stored = site.store.get(SHARED_SCOPE, "utter_iamabot")
    assert stored is not None and stored.text == "A robot."
    assert stored.updated_by == "admin"


def test_admin_is_told_which_councils_a_shared_change_will_not_reach(site: Site) -> None:
    # Millbrook's seeded bin-day wording overrides the shared default.
    page = site.sign_in("admin").get(f"{site.url}/answers/shared/utter_bin_collection_day")
    assert "Millbrook District Council" in page.text
    assert 'data-testid="councils-overriding"' in page.text


def test_unknown_council_and_unknown_answer_are_404(site: Site) -> None:
    session = site.sign_in("mill-staff")
    reply = session.get(f"{site.url}/answers/atlantis/{RESPONSE}", timeout=10)
    assert reply.status_code == 404 and "no council called" in reply.text
    reply = session.get(f"{site.url}/answers/millbrook/utter_nonsense", timeout=10)
    assert reply.status_code == 404 and "no answer called" in reply.text


def test_posts_without_the_sessions_csrf_token_are_refused(site: Site) -> None:
    session = site.sign_in("mill-staff")
    form = edit_form(session, f"{site.url}/answers/millbrook/{RESPONSE}")
    for bad in ("", "forged"):
        reply = session.post(
            f"{site.url}/answers/millbrook/{RESPONSE}",
            data={**form, "csrf_token": bad, "text": "CSRF {link_parking}", "action": "save"},
            timeout=10,
        )
        assert reply.status_code == 403
    stored = site.store.get("millbrook", RESPONSE)
    assert stored is None or "CSRF" not in (stored.text or "")


def test_template_errors_are_explained_and_the_text_kept(site: Site) -> None:
    session = site.sign_in("mill-staff")
    form = edit_form(session, f"{site.url}/answers/millbrook/{RESPONSE}")
    typed = "Pay at {link_parkng} or {council_phone"
    reply = session.post(
        f"{site.url}/answers/millbrook/{RESPONSE}",
        data={**form, "text": typed, "sms_text": "s" * 400, "action": "save"},
        timeout=10,
    )
    assert reply.status_code == 400
    assert "without a matching }" in reply.text
    assert "400 characters" in reply.text
    assert typed in reply.text  # nothing lost
    stored = site.store.get("millbrook", RESPONSE)
    assert stored is None or stored.text != typed


def test_html_in_answers_is_escaped_in_previews_and_lists(site: Site) -> None:
    session = site.sign_in("mill-staff")
    url = f"{site.url}/answers/millbrook/utter_planning_comment"
    form = edit_form(session, url)
    text = "<script>alert(1)</script> See {link_planning}"
    preview = session.post(url, data={**form, "text": text, "action": "preview"}, timeout=10)
    assert preview.status_code == 200
    assert "<script>alert(1)</script>" not in preview.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview.text
    assert 'href="https://www.millbrook.example.gov.uk/planning/search"' in preview.text
    saved = session.post(url, data={**form, "text": text, "action": "save"}, timeout=10)
    assert saved.status_code == 200
    listing = session.get(f"{site.url}/answers/millbrook", timeout=10)
    assert "<script>alert(1)</script>" not in listing.text


def test_staff_cannot_save_the_unmasked_verified_reference(site: Site) -> None:
    session = site.sign_in("mill-staff")
    url = f"{site.url}/answers/millbrook/utter_council_tax_balance_details"
    form = edit_form(session, url)
    text = "Your account is {verified_account}. Call {council_phone}."
    reply = session.post(url, data={**form, "text": text, "action": "save"}, timeout=10)
    assert reply.status_code == 400
    assert "personal details unmasked" in reply.text
    stored = site.store.get("millbrook", "utter_council_tax_balance_details")
    assert stored is None or "verified_account" not in (stored.text or "")


def test_preview_is_rendered_by_the_web_chats_own_renderer(site: Site) -> None:
    session = site.sign_in("mill-staff")
    url = f"{site.url}/answers/millbrook/utter_planning_comment"
    form = edit_form(session, url)
    text = '**See** [x](javascript:alert(1)) "quoted" {link_planning}'
    preview = session.post(url, data={**form, "text": text, "action": "preview"}, timeout=10)
    assert preview.status_code == 200
    # The filled-in text, attribute-escaped, for render.mjs (run by init.mjs).
    assert (
        'data-render-answer="**See** [x](javascript:alert(1)) &#34;quoted&#34; '
        'https://www.millbrook.example.gov.uk/planning/search"' in preview.text
    )
    module = session.get(f"{site.url}/chat/render.mjs", timeout=10)
    assert module.status_code == 200
    assert module.headers["content-type"].startswith("text/javascript")
    assert "export function renderInto" in module.text
    init = session.get(f"{site.url}/static/init.mjs", timeout=10).text
    assert 'from "/chat/render.mjs"' in init


def test_concurrent_edits_the_later_save_is_not_silent(site: Site) -> None:
    url = f"{site.url}/answers/millbrook/utter_register_birth"
    first, second = site.sign_in("mill-staff"), site.sign_in("mill-other")
    form_a, form_b = edit_form(first, url), edit_form(second, url)
    saved = first.post(
        url, data={**form_a, "text": "A {link_registrars}", "action": "save"}, timeout=10
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    late = second.post(
        url, data={**form_b, "text": "B {link_registrars}", "action": "save"}, timeout=10
    )
    assert late.status_code == 409
    assert "Someone else changed this answer" in late.text
    assert "mill-staff" in late.text and "A {link_registrars}" in late.text
    assert "B {link_registrars}" in late.text  # their own text is kept
    assert site.store.get("millbrook", "utter_register_birth").text == "A {link_registrars}"
    # Saving again, having seen the other version, is a deliberate overwrite.
    again = second.post(
        url,
        data={
            "csrf_token": token(late.text),
            "version": token(late.text, "version"),
            "text": "B {link_registrars}",
            "action": "save",
        },
        timeout=10,
    )
    assert again.status_code == 200
    assert site.store.get("millbrook", "utter_register_birth").text == "B {link_registrars}"


def test_changes_are_audited_and_revertible(site: Site) -> None:
    url = f"{site.url}/answers/millbrook/utter_register_death"
    session = site.sign_in("mill-staff")
    for text in ("One {link_registrars}", "Two {link_registrars}"):
        form = edit_form(session, url)
        session.post(url, data={**form, "text": text, "action": "save"}, timeout=10)
    page = session.get(url, timeout=10)
    assert page.text.count("mill-staff") >= 2
    latest = site.store.history("millbrook", "utter_register_death")[0]
    assert (latest.before_text, latest.after_text) == (
        "One {link_registrars}",
        "Two {link_registrars}",
    )
    form = edit_form(session, url)
    reply = session.post(f"{url}/revert/{latest.id}", data=form, timeout=10)
    assert reply.status_code == 200
    assert site.store.get("millbrook", "utter_register_death").text == "One {link_registrars}"
    newest = site.store.history("millbrook", "utter_register_death")[0]
    assert newest.kind == f"revert #{latest.id}" and newest.changed_by == "mill-staff"


def test_sign_out_ends_the_session(site: Site) -> None:
    session = site.sign_in("mill-staff")
    page = session.get(f"{site.url}/answers/millbrook", timeout=10)
    session.post(f"{site.url}/sign-out", data={"csrf_token": token(page.text)}, timeout=10)
    reply = session.get(f"{site.url}/answers/millbrook", timeout=10, allow_redirects=False)
    assert reply.status_code == 303


def test_repeated_wrong_passwords_block_the_username(site: Site) -> None:
    session = requests.Session()
    statuses = []
    for password in ["wrong"] * 5 + [PASSWORD]:
        page = session.get(f"{site.url}/sign-in", timeout=10)
        reply = session.post(
            f"{site.url}/sign-in",
            data={"csrf_token": token(page.text), "username": "brack-other", "password": password},
            timeout=10,
        )
        statuses.append(reply.status_code)
    assert statuses == [400] * 5 + [429]  # even the right password is refused for now
    assert "Too many wrong passwords" in reply.text


def test_session_cookie_and_security_headers(site: Site) -> None:
    session = requests.Session()
    page = session.get(f"{site.url}/sign-in", timeout=10)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    reply = session.post(
        f"{site.url}/sign-in",
        data={"csrf_token": token(page.text), "username": "mill-staff", "password": PASSWORD},
        timeout=10,
        allow_redirects=False,
    )
    cookie = reply.headers["set-cookie"].lower()
    assert "staff_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_a_revert_after_someone_elses_save_is_not_silent(site: Site) -> None:
    url = f"{site.url}/answers/millbrook/utter_library_info"
    session, other = site.sign_in("mill-staff"), site.sign_in("mill-other")
    for text in ("One {link_libraries}", "Two {link_libraries}"):
        form = edit_form(session, url)
        session.post(url, data={**form, "text": text, "action": "save"}, timeout=10)
    change = site.store.history("millbrook", "utter_library_info")[0]
    stale = edit_form(session, url)
    form = edit_form(other, url)
    other.post(url, data={**form, "text": "Three {link_libraries}", "action": "save"}, timeout=10)
    reply = session.post(f"{url}/revert/{change.id}", data=stale, timeout=10)
    assert reply.status_code == 409
    assert "Someone else changed this answer" in reply.text
    assert "Three {link_libraries}" in reply.text  # the latest version is shown
    assert site.store.get("millbrook", "utter_library_info").text == "Three {link_libraries}"


def _listed(html: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row" id="row-(utter_\w+)">', html)


def test_answers_are_grouped_by_service_in_collapsed_groups(site: Site) -> None:
    session = site.sign_in("mill-staff")
    page = session.get(f"{site.url}/answers/millbrook", timeout=10).text
    groups = re.findall(r'<details class="govuk-details" data-testid="group-(\w+)"( open)?>', page)
    catalogue = load_catalogue()
    assert [key for key, _ in groups] == [
        key for key in catalogue.groups if any(e.group == key for e in catalogue.entries.values())
    ]
    assert all(not opened for _, opened in groups)  # the page starts short
    assert catalogue.entry("utter_bin_missed_reported").title in page
    section = page.split('data-testid="group-bins"')[1].split("</details>")[0]
    assert "utter_bin_missed_reported" in section and "utter_parking_fine" not in section


def test_search_is_server_side_and_opens_matching_groups(site: Site) -> None:
    session = site.sign_in("mill-staff")
    page = session.get(f"{site.url}/answers/millbrook", params={"q": "missed BIN"}, timeout=10)
    listed = _listed(page.text)
    assert "utter_bin_missed" in listed and "utter_parking_fine" not in listed
    assert 'value="missed BIN"' in page.text  # the search is kept in its box
    assert f"{len(listed)} of " in page.text
    assert " open>" in page.text
    none = session.get(f"{site.url}/answers/millbrook", params={"q": "zzqx"}, timeout=10)
    assert _listed(none.text) == [] and 'data-testid="no-answers"' in none.text


def test_changed_by_us_filter_lists_only_the_councils_own_answers(site: Site) -> None:
    session = site.sign_in("brack-staff")
    url = f"{site.url}/answers/brackenbury/utter_library_info"
    form = edit_form(session, url)
    saved = session.post(
        url, data={**form, "text": "Libraries: {council_website}", "action": "save"}, timeout=10
    )
    assert saved.status_code == 200
    page = session.get(f"{site.url}/answers/brackenbury", params={"changed": "1"}, timeout=10)
    own = {name for name, o in site.store.all_for("brackenbury").items() if o.active}
    assert "utter_library_info" in own
    assert set(_listed(page.text)) == own
    assert "Changed by us" in page.text


def test_every_template_problem_is_reported_at_once(site: Site) -> None:
    session = site.sign_in("mill-staff")
    form = edit_form(session, f"{site.url}/answers/millbrook/{RESPONSE}")
    typed = "Pay {0} at {link_parkng}, ref {council_tax_ref}, or {a.b}"
    reply = session.post(
        f"{site.url}/answers/millbrook/{RESPONSE}",
        data={**form, "text": typed, "sms_text": "Call {council_phon", "action": "preview"},
        timeout=10,
    )
    assert reply.status_code == 400
    summary = reply.text.split('data-testid="error-summary"')[1].split("</ul>")[0]
    assert summary.count("<li>") == 5, summary
    for expected in ("{0}", "{a.b}", "{link_parkng}", "personal details unmasked", "matching }"):
        assert expected in summary


def test_placeholders_are_split_into_council_details_and_residents_values(site: Site) -> None:
    session = site.sign_in("mill-staff")
    page = session.get(f"{site.url}/answers/millbrook/utter_pothole_reported", timeout=10).text
    council = page.split('data-testid="council-placeholders"')[1].split("</span>")[0]
    resident = page.split('data-testid="resident-placeholders"')[1].split("</span>")[0]
    assert "{council_name}" in council and "{council_phone}" in council
    assert "{location}" in resident and "{council_name}" not in resident
    assert "{location}" not in council
