"""`python -m assistant ...`: the project's command line."""

from assistant.cli import main

raise SystemExit(main())
