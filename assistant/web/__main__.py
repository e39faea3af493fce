"""`python -m assistant.web --port N --rasa-url URL`: serve the demo council pages."""

from assistant.web.server import main

main()
