"""The NLG server's per-council cache of staff-changed details and notices: read once,
then only again when the council's freshness stamp moves (a change, a revert, a new
or removed notice), whichever process wrote it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.answers.council_extras import CouncilExtrasCache
from assistant.answers.details_store import DetailStore
from assistant.answers.notices import NoticeStore
from assistant.database import make_engine, metadata

DAY = dt.date(2026, 12, 24)


def test_the_cache_reads_again_only_after_a_change(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/answers.db"
    writer, reader = make_engine(url), make_engine(url)  # as two processes would
    metadata.create_all(writer)
    cache = CouncilExtrasCache(reader)
    assert cache.get("millbrook").overrides == {} and cache.reads == 1
    cache.get("millbrook")
    assert cache.reads == 1  # unchanged: served from the cache
    details, notices = DetailStore(writer), NoticeStore(writer)
    details.save("millbrook", {"council_phone": "01632 961 000"}, "staff")
    assert cache.get("millbrook").overrides == {"council_phone": "01632 961 000"}
    details.save("brackenbury", {"council_phone": "01632 961 111"}, "staff")
    cache.get("millbrook")
    assert cache.reads == 2  # another council's change leaves this one cached
    notice = notices.add("millbrook", "Bins late.", DAY, DAY, ["utter_bin_missed"], "staff")
    assert cache.get("millbrook").showing("utter_bin_missed", DAY) == ["Bins late."]
    assert cache.get("millbrook").showing("utter_bin_missed", DAY + dt.timedelta(days=1)) == []
    notices.remove("millbrook", notice, "staff")
    assert cache.get("millbrook").showing("utter_bin_missed", DAY) == []
    details.save("millbrook", {"council_phone": None}, "staff")
    assert cache.get("millbrook").overrides == {}
