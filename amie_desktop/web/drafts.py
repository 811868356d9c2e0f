"""Group commit for the phone station: drafts that arrive together are saved together.

Forty phones answering at once would otherwise queue forty flushes to disk one behind another.
Each request still waits until its own answers are on disk before the phone moves on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field

from amie_desktop.domain.values import Phase
from amie_desktop.services import reflections
from amie_desktop.services.errors import UserError
from amie_desktop.services.reflections import AnswerValue
from amie_desktop.store import Store

# At most this many drafts go into one unit of work.
MAX_BATCH = 100


@dataclass
class _Waiting:
    attendance_id: int
    answers: Mapping[str, AnswerValue]
    done: asyncio.Future[UserError | None]


@dataclass
class DraftWriter:
    """Saves drafts on the one writer thread, many to a unit of work."""

    store: Store
    phase: Phase
    writer: Executor
    _waiting: list[_Waiting] = field(default_factory=list)
    _draining: asyncio.Task[None] | None = None

    async def save(self, attendance_id: int, answers: Mapping[str, AnswerValue]) -> None:
        """Return once the answers are on disk; raise the plain problem if they are not."""
        loop = asyncio.get_running_loop()
        waiting = _Waiting(attendance_id, dict(answers), loop.create_future())
        self._waiting.append(waiting)
        if self._draining is None:
            self._draining = loop.create_task(self._drain())
        problem = await waiting.done
        if problem is not None:
            raise problem

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
                drafts = [(w.attendance_id, w.answers) for w in batch]
                try:
                    problems = await loop.run_in_executor(
                        self.writer, reflections.save_drafts, self.store, self.phase, drafts
                    )
                except UserError as failure:  # the disk, for everyone in the batch
                    problems = [failure] * len(batch)
                for waiting, problem in zip(batch, problems, strict=True):
                    if not waiting.done.done():
                        waiting.done.set_result(problem)
        finally:
            self._draining = None
