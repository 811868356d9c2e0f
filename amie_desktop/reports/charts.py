"""Charts as ReportLab flowables: before/after self-ratings per HEARD principle.

Before and after use Okabe and Ito's orange and blue, which colour-blind readers tell apart;
they also differ strongly in lightness, the before bars are hatched, and every bar carries its
value, so a greyscale printout reads just as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import white
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from amie_desktop.domain.heard import Principle
from amie_desktop.reports import fonts
from amie_desktop.reports.styles import AFTER_COLOUR, BEFORE_COLOUR, INK, MUTED, RULE

SCALE_MAX = 5


@dataclass(frozen=True)
class RatingBar:
    principle: Principle
    before: float | None  # mean self-rating 1-5, None when nobody answered
    after: float | None
    note: str  # e.g. "12 before, 11 after; 8 of 11 moved up"


class RatingChart(Flowable):  # type: ignore[misc]
    """Paired horizontal bars, one pair per principle, on the 1-5 scale."""

    label_width = 96.0
    bar_height = 9.0
    row_height = 42.0

    def __init__(self, rows: Sequence[RatingBar], width: float) -> None:
        super().__init__()
        self.rows = tuple(rows)
        self.width = width
        self.height = 28 + self.row_height * len(self.rows) + 20

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        plot_left = self.label_width
        plot_width = self.width - self.label_width - 40
        top = self.height - 12
        self._legend(canvas, plot_left, top)
        axis_y = 16.0
        # Scale lines at 1..5, the numbers under them.
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.setFillColor(MUTED)
        canvas.setFont(fonts.REGULAR, 7.5)
        for value in range(1, SCALE_MAX + 1):
            x = plot_left + plot_width * value / SCALE_MAX
            canvas.line(x, axis_y, x, top - 18)
            canvas.drawCentredString(x, axis_y - 10, str(value))
        y = top - 18 - self.row_height
        for row in self.rows:
            canvas.setFillColor(INK)
            canvas.setFont(fonts.BOLD, 9)
            canvas.drawString(0, y + self.row_height / 2 + 2, row.principle.label)
            canvas.setFillColor(MUTED)
            canvas.setFont(fonts.REGULAR, 7)
            canvas.drawString(0, y + self.row_height / 2 - 8, row.note)
            self._bar(canvas, plot_left, plot_width, y + 22, row.before, before=True)
            self._bar(canvas, plot_left, plot_width, y + 10, row.after, before=False)
            y -= self.row_height

    def _legend(self, canvas: Canvas, x: float, y: float) -> None:
        for offset, label, before in ((0.0, "Before the workshop", True), (150.0, "After", False)):
            self._swatch(canvas, x + offset, y - 2, 16, 8, before)
            canvas.setFillColor(INK)
            canvas.setFont(fonts.REGULAR, 8.5)
            canvas.drawString(x + offset + 22, y - 1, label)
        canvas.setFillColor(MUTED)
        canvas.setFont(fonts.REGULAR, 7.5)
        canvas.drawRightString(self.width, y - 1, "Mean self-rating, 1 (not yet) to 5")

    def _swatch(self, canvas: Canvas, x: float, y: float, w: float, h: float, before: bool) -> None:
        canvas.setFillColor(BEFORE_COLOUR if before else AFTER_COLOUR)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.5)
        canvas.rect(x, y, w, h, stroke=1, fill=1)
        if before:
            canvas.saveState()
            path = canvas.beginPath()
            path.rect(x, y, w, h)
            canvas.clipPath(path, stroke=0, fill=0)
            canvas.setStrokeColor(white)
            canvas.setLineWidth(1.2)
            step = 4.0
            start = x - h
            while start < x + w:
                canvas.line(start, y, start + h, y + h)
                start += step
            canvas.restoreState()

    def _bar(
        self, canvas: Canvas, left: float, width: float, y: float, value: float | None, before: bool
    ) -> None:
        if value is None:
            canvas.setFillColor(MUTED)
            canvas.setFont(fonts.REGULAR, 7.5)
            canvas.drawString(left + 4, y + 1, "no answers")
            return
        length = width * value / SCALE_MAX
        self._swatch(canvas, left, y, length, self.bar_height, before)
        canvas.setFillColor(INK)
        canvas.setFont(fonts.BOLD, 8)
        canvas.drawString(left + length + 4, y + 1.5, f"{value:.1f}")
