"""Shared Python package of the council assistant."""
