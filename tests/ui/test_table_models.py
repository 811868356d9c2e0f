"""Every list model in the app keeps Qt's model contract (pytest-qt's model tester)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractProxyModel
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from amie_desktop.store import Store
from amie_desktop.ui.main_window import MainWindow, window_settings
from amie_desktop.ui.widgets.table_model import RowsTableModel


def test_every_rows_model_on_every_section_passes_the_model_tester(
    qtbot: QtBot, demo_store: Store, qtmodeltester: ModelTester
) -> None:
    window = MainWindow(demo_store, window_settings(demo_store.data_dir))
    qtbot.addWidget(window)
    tested: set[str] = set()
    for row in range(len(window.sections)):
        window.show_section(row)
        page = window.current_page()
        if page is window.workshops_page:
            window.workshops_page.open_workshop()  # its agenda and register: built when opened
        for view in page.findChildren(QAbstractItemView):
            model = view.model()
            while isinstance(model, QAbstractProxyModel):
                model = model.sourceModel()
            if isinstance(model, RowsTableModel) and type(model).__name__ not in tested:
                qtmodeltester.check(model, force_py=True)
                tested.add(type(model).__name__)
    # The workshop list, its agenda and register, and the Data tab's tables.
    assert {"WorkshopTableModel", "AgendaModel", "RegisterModel", "TextTableModel"} <= tested
    assert window.workshops_page.model.rowCount() > 0
