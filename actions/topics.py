"""Everyday council topics, answered from one data table (actions/topics.yml).

Each row makes one action, `action_<intent>`: the council's page on the topic, or,
for a street problem the council's Open311 service takes, a report (actions/streets.py).
"""

from __future__ import annotations

import functools
from abc import ABCMeta
from pathlib import Path
from typing import Any, ClassVar, cast

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import CouncilAction
from actions.streets import StreetReport
from assistant.councils import Council

TOPICS_FILE = Path(__file__).with_name("topics.yml")


@functools.cache
def topics() -> dict[str, dict[str, str]]:
    """topic name -> its row (intent, service, link, response, and report/problem)."""
    data = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    return {str(name): dict(row) for name, row in data["topics"].items()}


def topic_link(council: Council, link: str) -> str:
    """The council's page for a topic, or its website when it has none."""
    return council.links.get(link) or council.website


class TopicAnswer(CouncilAction):
    """The council's answer on a topic, with its page."""

    topic: ClassVar[str]
    link: ClassVar[str]

    async def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        council: Council,
    ) -> list[EventType]:
        dispatcher.utter_message(
            response=self.response,
            topic_link=topic_link(council, self.link),
            **council.template_vars(),
        )
        return []


class TopicReport(StreetReport):
    """A street problem: filed through Open311 when the council maps its kind."""

    topic: ClassVar[str]


def _action_class(topic: str, row: dict[str, str]) -> type[CouncilAction]:
    action_name = f"action_{row['intent']}"
    attributes: dict[str, Any] = {
        "topic": topic,
        "name": lambda self: action_name,
        "link": row["link"],
        "response": row["response"],
        "__doc__": f"The {topic} topic (actions/topics.yml).",
        "__module__": __name__,
    }
    base: Any = TopicAnswer
    if "report" in row:
        attributes.update(kind=row["report"], problem=row["problem"])
        base = TopicReport
    title = "".join(part.title() for part in topic.split("_"))
    made: Any = ABCMeta(f"{title}Topic", (base,), attributes)
    return cast(type[CouncilAction], made)


TOPIC_ACTIONS: dict[str, type[CouncilAction]] = {
    topic: _action_class(topic, row) for topic, row in topics().items()
}
