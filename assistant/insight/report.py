"""The insight figures for one council (or every council) over a period, read from the
summary table, with the bar geometry the page's charts use and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Engine

from assistant.insight.rules import (
    CONVERSATIONS,
    CRISIS,
    FALLBACK,
    HANDOFF,
    INTENT,
    MESSAGES,
    REPORT,
)
from assistant.insight.summary import counts_table

TOP_REQUESTS = 10
MAX_PERIOD_DAYS = 366
DEFAULT_PERIOD_DAYS = 28


class PeriodError(ValueError):
    """A period that cannot be shown; the message is written for council staff."""


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: dt.date
    end: dt.date

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def parse_period(start: str, end: str, today: dt.date) -> Period:
    """The period asked for (ISO dates); by default the 28 days to `today`."""
    try:
        last = dt.date.fromisoformat(end) if end else today
        first = (
            dt.date.fromisoformat(start)
            if start
            else last - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        )
    except ValueError:
        raise PeriodError("Enter dates as year-month-day, for example 2026-11-01.") from None
    if first > last:
        raise PeriodError("The start date must be on or before the end date.")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise PeriodError(f"Choose a period of {MAX_PERIOD_DAYS} days or fewer.")
    return Period(first, last)


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, value and length as a share of the longest (0-100)."""

    label: str
    value: int
    length: float


def bars(values: list[tuple[str, int]]) -> list[Bar]:
    """Bars for (label, value) pairs, the longest 100."""
    top = max((value for _, value in values), default=0)
    return [
        Bar(label, value, round(100 * value / top, 1) if top else 0.0) for label, value in values
    ]


@dataclass
class Report:
    """Every figure on the insight page."""

    period: Period
    per_day: list[Bar] = field(default_factory=list)
    conversations: int = 0
    messages: int = 0
    fell_back: int = 0
    handoffs: int = 0
    top_requests: list[Bar] = field(default_factory=list)
    reports: list[Bar] = field(default_factory=list)
    crisis: list[Bar] = field(default_factory=list)

    @property
    def fallback_percent(self) -> float:
        return round(100 * self.fell_back / self.messages, 1) if self.messages else 0.0


def _rows(engine: Engine, council: str | None, period: Period) -> list[tuple[str, str, str, int]]:
    table = counts_table.c
    query = select(table.day, table.metric, table.item, table.total).where(
        table.day >= period.start.isoformat(), table.day <= period.end.isoformat()
    )
    if council is not None:
        query = query.where(table.council == council)
    with engine.connect() as connection:
        return [(r.day, r.metric, r.item, int(r.total)) for r in connection.execute(query)]


def build_report(engine: Engine, council: str | None, period: Period) -> Report:
    """The figures of `council` (None: every council together) over `period`."""
    by_metric: dict[str, Counter[str]] = {}
    per_day: Counter[str] = Counter()
    for day, metric, item, total in _rows(engine, council, period):
        by_metric.setdefault(metric, Counter())[item] += total
        if metric == CONVERSATIONS:
            per_day[day] += total

    def summed(metric: str) -> int:
        return sum(by_metric.get(metric, Counter()).values())

    def ranked(metric: str, limit: int | None = None) -> list[Bar]:
        found = by_metric.get(metric, Counter()).most_common(limit)
        return bars([(label.replace("_", " "), value) for label, value in found])

    days = [day.isoformat() for day in period.days()]
    return Report(
        period=period,
        per_day=bars([(day, per_day[day]) for day in days]),
        conversations=summed(CONVERSATIONS),
        messages=summed(MESSAGES),
        fell_back=summed(FALLBACK),
        handoffs=summed(HANDOFF),
        top_requests=ranked(INTENT, TOP_REQUESTS),
        reports=ranked(REPORT),
        crisis=ranked(CRISIS),
    )


def export_csv(engine: Engine, council: str | None, period: Period) -> str:
    """Every count of the period as CSV: day, measure, item, count."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["day", "measure", "item", "count"])
    totals: Counter[tuple[str, str, str]] = Counter()
    for day, metric, item, total in _rows(engine, council, period):
        totals[(day, metric, item)] += total  # every council together, for None
    for (day, metric, item), total in sorted(totals.items()):
        writer.writerow([day, metric, _safe_cell(item), total])
    return out.getvalue()


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
