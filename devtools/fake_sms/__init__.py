"""A fake SMS gateway for `make run` and tests: never a live gateway."""
