"""All configuration, read from the environment in one place (pydantic-settings).

A wrong value stops the program with a Dutch message that names the variable, what is wrong with it
and what to write instead (SettingsError); a secret's value is never repeated in that message.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.deck import DEFAULT_CONTENT_DIR

__all__ = ["Settings", "SettingsError", "get_settings", "load_settings"]

LOG_LEVELS: tuple[str, ...] = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What each variable must hold, for the message when it does not.
HINTS: dict[str, str] = {
    "MAATWERK_RETENTION_DAYS": "een heel getal van 1 of meer (dagen), bijvoorbeeld 90",
    "MAATWERK_DIALOGUE_TIMEOUT_DAYS": "een heel getal van 1 of meer (dagen), bijvoorbeeld 14",
    "MAATWERK_TZ": "de naam van een tijdzone, bijvoorbeeld Europe/Amsterdam",
    "MAATWERK_LOG_LEVEL": f"een van {', '.join(LOG_LEVELS)}",
    "SLACK_API_URL": "een adres dat begint met https:// of http://, bijvoorbeeld https://slack.com/api/",
    "MAATWERK_TOKEN_KEY": (
        "een Fernet-sleutel (verplicht zodra SLACK_CLIENT_ID is gezet), te maken met: python -c "
        "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    ),
}
SECRETS = frozenset(
    {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_SECRET", "MAATWERK_TOKEN_KEY"}
)


class SettingsError(ValueError):
    """A setting in the environment is wrong; `message` tells the admin, in Dutch, how to fix it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    slack_bot_token: str = Field(default="", alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field(default="", alias="SLACK_SIGNING_SECRET")
    slack_signing_secret_previous: str = Field(default="", alias="SLACK_SIGNING_SECRET_PREVIOUS")
    slack_app_token: str = Field(default="", alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    # Many workspaces: the OAuth install flow is on when both are set (bot.adapters.slack.oauth).
    slack_client_id: str = Field(default="", alias="SLACK_CLIENT_ID")
    slack_client_secret: str = Field(default="", alias="SLACK_CLIENT_SECRET")
    token_key: str = Field(default="", alias="MAATWERK_TOKEN_KEY", validate_default=True)
    # A SQLite file path (the default) or a postgresql://… URL (bot.store.db.open_store picks the backend).
    db_path: str = Field(default="./maatwerk.db", alias="MAATWERK_DB")
    timezone: str = Field(default="Europe/Amsterdam", alias="MAATWERK_TZ")
    content_dir: Path = Field(default=DEFAULT_CONTENT_DIR, alias="MAATWERK_CONTENT")
    retention_days: int = Field(default=90, ge=1, alias="MAATWERK_RETENTION_DAYS")
    dialogue_timeout_days: int = Field(default=14, ge=1, alias="MAATWERK_DIALOGUE_TIMEOUT_DAYS")
    log_level: str = Field(default="INFO", alias="MAATWERK_LOG_LEVEL")

    @field_validator("db_path", mode="before")
    @classmethod
    def _path_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, Path) else value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS or not isinstance(logging.getLevelName(level), int):
            raise ValueError("unknown log level")
        return level

    @field_validator("token_key")
    @classmethod
    def _fernet_key(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            if info.data.get("slack_client_id") and info.data.get("slack_client_secret"):
                raise ValueError("a token key is needed for OAuth")
            return value
        from cryptography.fernet import Fernet

        try:
            Fernet(value.encode())
        except (ValueError, TypeError):
            raise ValueError("not a Fernet key") from None
        return value

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @field_validator("slack_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("not an http(s) url")
        return value


def _alias(field_name: str) -> str:
    info = Settings.model_fields.get(field_name)
    return info.alias if info is not None and info.alias else field_name


def settings_message(error: ValidationError) -> str:
    """The Dutch message for everything wrong in one go: one line per variable."""
    lines = []
    for problem in error.errors():
        name = _alias(str(problem["loc"][0])) if problem["loc"] else "?"
        shown = "" if name in SECRETS else f"={problem.get('input')!r}"
        hint = HINTS.get(name, "een geldige waarde")
        lines.append(f"De instelling {name}{shown} klopt niet: verwacht {hint}.")
    lines.append("Pas de omgevingsvariabele aan, of haal hem weg voor de standaardwaarde (zie README).")
    return "\n".join(lines)


def load_settings() -> Settings:
    """Read the settings from the environment; raise SettingsError with a Dutch message if one is wrong."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(settings_message(error)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
