"""Fuzzing the real server over HTTP (short CI profile; bench/bench_fuzz.py runs 10,000 cases).

Signed random and malformed commands, events, button clicks and shortcuts, and everything Slack did not
sign: never a 5xx, never a traceback or user text in the log, never an outbound call for an unsigned request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.slack.fuzz import Case, Target, cases

KINDS = ("command", "event", "block_actions", "shortcut", "malformed", "unverified")
CI_EXAMPLES_PER_KIND = 50
# Slack's ack window; bench/bench_fuzz.py counts answers over 1 s on a quiet machine.
ACK_WINDOW_SECONDS = 3.0


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    server = Target(Path(tmp_path_factory.mktemp("fuzz")) / "fuzz.db").start()
    yield server
    server.stop()


@pytest.mark.parametrize("kind", KINDS)
def test_fuzzed_requests_never_get_a_5xx_a_traceback_or_an_outbound_call(target: Target, kind: str) -> None:
    @settings(
        max_examples=CI_EXAMPLES_PER_KIND,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(case=cases(target)[kind])
    def one(case: Case) -> None:
        outcome = target.send(case)
        assert outcome.status < 500, case.label
        assert outcome.seconds < ACK_WINDOW_SECONDS, case.label
        if not case.signed:
            assert outcome.status in {400, 401, 413}, case.label

    one()
    target.settle()
    assert target.watch.errors == []
    assert target.watch.tracebacks == 0
    assert target.unverified_calls() == 0
