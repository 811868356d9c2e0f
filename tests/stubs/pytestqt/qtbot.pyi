# pytest-qt 4.5's QtBot with its QTest helpers typed: the library declares them
# `keyClick(*args, **kwargs)`, so every key press in the tests went unchecked. The signatures
# follow PySide6's QTest (a key is a Qt.Key, its code, or one character, as QTest accepts).
# The other pytestqt modules are typed by the library itself and are read from it.

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Literal

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeySequence, QWindow
from PySide6.QtWidgets import QWidget
from pytestqt.exceptions import CapturedExceptions
from pytestqt.wait_signal import CallbackBlocker, CheckParamsCb, MultiSignalBlocker, SignalBlocker

_Signal = Signal | SignalInstance
_Target = QWidget | QWindow
_Key = Qt.Key | int | str

class _WaitWidgetContextManager(AbstractContextManager["_WaitWidgetContextManager"]):
    def __exit__(self, *exc_info: object) -> None: ...

class QtBot:
    def __init__(self, request: pytest.FixtureRequest) -> None: ...
    def addWidget(
        self, widget: QWidget, *, before_close_func: Callable[[QWidget], None] | None = None
    ) -> None: ...
    def waitActive(self, widget: QWidget, *, timeout: int = 5000) -> _WaitWidgetContextManager: ...
    def waitExposed(self, widget: QWidget, *, timeout: int = 5000) -> _WaitWidgetContextManager: ...
    def waitForWindowShown(self, widget: QWidget) -> bool: ...
    def stop(self) -> None: ...
    def waitSignal(
        self,
        signal: _Signal,
        *,
        timeout: int = 5000,
        raising: bool | None = None,
        check_params_cb: CheckParamsCb | None = None,
    ) -> SignalBlocker: ...
    def waitSignals(
        self,
        signals: list[_Signal],
        *,
        timeout: int = 5000,
        raising: bool | None = None,
        check_params_cbs: list[CheckParamsCb] | None = None,
        order: Literal["none", "simple", "strict"] = "none",
    ) -> MultiSignalBlocker: ...
    def wait(self, ms: int) -> None: ...
    def assertNotEmitted(
        self, signal: _Signal, *, wait: int = 0
    ) -> AbstractContextManager[None]: ...
    def waitUntil(self, callback: Callable[[], bool | None], *, timeout: int = 5000) -> None: ...
    def waitCallback(
        self, *, timeout: int = 5000, raising: bool | None = None
    ) -> CallbackBlocker: ...
    def captureExceptions(self) -> AbstractContextManager[CapturedExceptions]: ...
    def screenshot(
        self, widget: QWidget, suffix: str = "", region: QRect | None = None
    ) -> Path: ...
    @staticmethod
    def keyClick(
        widget: _Target, key: _Key, modifier: Qt.KeyboardModifier = ..., delay: int = -1
    ) -> None: ...
    @staticmethod
    def keyClicks(
        widget: QWidget, sequence: str, modifier: Qt.KeyboardModifier = ..., delay: int = -1
    ) -> None: ...
    @staticmethod
    def keyEvent(
        action: object,
        widget: _Target,
        key: _Key,
        modifier: Qt.KeyboardModifier = ...,
        delay: int = -1,
    ) -> None: ...
    @staticmethod
    def keyPress(
        widget: _Target, key: _Key, modifier: Qt.KeyboardModifier = ..., delay: int = -1
    ) -> None: ...
    @staticmethod
    def keyRelease(
        widget: _Target, key: _Key, modifier: Qt.KeyboardModifier = ..., delay: int = -1
    ) -> None: ...
    @staticmethod
    def keySequence(widget: _Target, key_sequence: QKeySequence | str) -> None: ...
    @staticmethod
    def mouseClick(
        widget: _Target,
        button: Qt.MouseButton,
        modifier: Qt.KeyboardModifier = ...,
        pos: QPoint = ...,
        delay: int = -1,
    ) -> None: ...
    @staticmethod
    def mouseDClick(
        widget: _Target,
        button: Qt.MouseButton,
        modifier: Qt.KeyboardModifier = ...,
        pos: QPoint = ...,
        delay: int = -1,
    ) -> None: ...
    @staticmethod
    def mouseMove(widget: _Target, pos: QPoint = ..., delay: int = -1) -> None: ...
    @staticmethod
    def mousePress(
        widget: _Target,
        button: Qt.MouseButton,
        modifier: Qt.KeyboardModifier = ...,
        pos: QPoint = ...,
        delay: int = -1,
    ) -> None: ...
    @staticmethod
    def mouseRelease(
        widget: _Target,
        button: Qt.MouseButton,
        modifier: Qt.KeyboardModifier = ...,
        pos: QPoint = ...,
        delay: int = -1,
    ) -> None: ...
