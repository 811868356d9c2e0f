"""The app's built-in content: HEARD templates, reflection questions, fonts and icons."""
