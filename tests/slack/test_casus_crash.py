"""`maatwerk serve` SIGKILLed at random moments while people answer, with Slack-style redeliveries; and
two `serve` processes on one database file closing the same dialogues. The long versions are in
bench/bench_durability.py."""

from __future__ import annotations

from tests.slack.conftest import ServeProcess, free_port
from tests.slack.crash import answer_under_kills, close_through_two, second_process
from tests.slack.standin import StandIn


async def test_no_acknowledged_answer_is_lost_doubled_or_misplaced_across_sigkills(
    serve_process: ServeProcess, standin: StandIn
) -> None:
    tally = await answer_under_kills(serve_process, standin, dialogues=5, answers=100, kills=3)
    assert tally.kills == 3
    assert tally.acknowledged == tally.answers_sent == 100
    assert (tally.lost, tally.duplicated, tally.misattributed) == (0, 0, 0)
    assert tally.stored == 100
    assert (tally.extra_questions, tally.missing_questions) == (0, 0)
    assert tally.next_questions == tally.stored  # exactly one next question per stored answer


async def test_two_serve_processes_on_one_file_post_every_summary_once(
    serve_process: ServeProcess, standin: StandIn
) -> None:
    other = second_process(serve_process, free_port())
    try:
        tally = await close_through_two(serve_process, other, standin, dialogues=6, answers_each=2)
    finally:
        other.kill()
    assert len(tally.summaries) == 6
    assert set(tally.summaries.values()) == {1}
