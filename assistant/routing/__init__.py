"""Routing an action call: Rasa -> action router -> the council's action server.

- `router`: Rasa's one action endpoint; forwards each call to the council's server.
- `action_server`: one council's rasa-sdk action server.
- `runtime`: what an action sees of its council at run time (back-office clients).
- `tenancy`: a council's server refuses calls for another council.
"""
