"""Certificate design: wording, colours, logo, signature, paper size, with a live preview."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QColorDialog,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from amie_desktop.services import certificates
from amie_desktop.services.certificates import CertificateDesign
from amie_desktop.services.errors import UserError
from amie_desktop.store import Store
from amie_desktop.ui.jobs import Job
from amie_desktop.ui.widgets.forms import buddy, error_label

PREVIEW_DELAY_MS = 250


def _render_preview(design: CertificateDesign) -> bytes:
    """The sample certificate as PNG bytes; empty for an unreadable logo or signature."""
    try:
        return certificates.preview_png(design)
    except (ValueError, OSError):
        return b""  # the form says what is wrong when saving


class _ImageChoice(QWidget):
    """A PNG chosen from a file (logo or signature), with Choose and Remove buttons."""

    changed = Signal()

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what
        self.data: bytes | None = None
        self.state = QLabel()
        self.state.setAccessibleName(f"{what.capitalize()} chosen")
        self.choose = QPushButton(f"Choose {what}…")
        self.choose.setAccessibleName(f"Choose {what}")
        self.choose.clicked.connect(self._on_choose_clicked)
        self.remove = QPushButton(f"Remove {what}")
        self.remove.setAccessibleName(f"Remove {what}")
        self.remove.clicked.connect(self._on_remove_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.state, 1)
        row.addWidget(self.choose)
        row.addWidget(self.remove)
        self.set_data(None)

    def set_data(self, data: bytes | None) -> None:
        self.data = data
        self.state.setText(f"PNG, {len(data) // 1024 + 1} kB" if data else f"No {self.what}")
        self.remove.setEnabled(data is not None)
        self.changed.emit()

    def _on_choose_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, f"Choose the {self.what}", "", "PNG images (*.png)"
        )
        if name:
            self.set_data(Path(name).read_bytes())

    def _on_remove_clicked(self) -> None:
        self.set_data(None)


class CertificateDesignPage(QWidget):
    status_changed = Signal(str)
    preview_updated = Signal()

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._organisation = ""
        self._stale = False
        # The render under way, kept until it reports: a runner only the thread pool knows of
        # can be collected with its signals before it says it has finished.
        self._runner: Job | None = None
        self._loading = False
        self.unsaved = False  # edits not yet saved survive leaving the section and coming back

        self.wording = QPlainTextEdit()
        self.wording.setTabChangesFocus(True)
        self.wording.setFixedHeight(70)
        self.accent = QLineEdit()
        self.accent.setMaxLength(7)
        self.accent.setAccessibleName("Main colour")
        self.accent_pick = QPushButton("Choose…")
        self.accent_pick.setAccessibleName("Choose the main colour")
        self.secondary = QLineEdit()
        self.secondary.setMaxLength(7)
        self.secondary.setAccessibleName("Second colour")
        self.secondary_pick = QPushButton("Choose…")
        self.secondary_pick.setAccessibleName("Choose the second colour")
        self.logo = _ImageChoice("logo")
        self.signature = _ImageChoice("signature")
        self.signature_name = QLineEdit()
        self.signature_name.setMaxLength(200)
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.save = QPushButton("&Save design")
        self.save.setAccessibleName("Save design")
        self.save.clicked.connect(self._on_save_clicked)
        self.problem = error_label()

        self.preview = QLabel("Preview")
        self.preview.setAccessibleName("Certificate preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(420, 300)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # fits at large text
        form.addRow(buddy("&Wording after the name", self.wording), self.wording)
        for label, field, pick in (
            ("Main &colour", self.accent, self.accent_pick),
            ("Second c&olour", self.secondary, self.secondary_pick),
        ):
            row = QHBoxLayout()
            row.addWidget(field)
            row.addWidget(pick)
            row.addStretch(1)
            form.addRow(buddy(label, field), row)
        form.addRow("Logo", self.logo)
        form.addRow("Signature image", self.signature)
        form.addRow(buddy("Signed &by", self.signature_name), self.signature_name)
        form.addRow(buddy("&Paper size", self.paper), self.paper)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.problem)
        left.addStretch(1)
        # Side by side where there is room; the preview goes under the form when the window is
        # narrow or the text large, rather than off to the right behind a scroll bar.
        self._form_column = left
        self._columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._columns.addLayout(left, 2)
        self._columns.addWidget(self.preview, 3)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.wording.textChanged.connect(self._on_form_changed)
        for line in (self.accent, self.secondary, self.signature_name):
            line.textChanged.connect(self._on_form_changed)
        self.paper.currentTextChanged.connect(self._on_form_changed)
        self.logo.changed.connect(self._on_form_changed)
        self.signature.changed.connect(self._on_form_changed)
        self.accent_pick.clicked.connect(lambda: self._pick_colour(self.accent))
        self.secondary_pick.clicked.connect(lambda: self._pick_colour(self.secondary))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        parent = self.parentWidget()  # the scroll area's viewport: the room there really is
        room = parent.width() if parent is not None else self.width()
        margins = self._columns.contentsMargins()
        needed = (
            self._form_column.minimumSize().width() + self.preview.minimumWidth()
            + self._columns.spacing() + margins.left() + margins.right()
        )  # fmt: skip
        direction = (
            QBoxLayout.Direction.LeftToRight if room >= needed else QBoxLayout.Direction.TopToBottom
        )
        if self._columns.direction() != direction:
            self._columns.setDirection(direction)

    @property
    def side_by_side(self) -> bool:
        return self._columns.direction() == QBoxLayout.Direction.LeftToRight

    def refresh(self) -> None:
        if self.unsaved:
            return
        try:
            design = certificates.get_design(self._store)
        except UserError:
            return
        self._loading = True
        self._organisation = design.organisation
        self.wording.setPlainText(design.wording)
        self.accent.setText(design.accent)
        self.secondary.setText(design.secondary)
        self.logo.set_data(design.logo_png)
        self.signature.set_data(design.signature_png)
        self.signature_name.setText(design.signature_name)
        self.paper.setCurrentText(design.paper_size)
        self.problem.clear()
        self._loading = False
        self._timer.start()

    def design(self) -> CertificateDesign:
        return CertificateDesign(
            organisation=self._organisation,
            wording=self.wording.toPlainText(),
            accent=self.accent.text().strip(),
            secondary=self.secondary.text().strip(),
            logo_png=self.logo.data,
            signature_png=self.signature.data,
            signature_name=self.signature_name.text(),
            paper_size=self.paper.currentText(),
        )

    def _pick_colour(self, field: QLineEdit) -> None:
        chosen = QColorDialog.getColor(QColor(field.text()), self, "Choose a colour")
        if chosen.isValid():
            field.setText(chosen.name().upper())

    def _on_form_changed(self, *_args: object) -> None:
        if not self._loading:
            self.unsaved = True
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        if self._runner is not None:
            self._stale = True
            return
        design = self.design()
        self._runner = Job(lambda _progress: _render_preview(design))
        self._runner.signals.succeeded.connect(self._on_preview_rendered)
        # Even a failed render reports back, or the preview would never update again.
        self._runner.signals.failed.connect(lambda _message: self._on_preview_rendered(b""))
        self._runner.start()

    def _on_preview_rendered(self, png: bytes) -> None:
        self._runner = None
        if png:
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            self.preview.setPixmap(
                pixmap.scaled(
                    self.preview.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            self.preview.setAccessibleDescription(
                "A sample certificate for Zoë Ó Briain in this design"
            )
        if self._stale:
            self._stale = False
            self._timer.start()
        self.preview_updated.emit()

    def _on_save_clicked(self) -> None:
        try:
            certificates.save_design(self._store, self.design())
        except UserError as exc:
            self.problem.setText(str(exc))
            return
        self.problem.clear()
        self.unsaved = False
        self.status_changed.emit("Certificate design saved.")
