"""Other requests are still answered while three 40,000-character thread replies are handled.

Functional only (answers arrive, nothing fails); bench/bench_latency.py measures the /healthz p99.
"""

from __future__ import annotations

import asyncio

from tests.slack.conftest import Slack
from tests.slack.standin import StandIn

REPLY_CHARS = 40_000


async def test_healthz_and_help_are_answered_while_three_huge_replies_are_handled(
    slack: Slack, standin: StandIn
) -> None:
    await slack.command("casus Lange antwoorden", user="U1")
    _, first = await standin.wait_for("chat.postMessage", count=2)
    thread_ts = str(first.args["thread_ts"])
    replies = [
        asyncio.create_task(
            slack.event(
                {
                    "type": "message",
                    "channel": "C1",
                    "user": f"U{i}",
                    "text": "a" * REPLY_CHARS,
                    "ts": f"1700004000.00000{i}",
                    "thread_ts": thread_ts,
                },
                event_id=f"Ev-long-{i}",
            )
        )
        for i in range(3)
    ]
    async with slack.session.get(f"{slack.url}/healthz") as health:
        assert health.status == 200
    help_response = await slack.command("help", user="U9")
    assert help_response.status == 200
    assert {response.status for response in await asyncio.gather(*replies)} == {200}
    answers = await standin.wait_for("response_url", within=60)
    assert any("Hulp bij /maatwerk" in str(answer.args.get("text")) for answer in answers)
