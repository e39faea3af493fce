"""Insight for council staff (issue 15, item 2): counts from the tracker store."""
