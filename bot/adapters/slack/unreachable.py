"""Slack error codes meaning "the bot cannot post here": one set for every place that posts."""

from __future__ import annotations

# The channel is not (or no longer) open to the bot: tell the person how to invite it, or stop posting there.
CHANNEL_UNREACHABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
# The workspace or the bot's token is gone: nothing can be posted anywhere until it is reinstalled.
BOT_UNREACHABLE = frozenset({"account_inactive", "invalid_auth"})
