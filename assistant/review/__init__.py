"""Staff review (issue 15, items 3 and 4): suggestions for the shared model, read-only
conversation transcripts, and the audit log of who read what."""
