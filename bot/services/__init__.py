"""Application services: the core plus storage, used by every adapter (terminal, Slack, CLI)."""
