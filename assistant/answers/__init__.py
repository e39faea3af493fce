"""Answers: the shared defaults (domain.yml), per-council overrides (a database)
and their rendering for a channel. The NLG server and the staff site both use it."""
