"""The schema revisions this version knows, read from the migration files without importing Alembic.

Start-up only needs to know whether the database is current, older or newer; Alembic (and the
dialect modules it pulls in) is loaded only when a migration has to run.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]+)?=\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Revisions:
    known: frozenset[str]
    head: str


def _parents(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple | list):
        return tuple(str(v) for v in value)
    raise ValueError(f"unexpected down_revision {value!r}")


@cache
def schema_revisions() -> Revisions:
    folder = resources.files("amie_desktop.store") / "migrations" / "versions"
    known: set[str] = set()
    parents: set[str] = set()
    for entry in folder.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        found = dict(
            (name, ast.literal_eval(value.strip()))
            for name, value in _ASSIGNMENT.findall(entry.read_text(encoding="utf-8"))
        )
        known.add(str(found["revision"]))
        parents.update(_parents(found.get("down_revision")))
    heads = known - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have exactly one head, found {sorted(heads)}")
    return Revisions(known=frozenset(known), head=heads.pop())
