"""maatwerk: een Slack-bot met de denkhulp 'Helder denken over maatwerk'."""

__version__ = "0.1.0"
