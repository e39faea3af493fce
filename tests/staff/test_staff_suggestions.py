"""The review queue (issue 15, item 3) as a real staff-site process over HTTP: staff
mark a failed question "should have been <request>" from the failed-questions page;
only redacted text is queued; council staff see only their council's suggestions;
only administrators decide and export, and the export is Rasa NLU YAML."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
import requests
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from assistant.database import make_engine
from assistant.review.suggestions import ACCEPTED, PENDING, REJECTED, SuggestionQueue
from tests.support.staff_site import Site, running_site, staff_settings, token
from tests.support.trackers import Tracker

NOW = time.time()
FAILED = "/insight/millbrook/failed"


@pytest.fixture(scope="module")
def queue_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, SuggestionQueue]]:
    workdir = tmp_path_factory.mktemp("suggestions")
    settings = staff_settings(workdir)
    tracker = Tracker(make_engine(settings.tracker_db_url))
    tracker.user("m1", "nlu_fallback", NOW - 60, "millbrook", "pothole by 12 Mill Lane BK1 2AB")
    tracker.user("m2", "nlu_fallback", NOW - 50, "millbrook", "pothole by 12 Mill Lane BK1 2AB")
    tracker.user("b1", "nlu_fallback", NOW - 40, "brackenbury", "brackenbury dog question")
    for site in running_site(settings, workdir):
        yield site, SuggestionQueue(site.store.engine)


def mark(
    session: requests.Session, site: Site, path: str = FAILED, **form: str
) -> requests.Response:
    page = session.get(f"{site.url}{path}", timeout=10)
    assert page.status_code == 200, page.text[:300]
    first = page.text.split('data-testid="suggest-1"')[1].split("</form>")[0]
    data = {
        "csrf_token": token(first),
        "text": token(first, "text"),
        "times": token(first, "times"),
        "intent": "report_pothole",
        **form,
    }
    return session.post(f"{site.url}{path}/suggest", data=data, timeout=10)


def test_marking_a_failed_question_queues_it_redacted(
    queue_site: tuple[Site, SuggestionQueue],
) -> None:
    site, queue = queue_site
    session = site.sign_in("mill-staff")
    page = session.get(f"{site.url}{FAILED}", timeout=10).text
    assert '<option value="report_pothole">Reporting a pothole</option>' in page
    reply = mark(session, site)
    assert reply.status_code == 200 and 'data-testid="added"' in reply.text
    [item] = queue.listing("millbrook")
    assert (item.intent, item.times_asked, item.status) == ("report_pothole", 2, PENDING)
    assert "BK1" not in item.text and "[postcode]" in item.text
    assert item.text in reply.text and "Reporting a pothole" in reply.text


def test_a_forged_form_is_redacted_before_it_is_stored(
    queue_site: tuple[Site, SuggestionQueue],
) -> None:
    site, queue = queue_site
    reply = mark(site.sign_in("mill-other"), site, text="call me on 07700 900123", intent="greet")
    assert reply.status_code == 200
    stored = [s.text for s in queue.listing("millbrook")]
    assert "call me on [phone number]" in stored and not any("07700" in t for t in stored)


def test_another_councils_staff_anonymous_and_bad_forms_are_refused(
    queue_site: tuple[Site, SuggestionQueue],
) -> None:
    site, queue = queue_site
    before = len(queue.listing(None))
    brack = site.sign_in("brack-staff")
    own = brack.get(f"{site.url}/insight/brackenbury/failed", timeout=10).text
    forged = {"csrf_token": token(own), "text": "hijack", "intent": "greet", "times": "1"}
    reply = brack.post(f"{site.url}{FAILED}/suggest", data=forged, timeout=10)
    assert reply.status_code == 403
    anonymous = requests.post(
        f"{site.url}{FAILED}/suggest", data=forged, timeout=10, allow_redirects=False
    )
    assert anonymous.status_code == 303
    mill = site.sign_in("mill-staff")
    assert mark(mill, site, csrf_token="forged").status_code == 403
    assert mark(mill, site, intent="make_me_admin").status_code == 400
    assert len(queue.listing(None)) == before


def test_council_staff_see_only_their_own_suggestions(
    queue_site: tuple[Site, SuggestionQueue],
) -> None:
    site, queue = queue_site
    queue.suggest("brackenbury", "brackenbury dog question", "out_of_scope", 1, "brack-staff")
    mill = site.sign_in("mill-staff").get(f"{site.url}/review/suggestions", timeout=10).text
    assert "pothole by" in mill and "brackenbury dog" not in mill
    assert "/review/suggestions/export.yml" not in mill and "/accept" not in mill
    brack = site.sign_in("brack-staff").get(f"{site.url}/review/suggestions", timeout=10).text
    assert "brackenbury dog" in brack and "pothole by" not in brack
    admin = site.sign_in("admin").get(f"{site.url}/review/suggestions", timeout=10).text
    assert "brackenbury dog" in admin and "pothole by" in admin
    assert "Millbrook District Council" in admin
    assert requests.get(f"{site.url}/review/suggestions", allow_redirects=False).status_code == 303


def test_only_administrators_decide_and_export(queue_site: tuple[Site, SuggestionQueue]) -> None:
    site, queue = queue_site
    [pothole] = [s for s in queue.listing("millbrook") if s.intent == "report_pothole"]
    mill = site.sign_in("mill-staff")
    page = mill.get(f"{site.url}/review/suggestions", timeout=10).text
    accept = f"{site.url}/review/suggestions/{pothole.id}/accept"
    assert mill.post(accept, data={"csrf_token": token(page)}, timeout=10).status_code == 403
    anonymous = requests.post(accept, data={}, timeout=10, allow_redirects=False)
    assert anonymous.status_code == 303
    assert mill.get(f"{site.url}/review/suggestions/export.yml").status_code == 403
    assert requests.get(f"{site.url}/review/suggestions/export.yml").url.endswith("/sign-in")
    assert queue.listing("millbrook", ACCEPTED) == []

    admin = site.sign_in("admin")
    page = admin.get(f"{site.url}/review/suggestions", timeout=10).text
    assert admin.post(accept, data={"csrf_token": "forged"}, timeout=10).status_code == 403
    assert admin.post(accept, data={"csrf_token": token(page)}, timeout=10).status_code == 200
    greet = [s for s in queue.listing("millbrook") if s.intent == "greet"][0]
    reject = f"{site.url}/review/suggestions/{greet.id}/reject"
    assert admin.post(reject, data={"csrf_token": token(page)}, timeout=10).status_code == 200
    assert [s.id for s in queue.listing(None, ACCEPTED)] == [pothole.id]
    assert [s.id for s in queue.listing(None, REJECTED)] == [greet.id]
    missing = f"{site.url}/review/suggestions/99999/accept"
    assert admin.post(missing, data={"csrf_token": token(page)}).status_code == 404

    export = admin.get(f"{site.url}/review/suggestions/export.yml", timeout=10)
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
    examples = RasaYAMLReader().reads(export.text).intent_examples
    assert [(m.get("text"), m.get("intent")) for m in examples] == [
        (pothole.text, "report_pothole")
    ]
    pending = admin.get(f"{site.url}/review/suggestions/export.yml", params={"status": PENDING})
    texts = {m.get("text") for m in RasaYAMLReader().reads(pending.text).intent_examples}
    assert "brackenbury dog question" in texts and pothole.text not in texts
    assert re.search(r"^version: \"3\.1\"$", export.text, re.M)
