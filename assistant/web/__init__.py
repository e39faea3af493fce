"""The demo council web pages: each council's page carries the web chat (static/chat/)."""
