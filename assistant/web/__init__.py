"""The demo council web pages: each council's page embeds the rasa-webchat widget."""
