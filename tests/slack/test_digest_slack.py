"""The monthly digest in Slack, over real HTTP against the stand-in: switched on with the slash command,
casussen held through Slack, the digest posted once with its chart in the thread, and nothing in the
text or the PNG (pixels' metadata included) that names a case, a person or an answer."""

from __future__ import annotations

import itertools
import json
import struct
import zlib
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.adapters.slack.app import build_client
from bot.adapters.slack.digest_jobs import EVENT_TYPE, SlackDigestPoster, monthly_digest
from bot.adapters.slack.jobs import registered_jobs
from bot.core.digest import digest_moment, month_key
from bot.services.context import AppContext
from bot.services.digest import DigestDelivery
from bot.store import digests
from bot.store.dialogues import DialogueStore
from tests.slack.conftest import Slack
from tests.slack.standin import Call, StandIn

_n = itertools.count(1)
TITLES = ("Familie Zwanenburg Oosterhout", "Meneer Kwakkelstein Dordrecht", "Mevrouw Pijpelink Zutphen")
AUTHORS = ("UZWAAN01", "UKWAKK02", "UPIJPE03")
ANSWERS = (
    "mevrouw kan de huur niet betalen sinds haar man overleed, ze geeft xylofoonles",
    "de schulden lopen op en de deurwaarder staat voor de deur bij de tandemfiets",
    "de inwoner is boos en dient een klacht in over de gemeente en de goudvissenkom",
)
SECRETS = (
    *(word for title in TITLES for word in title.split()[1:]),
    *AUTHORS,
    "xylofoonles",
    "tandemfiets",
    "goudvissenkom",
    "deurwaarder",
    "overleed",
)


def _answer_text(standin: StandIn, index: int = -1) -> str:
    return str(standin.of("response_url")[index].args.get("text", ""))


async def _hold_casus(slack: Slack, standin: StandIn, title: str, author: str, answer: str) -> None:
    """Start a casus with the slash command and answer the first question in its thread."""
    before = len(standin.of("chat.postMessage"))
    await slack.command(f"casus {title}", user=author)
    posts = await standin.wait_for("chat.postMessage", count=before + 2)
    thread = str(posts[-1].args["thread_ts"])
    n = next(_n)
    reply = {"type": "message", "channel": "C1", "user": author, "text": answer, "ts": f"1700003000.{n:06d}"}
    await slack.event(reply | {"thread_ts": thread}, event_id=f"Ev-digest-{n}")
    await standin.wait_for("chat.postMessage", count=before + 3)  # the next question: the answer is in


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunks.append((data[position + 4 : position + 8], data[position + 8 : position + 8 + length]))
        position += 12 + length
    return chunks


def _digest_post(standin: StandIn) -> list[Call]:
    return [
        call
        for call in standin.of("chat.postMessage")
        if (call.args.get("metadata") or {}).get("event_type") == EVENT_TYPE
    ]


