"""Socket Mode: the same app, reached over a websocket served by the stand-in."""

from __future__ import annotations

from bot.adapters.slack.socket import build_handler
from bot.services.context import AppContext
from tests.slack.standin import StandIn


async def test_socket_mode_dispatches_a_slash_command_and_acks_it(app_context: AppContext, standin: StandIn) -> None:
    standin.queue_socket_message(
        {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": {
                "team_id": "T1",
                "channel_id": "C1",
                "user_id": "U1",
                "command": "/maatwerk",
                "text": "signaal ik heb grote schulden",
                "response_url": standin.response_url("socket"),
                "trigger_id": "socket-trigger-1",
                "api_app_id": "A1",
            },
        }
    )
    handler = build_handler(app_context)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    try:
        [answer] = await standin.wait_for("response_url", within=10)
        ack = await standin.wait_for_socket_ack()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
    assert standin.of("apps.connections.open")
    assert ack["envelope_id"] == "env-1"
    assert "S-03" in str(answer.args["blocks"])
