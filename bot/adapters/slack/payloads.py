"""The shapes a verified Slack request must have before bolt and our listeners see it.

Slack signed the body, but a body can still lack what a listener reads (`actions: []`, an event without
`user`, `event: 3`): such a request is answered here, with 200 (so Slack does not retry it three times)
and one warning line naming the request type and the missing field, instead of failing in a listener.
A body that is not a JSON object at all gets 400. Only the fields we and bolt read are checked.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    StringConstraints,
    ValidationError,
    model_validator,
)

from bot.adapters.slack.verify import JSON, Verified

log = logging.getLogger(__name__)
_SAFE_NAME = re.compile(r"[a-z_]{1,40}")
# respond() raises on anything else, and bolt answers a listener that fails right after ack() only after 3 s.
ResponseUrl = Annotated[StrictStr, StringConstraints(pattern=r"^https?://[^\s]+$")]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Ref(_Shape):
    """`{"id": ...}` as Slack sends team, user and channel in interactive payloads."""

    id: StrictStr


class _Envelope(_Shape):
    """Fields bolt reads from every request to find team, user, channel and enterprise."""

    enterprise: Ref | StrictStr | None = None
    enterprise_id: StrictStr | None = None
    is_enterprise_install: StrictBool | None = None
    authorizations: list[dict[str, Any]] | None = None


class MessageEvent(_Shape):
    type: Literal["message"]
    channel: StrictStr
    ts: StrictStr
    user: StrictStr | None = None
    text: StrictStr | None = None
    subtype: StrictStr | None = None
    bot_id: StrictStr | None = None
    thread_ts: StrictStr | None = None
    message: dict[str, Any] | None = None
    previous_message: dict[str, Any] | None = None


class HomeOpenedEvent(_Shape):
    type: Literal["app_home_opened"]
    user: StrictStr
    tab: StrictStr | None = None
    channel: StrictStr | None = None


class AppUninstalledEvent(_Shape):
    type: Literal["app_uninstalled"]


class RevokedTokens(_Shape):
    oauth: list[StrictStr] = []
    bot: list[StrictStr] = []


class TokensRevokedEvent(_Shape):
    type: Literal["tokens_revoked"]
    tokens: RevokedTokens


class EventCallback(_Envelope):
    type: Literal["event_callback"]
    team_id: StrictStr
    event_id: StrictStr | None = None
    event: MessageEvent | HomeOpenedEvent | AppUninstalledEvent | TokensRevokedEvent = Field(discriminator="type")


class UrlVerification(_Shape):
    type: Literal["url_verification"]
    challenge: StrictStr


class Action(_Shape):
    action_id: StrictStr
    value: StrictStr | None = None
    action_ts: StrictStr | None = None


class BlockActions(_Envelope):
    type: Literal["block_actions"]
    user: Ref
    actions: list[Action] = Field(min_length=1)
    team: Ref | None = None
    channel: Ref | None = None
    container: dict[str, Any] | None = None
    response_url: ResponseUrl | None = None
    trigger_id: StrictStr | None = None

    @model_validator(mode="after")
    def _message_buttons_know_where_they_are(self) -> BlockActions:
        """A button in a message has a channel and answers through response_url; only buttons in a view
        (App Home) have neither."""
        in_view = isinstance(self.container, dict) and self.container.get("type") == "view"
        if not in_view and self.channel is None:
            raise ValueError("channel")
        if not in_view and self.response_url is None:
            raise ValueError("response_url")
        return self


class ShortcutMessage(_Shape):
    text: StrictStr | None = None


class MessageShortcut(_Envelope):
    type: Literal["message_action"]
    callback_id: StrictStr
    user: Ref
    channel: Ref
    team: Ref | None = None
    message: ShortcutMessage
    trigger_id: StrictStr | None = None


class SlashCommand(_Shape):
    command: StrictStr
    text: StrictStr = ""
    user_id: StrictStr
    channel_id: StrictStr
    team_id: StrictStr
    response_url: ResponseUrl
    trigger_id: StrictStr | None = None
    enterprise_id: StrictStr | None = None


EVENT_TYPES = {"message", "app_home_opened", "app_uninstalled", "tokens_revoked"}
INTERACTIVE: dict[str, type[_Shape]] = {"block_actions": BlockActions, "message_action": MessageShortcut}


@dataclass(frozen=True)
class Outcome:
    """What to do with a verified request: dispatch it to bolt, or answer `status` here."""

    kind: str
    status: int | None = None

    @property
    def dispatch(self) -> bool:
        return self.status is None


def safe_name(value: object) -> str:
    """A request or event type fit for the log and metrics: Slack's own names only, never free text."""
    return value if isinstance(value, str) and _SAFE_NAME.fullmatch(value) else "other"


def _missing(kind: str, error: ValidationError) -> Outcome:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or str(first["msg"]).removeprefix("Value error, ")
    log.warning("slack request ignored: %s lacks a valid %s (%s)", kind, where, first["type"])
    return Outcome(kind, 200)


def _check(kind: str, model: type[_Shape], data: dict[str, Any]) -> Outcome:
    try:
        model.model_validate(data)
    except ValidationError as error:
        return _missing(kind, error)
    return Outcome(kind)


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _event(data: dict[str, Any]) -> Outcome:
    kind = safe_name(data.get("type"))
    if kind == "url_verification":
        return _check(kind, UrlVerification, data)
    if kind != "event_callback":
        log.info("slack request ignored: type %s is not handled", kind)
        return Outcome(kind, 200)
    event = data.get("event")
    if not isinstance(event, dict):
        return _check("event_callback", EventCallback, data)  # names the missing or malformed `event`
    event_type = safe_name(event.get("type"))
    if event_type not in EVENT_TYPES:
        log.info("slack event ignored: %s is not handled", event_type)
        return Outcome(event_type, 200)
    return _check(event_type, EventCallback, data)


def _form(body: str) -> Outcome:
    try:
        form = parse_qs(body, keep_blank_values=True, strict_parsing=False, max_num_fields=200)
    except ValueError:
        log.warning("slack request refused: form_not_parsable")
        return Outcome("invalid", 400)
    if "payload" in form:
        data = _json_object(form["payload"][0])
        if data is None:
            log.warning("slack request refused: payload_not_a_json_object")
            return Outcome("invalid", 400)
        kind = safe_name(data.get("type"))
        model = INTERACTIVE.get(kind)
        if model is None:
            log.info("slack request ignored: interactive type %s is not handled", kind)
            return Outcome(kind, 200)
        return _check(kind, model, data)
    if "command" in form:
        fields = {key: values[0] for key, values in form.items()}
        return _check("command", SlashCommand, fields)
    if "ssl_check" in form:
        return Outcome("ssl_check", 200)
    log.warning("slack request refused: form_without_command_or_payload")
    return Outcome("invalid", 400)


def check(request: Verified) -> Outcome:
    """Whether bolt may handle this verified request; if not, the status to answer with."""
    if request.content_type == JSON:
        data = _json_object(request.body)
        if data is None:
            log.warning("slack request refused: body_not_a_json_object")
            return Outcome("invalid", 400)
        return _event(data)
    return _form(request.body)
