"""Everything bound to Rasa 3.6's plug-in interfaces, in one place.

- `nlu/`: NLU components named in `config.yml`.
- `channels/`: input channels named in `credentials.yml` (REST, web chat, SMS).
- `nlg_client`, `lock_store`: named in `endpoints.yml`.
- `speedups`: a fix to Rasa's own hot path.
- `shared_responses`: domain.yml's responses for the NLG fallback and the apology for an empty turn.

Nothing outside this package imports Rasa, so an upgrade of Rasa touches only here.
"""
