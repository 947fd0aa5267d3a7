"""The Slack-free core: cards, search, dialogue, schedule, privacy. No I/O besides reading content/."""
