"""The template library: built-in templates (read-only) and the organisation's own templates."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from amie_desktop.domain.agenda import Step
from amie_desktop.domain.content import TemplateContent, builtin_template, builtin_templates
from amie_desktop.domain.text import fold
from amie_desktop.services import agenda, workshops
from amie_desktop.services.errors import NotFoundError, UserError
from amie_desktop.store import Store
from amie_desktop.store.models import Template, TemplateStep

BUILTIN = "builtin:"
OWN = "own:"


@dataclass(frozen=True)
class TemplateSummary:
    key: str  # "builtin:<name>" or "own:<id>"
    title: str
    summary: str
    minutes: int
    cpd_hours: float
    steps: int

    @property
    def builtin(self) -> bool:
        return self.key.startswith(BUILTIN)


def _summary(key: str, content: TemplateContent) -> TemplateSummary:
    return TemplateSummary(
        key=key,
        title=content.title,
        summary=content.summary,
        minutes=content.minutes,
        cpd_hours=content.cpd_hours,
        steps=len(content.steps),
    )


def _content(template: Template) -> TemplateContent:
    return TemplateContent(
        key=f"{OWN}{template.id}",
        title=template.title,
        summary=template.summary,
        cpd_hours=template.cpd_hours,
        steps=tuple(agenda.step_of(step) for step in template.steps),
    )


def _own(session: Session, key: str) -> Template:
    number = key.removeprefix(OWN)
    template = session.get(Template, int(number)) if number.isascii() and number.isdigit() else None
    if template is None or template.builtin_key is not None:
        raise NotFoundError("That template no longer exists.")
    return template


def _editable(session: Session, key: str) -> Template:
    if key.startswith(BUILTIN):
        raise UserError(
            "Built-in templates cannot be changed. Use “Copy to edit” to make your own copy."
        )
    return _own(session, key)


def list_templates(store: Store) -> list[TemplateSummary]:
    """Built-in templates first, then the organisation's own, each in title order."""
    found = [_summary(f"{BUILTIN}{t.key}", t) for t in builtin_templates()]
    with store.read() as session:
        query = select(Template).where(Template.builtin_key.is_(None))
        own = sorted(session.scalars(query), key=lambda t: fold(t.title))
        found += [_summary(f"{OWN}{t.id}", _content(t)) for t in own]
    return found


def template_content(store: Store, key: str) -> TemplateContent:
    if key.startswith(BUILTIN):
        try:
            return builtin_template(key.removeprefix(BUILTIN))
        except KeyError:
            raise NotFoundError("That built-in template is not in this version.") from None
    with store.read() as session:
        return _content(_own(session, key))


def save_as_template(store: Store, workshop_id: int, title: str, summary: str = "") -> str:
    """Copy a workshop's agenda into a new template of the organisation's own; returns its key."""
    if not title.strip():
        raise UserError("A template needs a title.")
    detail = workshops.get_workshop(store, workshop_id)
    with store.write() as session:
        template = Template(title=title.strip(), summary=summary, cpd_hours=detail.cpd_hours)
        for number, step in enumerate(detail.steps):
            row = TemplateStep(position=number)
            agenda.fill(row, step)
            template.steps.append(row)
        session.add(template)
        session.flush()
        return f"{OWN}{template.id}"


def copy_template(store: Store, key: str) -> str:
    """Copy a template (a built-in one, usually) into a new one of the organisation's own, to
    change as it likes; returns the copy's key. The copy's title says it is a copy."""
    content = template_content(store, key)
    with store.write() as session:
        taken = {fold(title) for title in session.scalars(select(Template.title))}
        title = f"{content.title} (my copy)"
        number = 2
        while fold(title) in taken:
            title = f"{content.title} (my copy {number})"
            number += 1
        template = Template(title=title, summary=content.summary, cpd_hours=content.cpd_hours)
        for position, step in enumerate(content.steps):
            row = TemplateStep(position=position)
            agenda.fill(row, step)
            template.steps.append(row)
        session.add(template)
        session.flush()
        return f"{OWN}{template.id}"


def update_template(
    store: Store, key: str, title: str, summary: str, cpd_hours: float
) -> TemplateSummary:
    if not title.strip():
        raise UserError("A template needs a title.")
    if not 0 <= cpd_hours <= workshops.MAX_CPD_HOURS:
        raise UserError(f"CPD hours should be between 0 and {workshops.MAX_CPD_HOURS:g}.")
    with store.write() as session:
        template = _editable(session, key)
        template.title, template.summary, template.cpd_hours = title, summary, cpd_hours
        session.flush()
        return _summary(key, _content(template))


def delete_template(store: Store, key: str) -> None:
    """Remove one of the organisation's templates; workshops planned from it keep their steps."""
    with store.write() as session:
        session.delete(_editable(session, key))


def template_steps(store: Store, key: str) -> tuple[Step, ...]:
    return template_content(store, key).steps


def insert_template_step(store: Store, key: str, position: int, step: Step) -> None:
    with store.write() as session:
        template = _editable(session, key)
        agenda.insert(session, template.steps, position, step, TemplateStep(position=position))


def delete_template_step(store: Store, key: str, position: int) -> Step:
    with store.write() as session:
        template = _editable(session, key)
        return agenda.delete(session, template.steps, position)


def move_template_step(store: Store, key: str, source: int, target: int) -> None:
    with store.write() as session:
        template = _editable(session, key)
        agenda.move(session, template.steps, source, target)


def update_template_step(store: Store, key: str, position: int, step: Step) -> None:
    with store.write() as session:
        template = _editable(session, key)
        agenda.update(template.steps, position, step)
