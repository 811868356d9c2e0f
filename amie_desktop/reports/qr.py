"""QR codes drawn as vector paths: one path of rectangles, so a thousand pages stay quick."""

from __future__ import annotations

import functools
import io
import re

import segno
from reportlab.pdfgen.canvas import Canvas

_DARK = re.compile(b"\x01+")


def matrix(payload: str) -> tuple[bytearray, ...]:
    """The modules of a QR code for payload (medium error correction), 1 for dark.

    A fixed mask skips segno's search for the best one, which costs more than drawing a page;
    every mask gives a code that reads correctly.
    """
    rows: tuple[bytearray, ...] = segno.make(payload, error="m", mask=0, micro=False).matrix
    return rows


def png(payload: str, scale: int = 8) -> bytes:
    """The QR code as a PNG picture (medium error correction, the four-module light margin)."""
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def path_operators(rows: tuple[bytearray, ...]) -> str:
    """PDF path operators filling each horizontal stretch of dark modules, one module = 1 unit."""
    count = len(rows)
    ops: list[str] = []
    for number, row in enumerate(rows):
        top = count - 1 - number
        for stretch in _DARK.finditer(row):
            start, end = stretch.span()
            ops.append(f"{start} {top} {end - start} 1 re")
    return "\n".join(ops)


@functools.lru_cache(maxsize=1024)
def _drawing(payload: str) -> tuple[int, str]:
    """The code's size in modules and its path operators, kept for the next export.

    A signed certificate's code (version 8 to 10) takes segno a few milliseconds to encode;
    one export writes each person's code twice (own file and merged file), and exporting
    again gives the same codes, so each is encoded once per run of the app.
    """
    rows = matrix(payload)
    return len(rows), path_operators(rows)


def draw(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw the QR code for payload in the current fill colour, lower-left corner at (x, y).

    The caller leaves a light margin of four modules around it, as readers need.
    """
    count, operators = _drawing(payload)
    step = size / count
    canvas.addLiteral(f"q {step:.4f} 0 0 {step:.4f} {x:.2f} {y:.2f} cm\n{operators}\nf Q")
