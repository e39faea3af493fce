"""Everything bound to Rasa 3.6's plug-in interfaces, in one place.

- `nlu/`: NLU components named in `config.yml`.
- `channels/`: input channels named in `credentials.yml` (REST, web chat, SMS).
- `nlg_client`, `lock_store`: named in `endpoints.yml`.
- `installed`: what this project changes in Rasa's process, installed as Rasa loads
  the channels or the NLG client: `speedups` (Rasa's hot path), `log_privacy`,
  `sqlite_trackers` (pooled SQLite tracker store), `model_loading` (TensorFlow
  models loaded for prediction only).
- `server`: Rasa's command line, one unused import lighter (how the stack starts Rasa).
- `shared_responses`: domain.yml's responses for the NLG fallback and the apology for an empty turn.

Nothing outside this package imports Rasa, so an upgrade of Rasa touches only here.
"""
