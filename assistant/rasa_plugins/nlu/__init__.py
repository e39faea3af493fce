"""Rasa NLU components of the council assistant."""
