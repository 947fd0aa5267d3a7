"""Slack installations (one row per workspace that installed the app through OAuth) and the OAuth state
values handed out by /slack/install, in the same database as everything else (SQLite or PostgreSQL).

The bot token is stored encrypted: the caller passes a `TokenCipher` (Fernet, keyed by MAATWERK_TOKEN_KEY
in bot.adapters.slack.oauth), so the database file or a dump alone does not give the token. Nothing here
knows Slack's SDK; the adapter turns rows into slack_sdk's Bot objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.store.contracts import StoreBackend
from bot.store.migrations import migration_sql

migration_sql(
    "0400_installations",
    [
        """CREATE TABLE IF NOT EXISTS slack_installations (
            team_id TEXT PRIMARY KEY,
            enterprise_id TEXT NOT NULL,
            app_id TEXT NOT NULL,
            bot_id TEXT NOT NULL,
            bot_user_id TEXT NOT NULL,
            bot_scopes TEXT NOT NULL,
            bot_token_encrypted TEXT NOT NULL,
            installer_user_id TEXT NOT NULL,
            installed_at TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS slack_oauth_states (
            state TEXT PRIMARY KEY,
            expires_at TEXT NOT NULL
        )""",
    ],
)


class TokenCipher(Protocol):
    def encrypt(self, data: bytes) -> bytes: ...

    def decrypt(self, token: bytes) -> bytes: ...


@dataclass(frozen=True)
class InstallationRecord:
    team_id: str
    enterprise_id: str
    app_id: str
    bot_id: str
    bot_user_id: str
    bot_scopes: str
    bot_token: str
    installer_user_id: str
    installed_at: datetime


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def save(store: StoreBackend, cipher: TokenCipher, record: InstallationRecord) -> None:
    """Store (or replace, on a reinstall) the installation of one workspace, its token encrypted."""
    encrypted = cipher.encrypt(record.bot_token.encode()).decode()
    with store.transaction() as db:
        db.execute(
            """INSERT INTO slack_installations (team_id, enterprise_id, app_id, bot_id, bot_user_id, bot_scopes,
                 bot_token_encrypted, installer_user_id, installed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (team_id) DO UPDATE SET enterprise_id = excluded.enterprise_id,
                 app_id = excluded.app_id, bot_id = excluded.bot_id, bot_user_id = excluded.bot_user_id,
                 bot_scopes = excluded.bot_scopes, bot_token_encrypted = excluded.bot_token_encrypted,
                 installer_user_id = excluded.installer_user_id, installed_at = excluded.installed_at""",
            [
                record.team_id,
                record.enterprise_id,
                record.app_id,
                record.bot_id,
                record.bot_user_id,
                record.bot_scopes,
                encrypted,
                record.installer_user_id,
                _iso(record.installed_at),
            ],
        )


def find(store: StoreBackend, cipher: TokenCipher, team_id: str) -> InstallationRecord | None:
    with store.read() as db:
        rows: list[dict[str, Any]] = list(db.query("SELECT * FROM slack_installations WHERE team_id = ?", [team_id]))
    if not rows:
        return None
    row = rows[0]
    return InstallationRecord(
        team_id=str(row["team_id"]),
        enterprise_id=str(row["enterprise_id"]),
        app_id=str(row["app_id"]),
        bot_id=str(row["bot_id"]),
        bot_user_id=str(row["bot_user_id"]),
        bot_scopes=str(row["bot_scopes"]),
        bot_token=cipher.decrypt(str(row["bot_token_encrypted"]).encode()).decode(),
        installer_user_id=str(row["installer_user_id"]),
        installed_at=datetime.fromisoformat(str(row["installed_at"])),
    )


def teams(store: StoreBackend) -> list[str]:
    with store.read() as db:
        return [str(row["team_id"]) for row in db.query("SELECT team_id FROM slack_installations ORDER BY team_id")]


def delete(store: StoreBackend, team_id: str) -> bool:
    """Remove a workspace's installation (uninstall, revoked token); False if there was none."""
    with store.transaction() as db:
        cursor = db.execute("DELETE FROM slack_installations WHERE team_id = ?", [team_id])
        return bool(cursor.rowcount == 1)


def issue_state(store: StoreBackend, state: str, expires_at: datetime, now: datetime) -> None:
    """Record a state handed out by /slack/install; expired ones are cleared on the way."""
    with store.transaction() as db:
        db.execute("DELETE FROM slack_oauth_states WHERE expires_at < ?", [_iso(now)])
        db.execute("INSERT INTO slack_oauth_states (state, expires_at) VALUES (?, ?)", [state, _iso(expires_at)])


def consume_state(store: StoreBackend, state: str, now: datetime) -> bool:
    """True once for a state that was issued and has not expired; it is gone afterwards."""
    with store.transaction() as db:
        cursor = db.execute("DELETE FROM slack_oauth_states WHERE state = ? AND expires_at >= ?", [state, _iso(now)])
        return bool(cursor.rowcount == 1)
