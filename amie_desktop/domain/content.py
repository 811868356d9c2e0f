"""Built-in content from the packaged assets: workshop templates and the reflection questions."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib import resources
from typing import Any

from amie_desktop.domain.agenda import Step
from amie_desktop.domain.heard import Principle
from amie_desktop.domain.values import Phase


class ContentError(ValueError):
    """A content file is missing a field or has one of the wrong kind."""


class QuestionKind(Enum):
    RATING = "rating"  # 1-5 self-rating
    TEXT = "text"  # free text
    PRINCIPLE = "principle"  # choose one HEARD principle


@dataclass(frozen=True)
class TemplateContent:
    key: str
    title: str
    summary: str
    cpd_hours: float
    steps: tuple[Step, ...]

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


@dataclass(frozen=True)
class Question:
    key: str
    kind: QuestionKind
    phases: tuple[Phase, ...]
    text: str
    easy_read: str
    help: str
    principle: Principle | None
    scale: tuple[str, ...]  # labels for 1..5 on rating questions; empty otherwise


@dataclass(frozen=True)
class QuestionSet:
    version: int
    questions: tuple[Question, ...]

    def for_phase(self, phase: Phase) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if phase in q.phases)

    def by_key(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)


def _field(table: dict[str, Any], name: str, kind: type | tuple[type, ...], source: str) -> Any:
    value = table.get(name)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # TOML's true and false are ints to isinstance; no field here takes them.
    if not isinstance(value, kinds) or isinstance(value, bool):
        wanted = " or ".join(k.__name__ for k in kinds)
        raise ContentError(f"{source}: field {name!r} should be {wanted}, got {value!r}")
    return value


def _text(table: dict[str, Any], name: str, source: str) -> str:
    """An optional text field: empty when left out."""
    return str(_field(table, name, str, source)) if name in table else ""


def _principle(value: object, source: str) -> Principle | None:
    if value in (None, ""):
        return None
    try:
        return Principle.from_code(str(value))
    except ValueError as exc:
        raise ContentError(f"{source}: {exc}") from None


def parse_template(data: dict[str, Any], source: str) -> TemplateContent:
    steps = []
    for number, raw in enumerate(_field(data, "steps", list, source), start=1):
        where = f"{source} step {number}"
        questions = raw.get("questions", [])
        if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
            raise ContentError(f"{where}: 'questions' should be a list of text")
        minutes = _field(raw, "minutes", int, where)
        if minutes <= 0:
            raise ContentError(f"{where}: 'minutes' should be more than 0")
        steps.append(
            Step(
                title=_field(raw, "title", str, where),
                minutes=minutes,
                principle=_principle(raw.get("principle"), where),
                prompt=_text(raw, "prompt", where),
                activity=_text(raw, "activity", where),
                questions=tuple(questions),
                notes=_text(raw, "notes", where),
            )
        )
    return TemplateContent(
        key=_field(data, "key", str, source),
        title=_field(data, "title", str, source),
        summary=_text(data, "summary", source),
        cpd_hours=float(_field(data, "cpd_hours", (int, float), source)),
        steps=tuple(steps),
    )


def asset_folder() -> resources.abc.Traversable:
    """The folder of built-in content: the package amie_desktop.assets (the repository's
    top-level assets/), or in the frozen bundle the same files laid beside the package."""
    try:
        return resources.files("amie_desktop.assets")
    except ModuleNotFoundError:
        return resources.files("amie_desktop") / "assets"


def _asset(*parts: str) -> resources.abc.Traversable:
    node = asset_folder()
    for part in parts:
        node = node / part
    return node


@cache
def builtin_templates() -> tuple[TemplateContent, ...]:
    """The templates shipped with the app, in title order."""
    folder = _asset("templates")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            found.append(parse_template(data, f"templates/{entry.name}"))
    return tuple(sorted(found, key=lambda t: t.title))


def builtin_template(key: str) -> TemplateContent:
    for template in builtin_templates():
        if template.key == key:
            return template
    raise KeyError(key)


@cache
def reflection_questions() -> QuestionSet:
    """The reflection question set shipped with the app."""
    source = "reflection-questions.toml"
    return parse_questions(tomllib.loads(_asset(source).read_text(encoding="utf-8")), source)


def parse_questions(data: dict[str, Any], source: str) -> QuestionSet:
    """A question set from its TOML table, or a ContentError naming the question and field."""
    questions = []
    for raw in _field(data, "questions", list, source):
        where = f"{source} question {raw.get('key', '?')}"
        kind_name = _field(raw, "kind", str, where)
        phase_names = _field(raw, "phases", list, where)
        try:
            kind = QuestionKind(kind_name)
            phases = tuple(Phase(p) for p in phase_names)
        except ValueError as exc:
            raise ContentError(f"{where}: {exc}") from None
        scale = tuple(raw.get("scale", ()))
        if kind is QuestionKind.RATING and len(scale) != 5:
            raise ContentError(f"{where}: a rating question needs five scale labels")
        questions.append(
            Question(
                key=_field(raw, "key", str, where),
                kind=kind,
                phases=phases,
                text=_field(raw, "text", str, where),
                easy_read=_field(raw, "easy_read", str, where),
                help=_text(raw, "help", where),
                principle=_principle(raw.get("principle"), where),
                scale=scale,
            )
        )
    keys = [q.key for q in questions]
    if len(keys) != len(set(keys)):
        raise ContentError(f"{source}: question keys must be unique")
    return QuestionSet(
        version=int(_field(data, "version", int, source)), questions=tuple(questions)
    )
