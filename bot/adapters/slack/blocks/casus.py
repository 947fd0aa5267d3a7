"""What a casus or beleid dialogue looks like in Slack: root message, question, controls, summary."""

from __future__ import annotations

from bot.adapters.slack.blocks.common import (
    MAX_SECTION_TEXT,
    Block,
    actions,
    button,
    clip,
    context,
    divider,
    escape,
    fit,
    header,
    section,
)
from bot.adapters.slack.ids import ActionId
from bot.core import texts
from bot.core.dialogue import Asked, DialogueKind, Finished, Output, Resumed, Skipped, TimedOut
from bot.core.steering import STEERING_HINT
from bot.core.summary import Summary, local_date
from bot.store.dialogues import DialogueRecord

KIND_LABEL = {DialogueKind.CASUS: "Casus", DialogueKind.BELEID: "Beleid"}
CARD_LABEL = {
    DialogueKind.CASUS: "de Vragenkaart uitvoerders",
    DialogueKind.BELEID: "de Vragenkaart maatwerk voor beleidsmakers",
}
MAX_ANSWER_CHARS = 400
PAGE_SIZE = 10
MAX_LISTED_TITLE = 80
MAX_TIMED_OUT = 5
SUMMARY_TEXT = "Samenvatting"


def mention(user: str) -> str:
    """A Slack mention for a user id; removed answers keep their placeholder."""
    return f"<@{user}>" if user.startswith(("U", "W")) else escape(user)


def root_blocks(kind: DialogueKind, title: str, started_by: str) -> list[Block]:
    return [
        header(f"{KIND_LABEL[kind]}: {title}"),
        section(
            f"{mention(started_by)} start een gesprek met {CARD_LABEL[kind]}. "
            "Iedereen in dit kanaal kan meedoen: *antwoord in deze draad*, één vraag tegelijk."
        ),
        context(texts.CASUS_PRIVACY_HINT),
    ]


def controls(dialogue_id: str) -> Block:
    return actions(
        button("Overslaan", ActionId.CASUS_SKIP, dialogue_id),
        button("Vorige", ActionId.CASUS_BACK, dialogue_id),
        button("Pauzeer", ActionId.CASUS_PAUSE, dialogue_id),
        button("Afronden", ActionId.CASUS_FINISH, dialogue_id, style="danger"),
    )


def question_blocks(asked: Asked, dialogue_id: str) -> list[Block]:
    item = asked.question
    blocks: list[Block] = []
    if asked.new_group:
        blocks.append(context(f"*{escape(item.section)}* · {escape(item.groep)}"))
    blocks.append(section(f"*Vraag {asked.number} van {asked.total}* ({item.id})\n{escape(item.tekst)}"))
    blocks.append(context(STEERING_HINT))
    blocks.append(controls(dialogue_id))
    return blocks


def question_text(asked: Asked) -> str:
    return f"Vraag {asked.number} van {asked.total} ({asked.question.id}): {asked.question.tekst}"


def paused_blocks(dialogue_id: str, by: str) -> list[Block]:
    return [
        section(f"{mention(by)} heeft de casus gepauzeerd. Antwoorden in de draad tellen pas weer na *Verder*."),
        actions(button("Verder", ActionId.CASUS_RESUME, dialogue_id, style="primary")),
    ]


def status_text(output: Output) -> str | None:
    """A short thread note for an output that is not a question, or None if it needs none."""
    if isinstance(output, Skipped):
        return f"{mention(output.author)} sloeg vraag {output.question_id} over."
    if isinstance(output, Resumed):
        return f"{mention(output.author)} gaat verder."
    if isinstance(output, Finished):
        if output.complete:
            return "Alle vragen zijn langsgekomen. Hieronder de samenvatting."
        return f"{mention(output.author)} heeft de casus afgerond. Hieronder de samenvatting."
    if isinstance(output, TimedOut):
        return texts.CASUS_TIMEOUT_NOTE.format(days=output.idle_days)
    return None


def _answer_sections(summary: Summary, index: int) -> list[Block]:
    """One group's answers as sections of whole lines: a long group continues in a next section
    instead of being cut off inside an answer."""
    group = summary.groups[index]
    lines = [f"*{escape(group.title)}*"]
    for question in group.questions:
        for answer in question.answers:
            text = answer.text if len(answer.text) <= MAX_ANSWER_CHARS else answer.text[: MAX_ANSWER_CHARS - 1] + "…"
            lines.append(f"• _{question.item.id}_ {mention(answer.author)}: {escape(text)}")
    sections: list[Block] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > MAX_SECTION_TEXT:
            sections.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    return [*sections, section("\n".join(chunk))]


