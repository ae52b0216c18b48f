"""Qt views (thin) and their presenters (no widgets). Qt is imported only through `ui.qt`."""
