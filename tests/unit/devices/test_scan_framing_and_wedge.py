import pytest

from till.devices import KeyboardWedgeDetector, ScanFramer

pytestmark = pytest.mark.timeout(10)


def test_partial_reads_are_joined_and_several_codes_in_one_read_all_come_out():
    framer = ScanFramer(b"\r")
    assert framer.feed(b"40063813") == []
    assert framer.feed(b"33931\r96385074\r0360") == ["4006381333931", "96385074"]
    assert framer.feed(b"00291452\r") == ["036000291452"]


def test_prefix_suffix_and_crlf_are_stripped_and_empty_frames_dropped():
    framer = ScanFramer(b"\r", prefix="#", suffix="!")
    assert framer.feed(b"#4006381333931!\r\n\r#96385074!\r") == ["4006381333931", "96385074"]


def test_a_stream_without_terminators_does_not_grow_forever():
    framer = ScanFramer(b"\r")
    framer.feed(b"1" * 5000)
    assert framer.feed(b"123\r") == ["123"]


def keys(text, start=0.0, gap=10.0):
    return [(ch, start + i * gap) for i, ch in enumerate(text)]


def run(detector, events):
    typed, scans = "", []
    for ch, t in events:
        out = detector.feed(ch, t)
        typed += out.typed
        if out.scan:
            scans.append(out.scan)
    return typed, scans


def test_a_fast_burst_ending_in_enter_is_a_scan_and_nothing_is_typed():
    typed, scans = run(KeyboardWedgeDetector(), keys("4006381333931\r", gap=8))
    assert (typed, scans) == ("", ["4006381333931"])


def test_a_person_typing_digits_and_enter_is_typing():
    trace = [(c, t) for c, t in zip("4006381\r", [0, 140, 260, 410, 520, 700, 820, 990],
                                    strict=True)]
    detector = KeyboardWedgeDetector()
    typed, scans = run(detector, trace)
    assert scans == [] and typed + detector.tick(2000).typed == "4006381\r"


def test_a_fast_typist_bursting_a_short_word_is_not_a_scan():
    # "the" rolled at 20 ms then Enter: fast, but too short to be a barcode
    typed, scans = run(KeyboardWedgeDetector(), keys("the\r", gap=20))
    assert (typed, scans) == ("the\r", [])


def test_one_slow_gap_inside_a_burst_makes_it_typing():
    trace = keys("400638", gap=5) + [("1", 5 * 5 + 200), ("\r", 5 * 5 + 205)]
    typed, scans = run(KeyboardWedgeDetector(), trace)
    assert scans == [] and typed == "4006381\r"


def test_held_keys_are_released_by_tick_once_no_key_follows():
    detector = KeyboardWedgeDetector()
    assert detector.feed("a", 0).typed == ""
    assert detector.tick(30).typed == ""
    assert detector.tick(51).typed == "a" and not detector.holding


def test_typing_before_a_scan_reaches_the_widget_and_the_scan_does_not():
    events = [("x", 0.0)] + keys("96385074\t", start=500, gap=6)
    typed, scans = run(KeyboardWedgeDetector(terminator="\t"), events)
    assert (typed, scans) == ("x", ["96385074"])


def test_tab_is_ordinary_typing_when_enter_is_the_terminator():
    typed, scans = run(KeyboardWedgeDetector(), keys("96385074\t", gap=6))
    assert (typed, scans) == ("96385074\t", [])
