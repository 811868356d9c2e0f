# pytest-qt 4.5's ModelTester, typed where the tests call it.

import pytest
from PySide6.QtCore import QAbstractItemModel

class ModelTester:
    data_display_may_return_none: bool
    def __init__(self, config: pytest.Config) -> None: ...
    def check(self, model: QAbstractItemModel, force_py: bool = False) -> None: ...
