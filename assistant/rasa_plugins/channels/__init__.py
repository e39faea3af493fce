"""Input channels: how residents' messages reach the shared Rasa server."""
