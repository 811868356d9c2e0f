"""Certificate design: wording, colours, logo, signature, paper size, with a live preview.

Saved as it is changed, like every other form: a moment after the last change, when a field
is left, and when the tab, the section or the window is left.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QColorDialog,
    QComboBox,
    QFileDialog,
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
from amie_desktop.ui.widgets.forms import buddy, error_label, form_layout

PREVIEW_DELAY_MS = 250
SAVE_DELAY_MS = 1000  # after the last change: a pause in typing, not every letter


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
        # Edits not yet saved (a colour half typed, say) stay in the form until they can be.
        self.unsaved = False
        self._saved: CertificateDesign | None = None  # as this form last read or saved it

        self.wording = QPlainTextEdit()
        self.wording.setTabChangesFocus(True)
        self.wording.installEventFilter(self)
        self._fit_wording()
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
        # Read with its label: "Signed by: the workshop's facilitators".
        self.signature_name.setPlaceholderText("the workshop's facilitators")
        self.signature_name.setToolTip(
            "Leave this empty and each workshop's own facilitators sign its certificates"
        )
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.saved_note = QLabel("Changes are saved as you make them.")
        self.saved_note.setProperty("role", "muted")
        self.saved_note.setWordWrap(True)
        self.saved_note.setAccessibleName("Saving")
        self.problem = error_label()

        self.preview = QLabel("Preview")
        self.preview.setAccessibleName("Certificate preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(420, 300)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._preview_picture = QPixmap()  # full size; shown scaled to the room there is
        self.preview.installEventFilter(self)

        form = form_layout()
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
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.saved_note)
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
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_now)
        self.wording.textChanged.connect(self._on_form_changed)
        for line in (self.accent, self.secondary, self.signature_name):
            line.textChanged.connect(self._on_form_changed)
            line.editingFinished.connect(self.save_now)  # a field left, or Enter pressed
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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.preview and event.type() == QEvent.Type.Resize:
            self._show_preview()  # larger text or a narrower window moved it
        elif watched is self.wording and event.type() == QEvent.Type.FontChange:
            self._fit_wording()
        return super().eventFilter(watched, event)

    def _fit_wording(self) -> None:
        # Three lines of the wording show at any text size, not a slit of the first two.
        self.wording.setFixedHeight(self.wording.fontMetrics().lineSpacing() * 3 + 16)

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
        if design == self._saved:
            return  # this form's own save coming back: the form already shows it
        self._saved = design
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
            self._save_timer.start()
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
            self._preview_picture.loadFromData(png, "PNG")
            self._show_preview()
            self.preview.setAccessibleDescription(
                "A sample certificate for Zoë Ó Briain in this design"
            )
        if self._stale:
            self._stale = False
            self._timer.start()
        self.preview_updated.emit()

    def _show_preview(self) -> None:
        """The preview scaled to the room it has now (the layout changes with text size)."""
        if self._preview_picture.isNull():
            return
        self.preview.setPixmap(
            self._preview_picture.scaled(
                self.preview.contentsRect().size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def save_now(self) -> bool:
        """Save what the form holds, if it changed; False (and the problem shown, the edits
        kept in the form) when it cannot be saved as it stands."""
        self._save_timer.stop()
        if not self.unsaved:
            return True
        try:
            self._saved = certificates.save_design(self._store, self.design())
        except UserError as exc:
            self.problem.setText(f"{exc} Not saved yet.")
            self.saved_note.setText("")
            return False
        self.problem.clear()
        self.unsaved = False
        self.saved_note.setText("Saved. Changes are saved as you make them.")
        return True

    def unsaved_work(self) -> str | None:
        """What closing the app now would lose: a change that cannot be saved as it stands."""
        if self.save_now():
            return None
        return (
            "A change to the certificate design cannot be saved as it stands, so closing now "
            f"would lose it: {self.problem.text().removesuffix(' Not saved yet.')}"
        )

    def hideEvent(self, event: QHideEvent) -> None:
        # Leaving the tab, the section or the window keeps what was changed.
        self.save_now()
        super().hideEvent(event)