def summary_blocks(summary: Summary) -> list[Block]:
    info = summary.info
    people = ", ".join(mention(a) for a in summary.authors) or "niemand"
    blocks: list[Block] = [
        header(f"Samenvatting {KIND_LABEL[info.kind].lower()}: {info.title}"),
        context(f"{summary.answered} vragen beantwoord · deelnemers: {people} · id `{info.id}`"),
    ]
    for index, group in enumerate(summary.groups):
        if any(q.answers for q in group.questions):
            blocks += _answer_sections(summary, index)
    blocks.append(divider())
    if summary.signals:
        listed = "\n".join(f"• {h.item.id} {escape(h.item.tekst)}" for h in summary.signals)
        blocks.append(section(f"*Signalen die de antwoorden oproepen*\n{listed}"))
    for label, hits in (
        ("Argumenten vóór maatwerk", summary.arguments.voor),
        ("Argumenten tegen maatwerk", summary.arguments.tegen),
    ):
        if hits:
            listed = "\n".join(f"• {h.item.id} {escape(h.item.tekst)}" for h in hits)
            blocks.append(section(f"*{label}*\n{listed}"))
    blocks.append(context(texts.DENKHULP_FOOTER + " Het hele verslag staat in het bestand hieronder."))
    return fit(blocks)


def _listed(record: DialogueRecord) -> str:
    title = escape(clip(record.title, MAX_LISTED_TITLE))
    name = f"<{record.link}|{title}>" if record.link else f"*{title}*"
    state = record.state
    return (
        f"• {name} · {KIND_LABEL[state.kind].lower()}, {state.status.value}, vraag {state.position + 1} van "
        f"{len(state.questions)} · gestart {local_date(record.started_at)} · `{record.id}`"
    )


def _timed_out_blocks(records: list[DialogueRecord], timeout_days: int) -> list[Block]:
    if not records:
        return []
    shown = records[:MAX_TIMED_OUT]
    lines = [texts.MIJN_TIMED_OUT_HEADING.format(days=timeout_days)]
    lines += [
        f"• {escape(clip(r.title, MAX_LISTED_TITLE))} · gesloten {local_date(r.closed_at or r.started_at)} · `{r.id}`"
        for r in shown
    ]
    if len(records) > len(shown):
        lines.append(f"… en nog {len(records) - len(shown)}")
    return [section("\n".join(lines)), context(texts.MIJN_TIMED_OUT_HOW)]


def open_casussen_blocks(
    records: list[DialogueRecord], timed_out: list[DialogueRecord] | None = None, page: int = 1, timeout_days: int = 14
) -> list[Block]:
    """The user's open casussen, newest first, a page at a time (never cut inside an item), then the
    ones the timeout closed lately with how to get their report. Always a handful of blocks, so it
    also fits inside App Home next to the cards."""
    closed = _timed_out_blocks(timed_out or [], timeout_days)
    if not records:
        return [section(texts.MIJN_EMPTY), *closed]
    newest = sorted(records, key=lambda r: r.started_at, reverse=True)
    pages = -(-len(newest) // PAGE_SIZE)
    page = min(max(page, 1), pages)
    lines: list[str] = []
    for record in newest[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        line = _listed(record)
        if sum(len(x) + 1 for x in lines) + len(line) > MAX_SECTION_TEXT:
            break  # a whole item or none: never a half line with an open backtick
        lines.append(line)
    shown_until = (page - 1) * PAGE_SIZE + len(lines)
    heading = f"*Je open casussen ({len(newest)})*"
    if pages > 1:
        heading += f" · pagina {page} van {pages}"
    blocks = [section(heading), section("\n".join(lines))]
    rest = len(newest) - shown_until
    if rest > 0:
        blocks.append(context(f"En nog {rest}. Typ `/maatwerk mijn {page + 1}` voor de volgende."))
    return [*blocks, *closed]


def forget_confirm_blocks() -> list[Block]:
    return [
        section(
            'Hiermee vervang ik *al jouw antwoorden* in alle casussen door "[verwijderd]". '
            "Dit kan niet ongedaan worden."
        ),
        actions(button("Ja, vergeet mijn antwoorden", ActionId.FORGET_CONFIRM, "ja", style="danger")),
    ]
