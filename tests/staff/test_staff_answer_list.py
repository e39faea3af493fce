"""The staff site's answers list, a real process over HTTP: every answer with its
usage, grouped by service, server-side search and the "changed by us" filter."""

from __future__ import annotations

import re

import yaml

from assistant.answers.catalogue import load_catalogue
from assistant.settings import PROJECT_ROOT
from tests.support.staff_site import Site, edit_form


def test_list_shows_every_response_default_beside_override_and_usage(site: Site) -> None:
    session = site.sign_in("mill-staff")
    page = session.get(f"{site.url}/answers/millbrook", timeout=10)
    rows = re.findall(r'<tr class="govuk-table__row" id="row-(utter_\w+)">', page.text)
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert set(rows) == set(domain["responses"])
    # Millbrook's seeded bin-day wording is shown, with where the answer is used.
    assert "grey bin" in page.text
    assert load_catalogue().entry("utter_bin_collection_day").where in page.text


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
