"""The end of a dialogue: answers per group with who answered, suggested signals and arguments, exports.

Suggestions come from the retrieval core (SearchIndex) run over the answers together: they show which
signals and arguments the team's own words touch, as a denkhulp, never as advice. Rendering here is
plain Markdown and JSON; Slack blocks live in the Slack adapter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import texts
from bot.core.deck import Deck
from bot.core.dialogue import AnswerRecord, DialogueKind, Status
from bot.core.dutch import MONTHS
from bot.core.models import CardItem
from bot.core.search import ArgumentResult, Hit, SearchIndex

__all__ = [
    "DialogueInfo",
    "GroupSummary",
    "QuestionSummary",
    "Summary",
    "author_label",
    "author_labeller",
    "local_date",
    "local_time",
    "summarise",
    "to_json",
    "to_markdown",
]

REMOVED = "[verwijderd]"
DUTCH_ZONE = "Europe/Amsterdam"
SUGGESTIONS = 5
KIND_TITLE = {DialogueKind.CASUS: "Casus", DialogueKind.BELEID: "Beleid"}


@dataclass(frozen=True)
class DialogueInfo:
    """What the summary needs to know about the dialogue itself."""

    id: str
    kind: DialogueKind
    title: str
    status: Status
    questions: tuple[str, ...]
    started_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class QuestionSummary:
    """One question: its answers, and who skipped it (only while nobody has answered it since)."""

    item: CardItem
    answers: tuple[AnswerRecord, ...]
    skipped_by: tuple[str, ...]

    @property
    def touched(self) -> bool:
        return bool(self.answers or self.skipped_by)


@dataclass(frozen=True)
class GroupSummary:
    section: str
    title: str
    questions: tuple[QuestionSummary, ...]

    @property
    def authors(self) -> tuple[str, ...]:
        seen = {a.author: None for q in self.questions for a in q.answers if a.author != REMOVED}
        return tuple(seen)

    @property
    def touched(self) -> bool:
        return any(q.touched for q in self.questions)


@dataclass(frozen=True)
class Summary:
    info: DialogueInfo
    groups: tuple[GroupSummary, ...]
    signals: tuple[Hit, ...] = ()
    arguments: ArgumentResult = field(default_factory=lambda: ArgumentResult([], []))
    purged: bool = False

    @property
    def authors(self) -> tuple[str, ...]:
        seen = {author: None for group in self.groups for author in group.authors}
        return tuple(seen)

    @property
    def answered(self) -> int:
        return sum(1 for g in self.groups for q in g.questions if q.answers)


def summarise(deck: Deck, index: SearchIndex, info: DialogueInfo, answers: list[AnswerRecord]) -> Summary:
    by_question: dict[str, list[AnswerRecord]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    groups: list[GroupSummary] = []
    current: list[QuestionSummary] = []
    for position, question_id in enumerate(info.questions):
        item = deck.item(question_id)
        records = by_question.get(question_id, [])
        given = tuple(r for r in records if not r.skipped)
        # Skipped, then answered after *Vorige*: the answer is what counts, the skip is history.
        skipped = () if given else tuple(dict.fromkeys(r.author for r in records if r.skipped))
        current.append(QuestionSummary(item, given, skipped))
        following = info.questions[position + 1] if position + 1 < len(info.questions) else None
        if following is None or deck.item(following).group_id != item.group_id:
            groups.append(GroupSummary(item.section, item.groep, tuple(current)))
            current = []
    # The retention purge deletes the answers and blanks the title: the export must say "removed", not "not reached".
    purged = info.status.closed and info.title == REMOVED and not answers
    words = " ".join(a.text for a in answers if not a.skipped and a.text != REMOVED)
    if not words.strip():
        return Summary(info, tuple(groups), purged=purged)
    return Summary(
        info, tuple(groups), tuple(index.signals(words, top=SUGGESTIONS)), index.arguments(words, top=SUGGESTIONS)
    )


def author_label(author: str, names: Mapping[str, str] | None = None) -> str:
    """How an author reads in a summary or export: the display name where Slack gave one, otherwise the id
    as stored ('U1'), '[verwijderd]' after a purge; never a Slack mention, which a file cannot show.
    The CLI export and the Slack upload both go through here, so they name people the same way."""
    if author == REMOVED:
        return REMOVED
    name = (names or {}).get(author, "").strip()
    return name or author


def author_labeller(names: Mapping[str, str]) -> Callable[[str], str]:
    """An author_label bound to the display names an adapter looked up (for to_markdown)."""
    return lambda author: author_label(author, names)


def local_time(moment: datetime, zone: str = DUTCH_ZONE) -> str:
    """'1 december 2026, 04:39' in Dutch local time (winter and summer time alike)."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"


