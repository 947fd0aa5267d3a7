import json
import re
from pathlib import Path

from bot.adapters.slack.ids import CallbackId
from bot.adapters.slack.listeners.commands import SLASH_COMMAND
from bot.adapters.slack.oauth import BOT_SCOPES, REDIRECT_PATH

MANIFEST = json.loads((Path(__file__).resolve().parents[2] / "slack" / "manifest.json").read_text(encoding="utf-8"))
LISTENERS = Path(__file__).resolve().parents[2] / "bot" / "adapters" / "slack" / "listeners"


def test_manifest_declares_what_the_listeners_handle() -> None:
    features = MANIFEST["features"]
    assert [c["command"] for c in features["slash_commands"]] == [SLASH_COMMAND]
    assert [s["callback_id"] for s in features["shortcuts"]] == [CallbackId.FIND_SIGNALS.value]
    # message.channels and message.groups both arrive as the `message` event
    events = {name.split(".")[0] for name in MANIFEST["settings"]["event_subscriptions"]["bot_events"]}
    handled = set(re.findall(r'@app\.event\("([a-z_]+)"\)', (LISTENERS / "events.py").read_text(encoding="utf-8")))
    assert events == handled


def test_manifest_asks_for_least_privilege() -> None:
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) <= {
        "commands",
        "chat:write",
        "files:write",
        "users:read",
        "channels:read",
        "groups:read",
        "channels:history",
        "groups:history",
    }


def test_the_oauth_install_asks_for_the_manifests_scopes_and_redirects_where_the_manifest_says() -> None:
    assert list(BOT_SCOPES) == MANIFEST["oauth_config"]["scopes"]["bot"]
    assert [url.removeprefix("https://example.org") for url in MANIFEST["oauth_config"]["redirect_urls"]] == [
        REDIRECT_PATH
    ]
