"""Many workspaces: Slack's OAuth install flow, with installations and OAuth states in our own database.

On when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set (Settings.oauth_enabled); then bolt authorizes
every request by the team's installation instead of one SLACK_BOT_TOKEN. GET /slack/install sends the
admin to Slack, GET /slack/oauth_redirect exchanges the code (oauth.v2.access) and saves the bot token,
encrypted with MAATWERK_TOKEN_KEY (Fernet), through bot.store.installations. Uninstalling the app or
revoking its token (`forget_team`) removes the installation and switches off the team's schedules.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.services.context import AppContext
from bot.store import digests, installations, schedules
from bot.store.installations import InstallationRecord

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

log = logging.getLogger(__name__)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_EXPIRES = timedelta(minutes=10)
# The bot scopes asked for at install: the same as slack/manifest.json's (tests/slack/test_manifest.py checks).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "channels:history",
    "groups:history",
    "files:write",
    "users:read",
    "channels:read",
    "groups:read",
)
UNINSTALLED_REASON = "de app is verwijderd uit de werkruimte"


def token_cipher(context: AppContext) -> Fernet:
    """The cipher of the stored bot tokens (imported only with OAuth on: one workspace starts as before)."""
    from cryptography.fernet import Fernet

    return Fernet(context.settings.token_key.encode())


def _record(installation: Installation | Bot, token: str) -> InstallationRecord:
    scopes = installation.bot_scopes
    return InstallationRecord(
        team_id=str(installation.team_id or ""),
        enterprise_id=str(installation.enterprise_id or ""),
        app_id=str(installation.app_id or ""),
        bot_id=str(installation.bot_id or ""),
        bot_user_id=str(installation.bot_user_id or ""),
        bot_scopes=",".join(scopes) if isinstance(scopes, list) else str(scopes or ""),
        bot_token=token,
        installer_user_id=str(getattr(installation, "user_id", "") or ""),
        installed_at=datetime.now(UTC),
    )


class StoreInstallations(AsyncInstallationStore):
    """bolt's installation store on bot.store.installations: one bot installation per team."""

    def __init__(self, context: AppContext) -> None:
        self.context = context
        self.cipher = token_cipher(context)

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        if not installation.team_id or not installation.bot_token:
            raise ValueError("only workspace installs with a bot token are supported")
        await self._save(_record(installation, installation.bot_token))
        log.info("installation saved for team %s", installation.team_id)

    async def async_save_bot(self, bot: Bot) -> None:
        if not bot.team_id:
            raise ValueError("only workspace installs are supported")
        await self._save(_record(bot, bot.bot_token))

    async def _save(self, record: InstallationRecord) -> None:
        await asyncio.to_thread(installations.save, self.context.store, self.cipher, record)

    async def _find(self, team_id: str | None) -> InstallationRecord | None:
        if not team_id:
            return None
        return await asyncio.to_thread(installations.find, self.context.store, self.cipher, team_id)

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        record = await self._find(team_id)
        return None if record is None else _installation(record).to_bot()

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        record = await self._find(team_id)
        if record is None or (user_id is not None and user_id != record.installer_user_id):
            return None
        return _installation(record)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        if team_id:
            await asyncio.to_thread(installations.delete, self.context.store, team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)


class StoreStates(AsyncOAuthStateStore):
    """OAuth state values in the database, so the redirect may land on another instance than the install."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = uuid.uuid4().hex
        now = datetime.now(UTC)
        await asyncio.to_thread(installations.issue_state, self.context.store, state, now + STATE_EXPIRES, now)
        return state

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(installations.consume_state, self.context.store, state, datetime.now(UTC))


def oauth_settings(context: AppContext) -> AsyncOAuthSettings | None:
    """bolt's OAuth settings when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set; else None (one workspace)."""
    settings = context.settings
    if not settings.oauth_enabled:
        return None
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=StoreInstallations(context),
        installation_store_bot_only=True,
        state_store=StoreStates(context),
        state_expiration_seconds=int(STATE_EXPIRES.total_seconds()),
        logger=log,
    )


def forget_team(context: AppContext, team: str, now: datetime) -> tuple[bool, int]:
    """The app left a workspace: remove its installation and switch off its lessons and digests.

    Returns whether an installation was removed and how many schedules were switched off."""
    removed = installations.delete(context.store, team)
    stopped = 0
    for record in schedules.schedules_for_team(context.store, team):
        if record.enabled and schedules.disable(context.store, record.schedule.channel, UNINSTALLED_REASON, now):
            stopped += 1
    for channel in digests.enabled_channels(context.store):
        if channel.team == team and digests.disable(context.store, channel.channel, UNINSTALLED_REASON, now):
            stopped += 1
    return removed, stopped


def _installation(record: InstallationRecord) -> Installation:
    """bolt's view of a stored installation (its `to_bot()` is the bot part of the same record)."""
    return Installation(
        app_id=record.app_id,
        enterprise_id=record.enterprise_id or None,
        team_id=record.team_id,
        bot_token=record.bot_token,
        bot_id=record.bot_id,
        bot_user_id=record.bot_user_id,
        bot_scopes=record.bot_scopes,
        user_id=record.installer_user_id,
        installed_at=record.installed_at.timestamp(),
    )