def local_date(moment: datetime, zone: str = DUTCH_ZONE) -> str:
    """'1 december 2026' in Dutch local time."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def _id_range(questions: Sequence[QuestionSummary]) -> str:
    ids = [q.item.id for q in questions]
    return ids[0] if len(ids) == 1 else f"{ids[0]} t/m {ids[-1]}"


def _group_markdown(group: GroupSummary, label: Callable[[str], str]) -> list[str]:
    lines = ["", f"### {group.title}"]
    if group.authors:
        lines.append(f"_Beantwoord door: {', '.join(label(a) for a in group.authors)}_")
    for question in group.questions:
        if not question.touched:
            continue
        lines += ["", f"**{question.item.id}** {question.item.tekst}"]
        for answer in question.answers:
            if answer.text == REMOVED:
                lines.append(f"- {REMOVED}")
            else:
                lines.append(f"- {label(answer.author)}: {answer.text}")
        if question.skipped_by:
            lines.append(f"- _overgeslagen door {', '.join(label(a) for a in question.skipped_by)}_")
    return lines


def _not_reached_markdown(groups: Sequence[GroupSummary]) -> list[str]:
    """Every question nobody answered or skipped, as one count and a line per group, not a line each."""
    per_group = [(g, [q for q in g.questions if not q.touched]) for g in groups]
    per_group = [(g, open_) for g, open_ in per_group if open_]
    if not per_group:
        return []
    total = sum(len(open_) for _, open_ in per_group)
    lines = ["", "## Niet aan toegekomen", "", f"{texts.count(total, 'vraag', 'vragen')} niet aan toegekomen:"]
    for group, open_ in per_group:
        ids = _id_range(open_) if len(open_) == len(group.questions) else ", ".join(q.item.id for q in open_)
        lines.append(f"- {group.section} · {group.title} ({ids})")
    return lines


def to_markdown(summary: Summary, label: Callable[[str], str] = author_label, zone: str = DUTCH_ZONE) -> str:
    """The whole dialogue as Markdown: what was answered per group, what was not reached, suggestions."""
    info = summary.info
    lines = [
        f"# {KIND_TITLE[info.kind]}: {info.title}",
        "",
        f"- Id: `{info.id}` ({info.status.value})",
        f"- Gestart: {local_time(info.started_at, zone)}",
    ]
    if info.closed_at is not None:
        lines.append(f"- Afgesloten: {local_time(info.closed_at, zone)}")
    lines.append(f"- Deelnemers: {', '.join(label(a) for a in summary.authors) or 'niemand'}")
    if summary.purged:
        lines += ["", "## Antwoorden", "", f"{REMOVED}: na de bewaartermijn zijn de antwoorden verwijderd."]
        lines += ["", f"_{texts.DENKHULP_FOOTER}_", ""]
        return "\n".join(lines)
    section = None
    for group in summary.groups:
        if not group.touched:
            continue
        if group.section != section:
            section = group.section
            lines += ["", f"## {section}"]
        lines += _group_markdown(group, label)
    lines += _not_reached_markdown(summary.groups)
    lines += _suggestions_markdown(summary)
    lines += ["", f"_{texts.DENKHULP_FOOTER}_", ""]
    return "\n".join(lines)


def _suggestions_markdown(summary: Summary) -> list[str]:
    lines = ["", "## Wat de antwoorden oproepen", ""]
    if summary.signals:
        lines.append("Signalen die kunnen wijzen op maatwerk:")
        lines += [f"- {h.item.id} {h.item.tekst}" for h in summary.signals]
    else:
        lines.append("Geen duidelijke signalen in de antwoorden gevonden.")
    for label, hits in (
        ("Argumenten vóór maatwerk", summary.arguments.voor),
        ("Argumenten tegen maatwerk", summary.arguments.tegen),
    ):
        if hits:
            lines += ["", f"{label}:"] + [f"- {h.item.id} {h.item.tekst}" for h in hits]
    return lines


def to_json(summary: Summary, zone: str = DUTCH_ZONE) -> dict[str, Any]:
    """The same content for programs: ids as stored, times in ISO 8601 with the Dutch offset."""
    info = summary.info
    return {
        "id": info.id,
        "soort": info.kind.value,
        "titel": info.title,
        "status": info.status.value,
        "gestart": info.started_at.astimezone(ZoneInfo(zone)).isoformat(),
        "afgesloten": info.closed_at.astimezone(ZoneInfo(zone)).isoformat() if info.closed_at else None,
        "verwijderd": summary.purged,
        "deelnemers": list(summary.authors),
        "groepen": [
            {
                "sectie": group.section,
                "titel": group.title,
                "deelnemers": list(group.authors),
                "vragen": [
                    {
                        "id": q.item.id,
                        "vraag": q.item.tekst,
                        "antwoorden": [
                            {"auteur": a.author, "tekst": a.text, "tijd": a.at.astimezone(ZoneInfo(zone)).isoformat()}
                            for a in q.answers
                        ],
                        "overgeslagen_door": list(q.skipped_by),
                    }
                    for q in group.questions
                ],
            }
            for group in summary.groups
        ],
        "signalen": [hit.to_json() for hit in summary.signals],
        "argumenten": summary.arguments.to_json(),
    }
