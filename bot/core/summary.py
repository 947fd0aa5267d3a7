"""The end of a dialogue: answers per group with who answered, suggested signals and arguments, exports.

Suggestions come from the retrieval core (SearchIndex) run over the answers together: they show which
signals and arguments the team's own words touch, as a denkhulp, never as advice. Rendering here is
plain Markdown and JSON; Slack blocks live in the Slack adapter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core import texts
from bot.core.deck import Deck
from bot.core.dialogue import AnswerRecord, DialogueKind, Status
from bot.core.models import CardItem
from bot.core.search import ArgumentResult, Hit, SearchIndex

__all__ = ["DialogueInfo", "GroupSummary", "QuestionSummary", "Summary", "summarise", "to_json", "to_markdown"]

REMOVED = "[verwijderd]"
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
    item: CardItem
    answers: tuple[AnswerRecord, ...]
    skipped_by: tuple[str, ...]


@dataclass(frozen=True)
class GroupSummary:
    section: str
    title: str
    questions: tuple[QuestionSummary, ...]

    @property
    def authors(self) -> tuple[str, ...]:
        seen = {a.author: None for q in self.questions for a in q.answers if a.author != REMOVED}
        return tuple(seen)


@dataclass(frozen=True)
class Summary:
    info: DialogueInfo
    groups: tuple[GroupSummary, ...]
    signals: tuple[Hit, ...] = ()
    arguments: ArgumentResult = field(default_factory=lambda: ArgumentResult([], []))

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
        current.append(
            QuestionSummary(
                item,
                tuple(r for r in records if not r.skipped),
                tuple(r.author for r in records if r.skipped),
            )
        )
        following = info.questions[position + 1] if position + 1 < len(info.questions) else None
        if following is None or deck.item(following).group_id != item.group_id:
            groups.append(GroupSummary(item.section, item.groep, tuple(current)))
            current = []
    words = " ".join(a.text for a in answers if not a.skipped and a.text != REMOVED)
    if not words.strip():
        return Summary(info, tuple(groups))
    return Summary(
        info, tuple(groups), tuple(index.signals(words, top=SUGGESTIONS)), index.arguments(words, top=SUGGESTIONS)
    )


def _label(author: str) -> str:
    return author


def to_markdown(summary: Summary, author_label: Callable[[str], str] = _label) -> str:
    info = summary.info
    lines = [
        f"# {KIND_TITLE[info.kind]}: {info.title}",
        "",
        f"- Dialoog: `{info.id}` ({info.status.value})",
        f"- Gestart: {info.started_at:%Y-%m-%d %H:%M} UTC",
    ]
    if info.closed_at is not None:
        lines.append(f"- Afgesloten: {info.closed_at:%Y-%m-%d %H:%M} UTC")
    lines.append(f"- Deelnemers: {', '.join(author_label(a) for a in summary.authors) or 'niemand'}")
    section = None
    for group in summary.groups:
        if group.section != section:
            section = group.section
            lines += ["", f"## {section}"]
        lines += ["", f"### {group.title}"]
        if group.authors:
            lines.append(f"_Beantwoord door: {', '.join(author_label(a) for a in group.authors)}_")
        for question in group.questions:
            lines += ["", f"**{question.item.id}** {question.item.tekst}"]
            for answer in question.answers:
                lines.append(f"- {author_label(answer.author)}: {answer.text}")
            if question.skipped_by:
                lines.append(f"- _overgeslagen door {', '.join(author_label(a) for a in question.skipped_by)}_")
            if not question.answers and not question.skipped_by:
                lines.append("- _niet aan toegekomen_")
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


def to_json(summary: Summary) -> dict[str, Any]:
    info = summary.info
    return {
        "id": info.id,
        "soort": info.kind.value,
        "titel": info.title,
        "status": info.status.value,
        "gestart": info.started_at.isoformat(),
        "afgesloten": info.closed_at.isoformat() if info.closed_at else None,
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
                            {"auteur": a.author, "tekst": a.text, "tijd": a.at.isoformat()} for a in q.answers
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
