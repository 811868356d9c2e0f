# Typed stubs for the parts of pytest-qt that it leaves untyped (qtbot.pyi, modeltest.pyi);
# its other modules are typed by the library and read from it.
