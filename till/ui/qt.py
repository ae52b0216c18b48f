"""The one place the till imports Qt (so a Qt upgrade or binding swap touches one file)."""

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QAbstractItemView", "QApplication", "QEvent", "QFont", "QHBoxLayout", "QHeaderView",
    "QKeyEvent", "QLabel", "QLineEdit", "QMainWindow", "QObject", "QPushButton", "QTableWidget",
    "QTableWidgetItem", "QTimer", "QVBoxLayout", "QWidget", "Qt",
]
