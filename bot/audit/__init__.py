"""The audit log: who did or read what, when and from where. Append-only."""
