"""Terminal mode: the same commands and dialogues as in Slack, without a Slack account."""
