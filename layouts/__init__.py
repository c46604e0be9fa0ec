"""Functions that return component trees. No callbacks and no database here: callbacks fill
them. Words come from ``dashboard.strings`` (a leaf module of plain data) and ids from ``ids``."""
