"""Custom actions every council runs (rasa-sdk), one module per service area.

Actions are thin: they find the conversation's council, collect and validate
details, and reply by response name so that wording stays out of Python.
"""
