"""English input to `/maatwerk signaal` and `argument` is answered with "Ik lees alleen Nederlands"."""

from __future__ import annotations

from tests.slack.conftest import Slack
from tests.slack.standin import StandIn

ENGLISH = "the client cannot pay the rent since her husband died"


async def test_english_signaal_and_argument_get_the_dutch_only_message(slack: Slack, standin: StandIn) -> None:
    await slack.command(f"signaal {ENGLISH}", user="U1")
    [signaal] = await standin.wait_for("response_url")
    assert str(signaal.args["text"]).startswith("Ik lees alleen Nederlands")
    assert "Geen duidelijk signaal" not in signaal.text()
    await slack.command(f"argument {ENGLISH}", user="U1")
    argument = (await standin.wait_for("response_url", count=2))[1]
    assert "argument hardheidsclausule" in argument.text()
    await slack.command("signaal mevrouw kan de huur niet betalen sinds haar man overleed", user="U1")
    dutch = (await standin.wait_for("response_url", count=3))[2]
    assert "Ik lees alleen Nederlands" not in dutch.text()
