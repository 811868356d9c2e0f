"""Background exports: the shared job runner, with the words an export needs."""

from __future__ import annotations

from collections.abc import Callable

from amie_desktop.services.exports import ExportCancelled
from amie_desktop.ui.jobs import Job

# An export's work gets progress(done, total), which raises ExportCancelled after Cancel, and
# returns the message to show when it has finished.
ExportWork = Callable[[Callable[[int, int], None]], str]


class ExportRunner(Job):
    """Cancel keeps the files already finished; a failed write leaves earlier files alone."""

    unexpected_message = (
        "Something unexpected went wrong, and the export was not finished. Earlier files of "
        "the same name are unchanged. Please try again; if it keeps happening, the details are "
        "in the log file in the data folder."
    )

    def __init__(self, work: ExportWork) -> None:
        super().__init__(work)

    def cancellation(self) -> ExportCancelled:
        return ExportCancelled("The export was cancelled. Files already finished are kept.")

    def report_cancelled(self, exc: Exception) -> None:
        self.signals.cancelled.emit()

    def file_problem(self, exc: OSError) -> str:
        return (
            f"The files could not be written ({exc.strerror or exc}). Earlier files of the same "
            "name are unchanged."
        )
