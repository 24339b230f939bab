"""Browser checks of the built book (pytest -m browser)."""
