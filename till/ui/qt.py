"""The one place the till imports Qt (so a Qt upgrade or binding swap touches one file)."""

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QAbstractItemView", "QApplication", "QComboBox", "QEvent", "QFont", "QFormLayout", "QGridLayout", "QHBoxLayout",
    "QHeaderView", "QKeyEvent", "QLabel", "QLineEdit", "QListWidget", "QMainWindow", "QObject", "QPlainTextEdit",
    "QPushButton", "QStackedWidget", "QTableWidget", "QTableWidgetItem", "QTimer", "QVBoxLayout",
    "QWidget", "Qt", "Signal",
]
