"""Display names of Slack users, for texts that cannot show a mention (the Markdown export file)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


async def display_names(client: AsyncWebClient, users: Iterable[str]) -> dict[str, str]:
    """{user id: display name} for the users Slack names (users.info); a user it does not name is left
    out, so summary.author_label falls back to the id."""
    names: dict[str, str] = {}
    for user in dict.fromkeys(users):
        if not user.startswith(("U", "W")):
            continue
        try:
            response = await client.users_info(user=user)
        except SlackApiError as error:
            log.info("users.info failed for %s: %s", user, error.response.get("error"))
            continue
        found = response.get("user") or {}
        profile = found.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or found.get("real_name") or ""
        if str(name).strip():
            names[user] = str(name).strip()
    return names