async def test_someone_without_rights_cannot_switch_the_digest_on(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    await slack.command("maatwerkplaats digest aan", user="UNOBODY")
    await standin.wait_for("response_url")
    assert "Alleen beheerders" in _answer_text(standin)
    assert digests.get_channel(app_context.store, "C1") is None


async def test_admin_switches_the_digest_on_and_the_channel_creator_off(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    standin.users["UADMIN"] = {"is_admin": True}
    await slack.command("maatwerkplaats digest aan", user="UADMIN")
    await standin.wait_for("response_url")
    assert "eerste werkdag van de maand om 09:00" in _answer_text(standin)
    await slack.command("maatwerkplaats digest aan", user="UADMIN")
    await standin.wait_for("response_url", count=2)
    assert "staat al aan" in _answer_text(standin)
    await slack.command("maatwerkplaats status", user="U2")
    await standin.wait_for("response_url", count=3)
    assert "Maandoverzicht: aan" in _answer_text(standin)
    await slack.command("maatwerkplaats digest uit", user="UCREATOR")  # the stand-in's channel creator
    await standin.wait_for("response_url", count=4)
    assert "staat uit" in _answer_text(standin)
    record = digests.get_channel(app_context.store, "C1")
    assert record is not None
    assert not record.enabled


async def test_whoever_switched_the_digest_on_may_switch_it_off(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    digests.enable(app_context.store, "T1", "C1", "UHOST", digest_moment("2026-01", ZoneInfo("Europe/Amsterdam")))
    await slack.command("maatwerkplaats digest uit", user="UHOST")
    await standin.wait_for("response_url")
    assert "staat uit" in _answer_text(standin)


async def test_digest_without_aan_or_uit_explains_itself(slack: Slack, standin: StandIn) -> None:
    await slack.command("maatwerkplaats digest morgen", user="UADMIN")
    await standin.wait_for("response_url")
    assert "Gebruik: `/maatwerk maatwerkplaats digest aan`" in _answer_text(standin)


def test_the_digest_job_is_registered() -> None:
    assert monthly_digest in registered_jobs()


async def test_digest_is_posted_once_with_a_chart_and_names_no_case_person_or_answer(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    standin.users["UADMIN"] = {"is_admin": True}
    await slack.command("maatwerkplaats digest aan", user="UADMIN")
    await standin.wait_for("response_url")
    for title, author, answer in zip(TITLES, AUTHORS, ANSWERS, strict=True):
        await _hold_casus(slack, standin, title, author, answer)
    zone = ZoneInfo(app_context.settings.timezone)
    started = DialogueStore(app_context.store).open_for(AUTHORS[0])[0].started_at
    moment = digest_moment(month_key(started.astimezone(zone).date()), zone)

    delivery = DigestDelivery(app_context, SlackDigestPoster(build_client(app_context)))
    first = await delivery.tick(moment + timedelta(minutes=1))
    second = await delivery.tick(moment + timedelta(minutes=2))
    assert len(first.sent) == 1
    assert second.sent == []

    posts = _digest_post(standin)
    assert len(posts) == 1
    digest_ts = digests.sent_ts(app_context.store, "C1", first.sent[0].digest.month)
    assert digest_ts is not None
    text = posts[0].text()
    assert "3 casussen besproken" in text
    assert "Signalen die het vaakst opkwamen" in text
    found = [secret for secret in SECRETS if secret.lower() in text.lower()]
    assert found == []
    assert "<@" not in text
    assert "http" not in text

    completes = [c for c in standin.of("files.completeUploadExternal") if c.args.get("thread_ts") == digest_ts]
    assert len(completes) == 1
    files = completes[0].args["files"]
    file_ids = {f["id"] for f in (json.loads(files) if isinstance(files, str) else files)}
    uploads = [c for c in standin.of("upload") if c.args["file_id"] in file_ids]
    assert len(uploads) == 1
    png: bytes = uploads[0].args["bytes"]
    chunks = _png_chunks(png)
    assert {kind for kind, _ in chunks} <= {b"IHDR", b"pHYs", b"IDAT", b"IEND"}  # no tEXt/iTXt/zTXt/eXIf
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    for secret in (*SECRETS, "Matplotlib", "matplotlib"):
        assert secret.encode() not in png
        assert secret.encode() not in pixels
    for call in [*standin.of("files.getUploadURLExternal"), *completes]:
        described = json.dumps(call.args, ensure_ascii=False, default=str)
        assert [secret for secret in SECRETS if secret in described] == []


async def test_a_post_that_went_out_before_a_crash_is_found_in_the_channel_history(
    standin: StandIn, app_context: AppContext
) -> None:
    zone = ZoneInfo(app_context.settings.timezone)
    moment = digest_moment("2026-10", zone)
    digests.enable(app_context.store, "T1", "C1", "UADMIN", moment - timedelta(days=30))
    poster = SlackDigestPoster(build_client(app_context))
    delivery = DigestDelivery(app_context, poster)
    channel = digests.get_channel(app_context.store, "C1")
    assert channel is not None
    claim = delivery._claim_due(channel, moment)
    assert claim is not None
    await poster.post(await delivery.service.prompt("C1", "2026-10"))  # posted, then the process died
    report = await DigestDelivery(app_context, poster).tick(moment + timedelta(minutes=11))
    assert report.reconciled == ["C1"]
    assert len(_digest_post(standin)) == 1
    assert standin.of("conversations.history")[0].args.get("include_all_metadata") in {True, "true", "1"}


async def test_a_channel_that_removed_the_bot_is_switched_off(standin: StandIn, app_context: AppContext) -> None:
    zone = ZoneInfo(app_context.settings.timezone)
    moment = digest_moment("2026-10", zone)
    digests.enable(app_context.store, "T1", "CGONE", "UADMIN", moment - timedelta(days=30))
    standin.fail_channel("CGONE", "not_in_channel")
    report = await DigestDelivery(app_context, SlackDigestPoster(build_client(app_context))).tick(moment)
    assert report.disabled == ["CGONE"]
    record = digests.get_channel(app_context.store, "CGONE")
    assert record is not None
    assert not record.enabled
