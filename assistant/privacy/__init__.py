"""Residents' data under UK GDPR: retention, erasure and export (issue 10, finding 11).

`trackers` reads and deletes conversations in Rasa's SQL tracker store, `sms_records`
the SMS channels' records, `logs` the service logs; `retention` purges what is past
each council's `privacy.retention_days`, `erase` deletes one resident's data, `export`
gathers it; `commands` is `python -m assistant privacy`.
"""
