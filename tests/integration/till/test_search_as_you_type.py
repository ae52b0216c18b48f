"""Search-as-you-type in the real window: typed words list matching items under the scan field;
Down + Enter (or a touch) sells the chosen one; a scanned or typed code still scans as before."""

from __future__ import annotations

import pytest

from tests.fixtures.till import BREAD, COFFEE, MILK
from till.ui.main_window import MainWindow
from till.ui.qt import Qt
from till.ui.search_presenter import is_code

from .test_sale_window import scan, table


@pytest.fixture
def window(till, qtbot) -> MainWindow:  # noqa: ANN001
    win = MainWindow(till.presenter_factory(), lambda: {"online": True, "pending": 0,
                                                        "last_sync": None, "last_error": None})
    qtbot.addWidget(win)
    win.resize(1024, 768)
    win.show()
    qtbot.waitExposed(win)
    win.scan_input.setFocus()
    return win


def results(win: MainWindow) -> list[str]:
    listed = win.search_results
    return [listed.item(i).text() for i in range(listed.count())] if listed.isVisible() else []


def test_typing_words_lists_matches_and_down_enter_sells_the_chosen_one(window, qtbot):
    window.scan_input.setText("whi br")  # a person typing (a scanner's burst never lands here)

    assert results(window) == ["White bread · BREAD-WHITE · €2.49"]
    qtbot.keyClick(window.scan_input, Qt.Key_Down)
    assert window.search_results.currentRow() == 0
    qtbot.keyClick(window.scan_input, Qt.Key_Return)

    assert table(window) == [("White bread", "1", "€2.49", "€2.49")]
    assert window.scan_input.text() == "" and results(window) == []


def test_a_touch_on_a_result_sells_it(window, qtbot):
    window.scan_input.setText("coff")
    item = window.search_results.item(0)
    rect = window.search_results.visualItemRect(item)
    qtbot.mouseClick(window.search_results.viewport(), Qt.LeftButton, pos=rect.center())
    assert table(window) == [("Coffee beans 500g", "1", "€8.99", "€8.99")]


def test_enter_with_nothing_chosen_scans_the_typed_code_as_before(window, qtbot):
    scan(qtbot, window, MILK["sku"])  # "MILK-1L" lists Milk too, but no result was chosen
    scan(qtbot, window, BREAD["barcodes"][0])
    assert [row[0] for row in table(window)] == ["Milk 1L", "White bread"]


def test_codes_and_single_letters_list_nothing_and_escape_clears(window, qtbot):
    for text in (BREAD["barcodes"][0], "3*" + COFFEE["sku"], "w"):
        window.scan_input.setText(text)
        assert results(window) == [], text
    window.scan_input.setText("milk")
    assert results(window) == ["Milk 1L · MILK-1L · €1.19"]
    qtbot.keyClick(window.scan_input, Qt.Key_Escape)
    assert results(window) == [] and table(window) == []


def test_up_and_down_move_in_the_basket_when_nothing_is_listed(window, qtbot):
    scan(qtbot, window, MILK["barcodes"][0])
    scan(qtbot, window, BREAD["barcodes"][0])
    qtbot.keyClick(window.scan_input, Qt.Key_Up)
    assert window.presenter.state.selected_line == 1


def test_what_counts_as_a_code():
    assert is_code("4006381333931") and is_code("3*MILK-1L") and not is_code("milk")
