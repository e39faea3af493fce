"""backoffice_call: the call runs off the event loop, and each failure gets its answer."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.backoffice_call import BackOfficeUnreachable, backoffice_call
from actions.streets import make_report
from assistant.backoffice.errors import BackOfficeMalformed, BackOfficeUnavailable, NotFound
from assistant.backoffice.registry import BackOffice
from assistant.councils import Council, default_registry
from assistant.routing import runtime as action_runtime
from tests.conftest import make_tracker, run


def council(council_id: str) -> Council:
    found = default_registry().get(council_id)
    assert found is not None
    return found


MILLBROOK = council("millbrook")


class Raising:
    """A back-office service whose every call raises `error`."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            raise self.error

        return call


@pytest.fixture()
def millbrook() -> Iterator[BackOffice]:
    """Millbrook's back-office: every service raises until a test says otherwise."""
    unused = Raising(AssertionError("not called"))
    backoffice = BackOffice(
        council_id="millbrook",
        council_tax=unused,  # type: ignore[arg-type]
        waste=unused,  # type: ignore[arg-type]
        street_reports=unused,  # type: ignore[arg-type]
        planning=unused,  # type: ignore[arg-type]
        housing_repairs=unused,  # type: ignore[arg-type]
        payments=unused,  # type: ignore[arg-type]
        report_codes={"pothole": "POT"},
    )
    action_runtime.configure(backoffice)
    yield backoffice
    action_runtime.configure(None)


def calling(call: Callable[[BackOffice], Any], **options: Any) -> tuple[Any, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    result = run(backoffice_call(dispatcher, MILLBROOK, call, **options))
    return result, dispatcher.messages


def test_a_result_is_returned_and_nothing_is_said(millbrook: BackOffice) -> None:
    threads: list[threading.Thread] = []

    def call(backoffice: BackOffice) -> str:
        threads.append(threading.current_thread())
        return f"{backoffice.council_id} answered"

    result, said = calling(call)
    assert result == "millbrook answered" and said == []
    assert threads and threads[0] is not threading.main_thread()  # off the event loop


def test_a_failure_is_the_unavailable_answer_with_the_councils_details(
    millbrook: BackOffice,
) -> None:
    action_runtime.configure(dataclasses.replace(millbrook, waste=Raising(BackOfficeUnavailable())))
    result, said = calling(lambda b: b.waste.addresses("MQ3 7ZD"))
    assert result is None
    [message] = said
    assert message["response"] == "utter_service_unavailable"
    assert message["council_name"] == "Millbrook District Council"
    assert message["council_phone"] == MILLBROOK.contact["phone"]


def test_a_missing_record_gets_its_own_answer_when_the_action_names_one(
    millbrook: BackOffice,
) -> None:
    action_runtime.configure(dataclasses.replace(millbrook, planning=Raising(NotFound())))
    result, said = calling(
        lambda b: b.planning.application("MB/24/0001"),
        not_found="utter_planning_not_found",
        reference="MB/24/0001",
    )
    assert result is None
    [message] = said
    assert message["response"] == "utter_planning_not_found"
    assert message["reference"] == "MB/24/0001"
    assert message["council_name"] == "Millbrook District Council"


def test_a_missing_record_is_a_failure_when_the_action_names_no_answer_for_it(
    millbrook: BackOffice,
) -> None:
    action_runtime.configure(dataclasses.replace(millbrook, housing_repairs=Raising(NotFound())))
    result, said = calling(lambda b: b.housing_repairs.book(None), failed="utter_repair_not_made")
    assert result is None
    assert [m["response"] for m in said] == ["utter_repair_not_made"]
    assert "reference" not in said[0]


def test_the_log_names_the_failure_but_not_its_message(
    millbrook: BackOffice, caplog: pytest.LogCaptureFixture
) -> None:
    error = BackOfficeMalformed("https://backoffice.example/api?key=SECRET-KEY")
    action_runtime.configure(dataclasses.replace(millbrook, payments=Raising(error)))
    with caplog.at_level(logging.WARNING, logger="actions.backoffice_call"):
        calling(lambda b: b.payments.create(None))
    assert "BackOfficeMalformed" in caplog.text and "millbrook" in caplog.text
    assert "SECRET-KEY" not in caplog.text


def test_another_councils_back_office_is_never_called(millbrook: BackOffice) -> None:
    with pytest.raises(BackOfficeUnreachable):
        run(backoffice_call(CollectingDispatcher(), council("brackenbury"), lambda b: b))


def test_a_report_kind_without_a_service_code_is_not_made(millbrook: BackOffice) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker()
    reference = run(make_report(dispatcher, tracker, MILLBROOK, "missed_bin", "Missed bin", None))
    assert reference is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_report_not_made"]
