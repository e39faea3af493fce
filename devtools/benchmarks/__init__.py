"""Benchmarks: figures measured side by side in one run, written to `reports/`.

- `starter`: this assistant beside Rasa's starter assistant (`make bench`).
- `actions`: action turns against plain text turns (`make bench-actions`).
- `nlg`: the NLG hop's added latency (`make bench-nlg`).
"""
