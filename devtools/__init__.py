"""Development tooling: never shipped with the runtime package (`pip install .`).

- `demo_backoffice/`: a simulator of the demo councils' back-office systems.
- `fake_sms/`: a fake SMS gateway (Twilio's and Notify's APIs, a pretend phone).
- `supervisor/`: the process supervisor `make run` and the end-to-end tests use.
- `benchmarks/`: figures measured side by side in one run.
- `training`, `evaluation`, `validation`: the shared model's training and checks.
- `checks/`: source checks ruff does not make (module and function sizes).
- `commands`: these tools as `python -m assistant <command>` (loaded by name).
"""
