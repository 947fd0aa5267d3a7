"""All configuration, read from the environment in one place (pydantic-settings)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.deck import DEFAULT_CONTENT_DIR


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    slack_bot_token: str = Field(default="", alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field(default="", alias="SLACK_SIGNING_SECRET")
    slack_app_token: str = Field(default="", alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
