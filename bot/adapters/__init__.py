"""Adapters around the core: the terminal, Slack."""
