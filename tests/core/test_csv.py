import csv
import io
from decimal import Decimal

import pytest

from core.csv import BOM, csv_response, csv_stream, escape_cell


def read(chunks) -> list[list[str]]:
    """Decode like a spreadsheet would: the BOM (if any) is not part of the first cell."""
    text = b"".join(chunks).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("dangerous", [
    '=HYPERLINK("http://evil","x")', "=1+1", "+1", "-2", "@SUM(A1:A2)", "\tTAB", "\r=1+1",
])
def test_formula_cells_get_an_apostrophe(dangerous):
    assert escape_cell(dangerous) == "'" + dangerous
    [_header, row] = read(csv_stream(header=["cell"], rows=[[dangerous]]))
    assert row == ["'" + dangerous]


@pytest.mark.parametrize("harmless", ["plain", "a=b", "1+1", " =not at start", "", "'quoted"])
def test_harmless_text_is_untouched(harmless):
    assert escape_cell(harmless) == harmless


def test_numbers_and_none():
    assert escape_cell(-2) == -2
    assert escape_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert escape_cell(None) == ""
    assert escape_cell(True) == "True"
    [_header, row] = read(csv_stream(header=["a", "b", "c"], rows=[[-2, 3.5, None]]))
    assert row == ["-2", "3.5", ""]


def test_escape_columns_checks_only_those_columns():
    rows = [["=title", "-2", 5, None, "@me"], ["plain", "+1", -3, "x", "=x"]]
    [_header, *out] = read(csv_stream(header=list("abcde"), rows=rows, escape_columns=[0, 3, 4]))
    assert out == [["'=title", "-2", "5", "", "'@me"], ["plain", "+1", "-3", "x", "'=x"]]


def test_header_is_escaped_too():
    [header] = read(csv_stream(header=["=cmd", "ok"], rows=[]))
    assert header == ["'=cmd", "ok"]


def test_round_trip_with_commas_quotes_newlines_and_chinese():
    rows = [
        [1, 'He said "hi", then left', "line one\nline two\r\nline three"],
        [2, "提现到账太慢，希望改进", "，。、“引号”"],
        [3, "", "trailing,comma,"],
    ]
    assert read(csv_stream(header=["id", "title", "body"], rows=rows)) == [
        ["id", "title", "body"], *[[str(cell) for cell in row] for row in rows]]


def test_bom_by_default_and_optional():
    with_bom = b"".join(csv_stream(header=["标题"], rows=[["中文"]]))
    assert with_bom.startswith(BOM.encode())
    assert with_bom.decode("utf-8-sig") == "标题\r\n中文\r\n"
    without = b"".join(csv_stream(header=["标题"], rows=[["中文"]], bom=False))
    assert without == "标题\r\n中文\r\n".encode()


def test_streams_in_chunks_of_rows_and_reads_lazily():
    consumed = []

    def rows():
        for number in range(25):
            consumed.append(number)
            yield [number]

    stream = csv_stream(header=["n"], rows=rows(), rows_per_chunk=10)
    assert next(stream) == (BOM + "n\r\n").encode()
    assert consumed == []  # the header went out before any row was read
    chunks = list(stream)
    assert len(chunks) == 3
    assert chunks[0] == "".join(f"{n}\r\n" for n in range(10)).encode()
    assert consumed == list(range(25))


def test_csv_response_is_a_streamed_attachment():
    response = csv_response(filename="report-20250101.csv", header=["a"], rows=[["=1"]])
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="report-20250101.csv"'
    assert read(response.streaming_content) == [["a"], ["'=1"]]
