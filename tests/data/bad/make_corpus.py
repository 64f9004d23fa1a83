"""Writes the hostile spreadsheets beside this script, which `tests/test_hostile_spreadsheets.py`
runs through every importer. Each file's name says what is hostile about it; README.md lists
them.

Run it from the project folder after changing it, and commit the files it writes:

    .venv/bin/python tests/data/bad/make_corpus.py

The output is deterministic (fixed zip timestamps, seeded random bytes), so running it again
changes nothing; another zlib may compress a zip differently, but its members are the same.
Most workbooks are written by hand with `zipfile`, because the point is often something a
spreadsheet program would never write: a sheet that declares a million rows, a zip member that
unpacks to 201 MB, a cell holding a formula with no saved value, XML entities.
"""

from __future__ import annotations

import codecs
import csv
import io
import random
import struct
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
STAMP = (2024, 1, 1, 0, 0, 0)  # every zip member's timestamp, so the files never change
MAX_EXCEL_ROW = 1_048_576
MIB = 1024 * 1024

# The four templates' header rows (DESIGN.md, "Spreadsheet templates").
SAVINGS = [
    "Ref",
    "Savings proposal",
    "SRO",
    "Group",
    "Target £'000",
    "Red £'000",
    "Amber £'000",
    "Green £'000",
    "Mitigations £'000",
    "Comments",
]
KPI_TARGETS = ["KPI", "Year", "Target", "Tolerance"]
KPI_RESULTS = ["KPI", "Year", "Period", "Value", "Numerator", "Denominator", "Commentary"]
RISKS = [
    "Risk No",
    "Category",
    "Date Raised",
    "Risk Owner",
    "Risk Type",
    "Risk Description",
    "Event",
    "Impact",
    "Initial Probability",
    "Initial Impact",
    "Initial Score",
    "Mitigating Action",
    "Current Position",
    "Current Probability",
    "Current Impact",
    "Current Score",
    "Further Management Actions",
    "Target Probability",
    "Target Impact",
    "Target Score",
    "Date Closed",
]

# Good rows in each layout, which the hostile files spoil one thing at a time.
SAVINGS_ROWS = [
    ["S1", "Review of Contracts", "A SRO", "NCT", 100, 0, 0, 100, 0, "On track"],
    ["S2", "Increase in In house Fostering", "A SRO", "NCT", 620, 620, 0, 0, 0, ""],
    ["", "TOTAL", "", "", 720, 620, 0, 100, 0, ""],
]
KPI_RESULT_ROWS = [
    ["KPI 1", "2024/25", 6, 68, None, None, "Steady"],
    ["KPI 2", "2024/25", 6, None, 29, 100, None],
    ["KPI 20", "2024/25", "Q2", 1, None, None, None],
]
KPI_TARGET_ROWS = [["KPI 1", "2024/25", 80, 5], ["KPI 2", "2024/25", 30, 2.5]]


def risk_row(ref: str = "CR 01", **changes: Any) -> list[Any]:
    """A risk in the register's layout; `changes` by column name, spaces as underscores."""
    row = {
        "Risk No": ref,
        "Category": "Corporate",
        "Date Raised": "01/04/2021",
        "Risk Owner": "Chief Executive",
        "Risk Type": "Long term sustainability",
        "Risk Description": "Stakeholder engagement with the two councils",
        "Event": "Poorly defined shared objectives",
        "Impact": "Performance targets are not met",
        "Initial Probability": 2,
        "Initial Impact": 5,
        "Initial Score": 10,
        "Mitigating Action": "A clear vision shared with partners",
        "Current Position": "Consultation with staff",
        "Current Probability": 2,
        "Current Impact": 4,
        "Current Score": 8,
        "Further Management Actions": "Keep under review",
        "Target Probability": 1,
        "Target Impact": 4,
        "Target Score": 4,
        "Date Closed": None,
    }
    for name, value in changes.items():
        row[name.replace("_", " ")] = value
    return [row[column] for column in RISKS]


# Workbooks written by hand


@dataclass(frozen=True)
class Formula:
    """A formula cell (`text` without the `=`), with the value Excel saved beside it, if any."""

    text: str
    saved: Any = None


@dataclass(frozen=True)
class Raw:
    """A cell written exactly: its `t` attribute and the text of its `<v>`."""

    type: str
    value: str


@dataclass
class Sheet:
    name: str
    rows: dict[int, list[Any]]  # row number → cells from column A
    state: str = "visible"
    dimension: str | None = "auto"  # "auto": the real extent; None: no <dimension> element
    merged: tuple[str, ...] = ()
    columns: dict[int, str] | None = None  # extra cells at a column number (e.g. 16384 = XFD)


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def excel_serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


def cell_xml(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        saved = ""
        kind = ""
        if isinstance(value.saved, str):
            kind, saved = ' t="str"', f"<v>{escape(value.saved)}</v>"
        elif value.saved is not None:
            saved = f"<v>{value.saved!r}</v>"
        return f'<c r="{ref}"{kind}><f>{escape(value.text)}</f>{saved}</c>'
    if isinstance(value, Raw):
        kind = "" if value.type == "n" else f' t="{value.type}"'
        return f'<c r="{ref}"{kind}><v>{escape(value.value)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, date):  # style 1 is the short-date format
        return f'<c r="{ref}" s="1"><v>{excel_serial(value)}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def sheet_xml(sheet: Sheet) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ]
    if sheet.dimension == "auto":
        width = max((len(cells) for cells in sheet.rows.values()), default=1)
        width = max([width, *(sheet.columns or {})])
        parts.append(f'<dimension ref="A1:{column_letter(width)}{max(sheet.rows, default=1)}"/>')
    elif sheet.dimension is not None:
        parts.append(f'<dimension ref="{sheet.dimension}"/>')
    parts.append("<sheetData>")
    for number in sorted(sheet.rows):
        cells = [
            cell_xml(f"{column_letter(index)}{number}", value)
            for index, value in enumerate(sheet.rows[number], 1)
        ]
        for index, value in (sheet.columns or {}).items():
            cells.append(cell_xml(f"{column_letter(index)}{number}", value))
        parts.append(f'<row r="{number}">{"".join(cells)}</row>')
    parts.append("</sheetData>")
    if sheet.merged:
        refs = "".join(f'<mergeCell ref="{ref}"/>' for ref in sheet.merged)
        parts.append(f'<mergeCells count="{len(sheet.merged)}">{refs}</mergeCells>')
    parts.append("</worksheet>")
    return "".join(parts)


STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook_members(sheets: list[Sheet]) -> dict[str, str]:
    """The parts of a minimal .xlsx holding `sheets` (written as `sheet_xml` writes them)."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        f'ContentType="{XLSX_TYPE}.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    sheet_entries = "".join(
        f"<sheet name={quoteattr(sheet.name)} sheetId={quoteattr(str(n))}"
        + (f' state="{sheet.state}"' if sheet.state != "visible" else "")
        + f' r:id="rId{n}"/>'
        for n, sheet in enumerate(sheets, 1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    members = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
            '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{XLSX_TYPE}.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>{sheet_entries}</sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{RELS}">{sheet_rels}<Relationship Id="rIdStyles" '
            f'Type="{DOC_RELS}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": STYLES,
    }
    for n, sheet in enumerate(sheets, 1):
        members[f"xl/worksheets/sheet{n}.xml"] = sheet_xml(sheet)
    return members


def zip_bytes(members: dict[str, str | bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


def workbook(*sheets: Sheet) -> bytes:
    return zip_bytes(dict(workbook_members(list(sheets))))


def table(header: list[str], rows: list[list[Any]], *, start: int = 1) -> dict[int, list[Any]]:
    return {number: cells for number, cells in enumerate([header, *rows], start)}


def one_sheet(header: list[str], rows: list[list[Any]], **options: Any) -> bytes:
    return workbook(Sheet(options.pop("name", "Return"), table(header, rows), **options))


# CSV


def csv_text(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


# Zips that are not what they say


def zip_bomb() -> bytes:
    """A workbook whose sheet unpacks to 201 MB of spaces (about 200 KB on disk): the importer
    must refuse it from the sizes in the zip's directory, before unpacking anything."""
    members = workbook_members([Sheet("Return", table(KPI_RESULTS, KPI_RESULT_ROWS[:1]))])
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        "</worksheet>", "<!--" + " " * (201 * MIB) + "--></worksheet>"
    )
    return zip_bytes(dict(members))


def zip_bomb_with_lying_sizes() -> bytes:
    """The same 201 MB sheet, but the zip's headers claim it unpacks to 1 KB. A reader that
    trusted the headers and unpacked anyway would fill memory; zipfile stops at the stated size
    and then finds the checksum wrong."""
    data = bytearray(zip_bomb())
    stated = 1024
    name = b"xl/worksheets/sheet1.xml"
    # Local file header: signature PK\3\4, then the uncompressed size at offset 22.
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + name_length] == name:
            struct.pack_into("<I", data, local + 22, stated)
        local = data.find(b"PK\x03\x04", local + 4)
    # Central directory entry: signature PK\1\2, uncompressed size at offset 24.
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == name:
            struct.pack_into("<I", data, central + 24, stated)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def shared_strings_bomb(*, size: int, method: int) -> bytes:
    """A workbook whose shared strings part, which a reader holds whole in memory, unpacks to
    `size` bytes (padding in an XML comment), compressed with `method`."""
    strings = (
        f'<?xml version="1.0"?>\n<sst xmlns="{MAIN}" count="1" uniqueCount="1">'
        f"<si><t>Steady</t></si><!--{' ' * size}--></sst>"
    )
    return shared_string_workbook(strings, method=method)


def sheet_bomb(size: int) -> bytes:
    """A workbook whose sheet unpacks to `size` bytes of spaces: under every size limit, but a
    thousand times its compressed size, as no real sheet is."""
    members = workbook_members([Sheet("Return", table(KPI_RESULTS, KPI_RESULT_ROWS[:1]))])
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        "</worksheet>", "<!--" + " " * size + "--></worksheet>"
    )
    return zip_bytes(dict(members))


def many_parts(count: int) -> bytes:
    """A good KPI results workbook with `count` extra empty parts."""
    members: dict[str, str | bytes] = dict(
        workbook_members([Sheet("Return", table(KPI_RESULTS, KPI_RESULT_ROWS))])
    )
    for number in range(count):
        members[f"customXml/item{number}.xml"] = ""
    return zip_bytes(members)


def zip_encrypted() -> bytes:
    """A good workbook whose zip entries are marked encrypted (ZIP's own password)."""
    data = bytearray(workbook(Sheet("Return", table(KPI_RESULTS, KPI_RESULT_ROWS))))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            flags = struct.unpack_from("<H", data, start + flag_offset)[0]
            struct.pack_into("<H", data, start + flag_offset, flags | 0x1)
            start = data.find(signature, start + 4)
    return bytes(data)


def ole_file(*streams: str) -> bytes:
    """The start of an OLE compound file (what Excel 97-2003 writes, and what Excel writes for
    an .xlsx encrypted with a password): its signature, then a directory naming `streams`."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = b"".join(
        name.encode("utf-16-le").ljust(64, b"\x00") + bytes(64) for name in ("Root Entry", *streams)
    )
    return header + directory.ljust(512, b"\x00")


def macro_enabled() -> bytes:
    """A KPI results workbook saved as macro-enabled: a VBA project and its content type."""
    members: dict[str, str | bytes] = dict(
        workbook_members([Sheet("Return", table(KPI_RESULTS, KPI_RESULT_ROWS))])
    )
    members["[Content_Types].xml"] = (
        str(members["[Content_Types].xml"])
        .replace(
            f"{XLSX_TYPE}.sheet.main+xml",
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
        .replace(
            "</Types>",
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )
    )
    members["xl/vbaProject.bin"] = ole_file("VBA", "PROJECT")
    return zip_bytes(members)


def with_member(data: bytes, name: str, content: str) -> bytes:
    """A copy of the workbook `data` with one member replaced."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members: dict[str, str | bytes] = {
            info.filename: archive.read(info) for info in archive.infolist()
        }
    members[name] = content
    return zip_bytes(members)


def shared_string_workbook(strings_xml: str, *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A KPI results workbook whose commentary cell is shared string 0, with `strings_xml` as
    the shared strings part."""
    members = workbook_members([Sheet("Return", table(KPI_RESULTS, KPI_RESULT_ROWS[:1]))])
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        '<c r="G2" t="inlineStr"><is><t xml:space="preserve">Steady</t></is></c>',
        '<c r="G2" t="s"><v>0</v></c>',
    )
    members["xl/sharedStrings.xml"] = strings_xml
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        "</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{XLSX_TYPE}'
        '.sharedStrings+xml"/></Types>',
    )
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>",
        f'<Relationship Id="rIdStrings" Type="{DOC_RELS}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
    )
    return zip_bytes(dict(members), method=method)


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE sst [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + f']>\n<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&secret;</t></si></sst>'
)

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)

LONG_TEXT = "x" * 100_000
# What XML allows in a cell: a right-to-left override, zero-width space, byte-order mark, and
# C1 control characters (next line, control sequence introducer).
INVISIBLE_IN_XML = ["KPI 1\u202e", "Steady\u202e ylraen\u200b\ufeff\x85\x9b"]
# What a CSV can hold besides: bell, escape, delete, vertical tab.
INVISIBLE_IN_CSV = ["KPI\u202e 2", "\x07Bell\x1b escape\x7f delete\x0b vertical tab\u2066"]


def files() -> dict[str, bytes]:
    """Every file of the corpus by name."""
    # Stored, not deflated, so that its first half is the same whatever zlib wrote it.
    good_results = zip_bytes(
        workbook_members([Sheet("Return", table(KPI_RESULTS, KPI_RESULT_ROWS))]),
        method=zipfile.ZIP_STORED,
    )
    found: dict[str, bytes] = {
        # Not a workbook at all
        "empty-file.xlsx": b"",
        "pdf-renamed.xlsx": MINIMAL_PDF,
        "random-bytes.xlsx": random.Random(20240101).randbytes(4096),
        "zip-not-a-workbook.xlsx": zip_bytes({"notes.txt": "Minutes of the meeting.\n"}),
        "truncated-workbook.xlsx": good_results[: len(good_results) // 2],
        "zip-bomb-201mb.xlsx": zip_bomb(),
        "zip-bomb-lying-sizes.xlsx": zip_bomb_with_lying_sizes(),
        "workbook-without-sheets.xlsx": workbook(),
        "zip-bomb-bzip2-shared-strings.xlsx": shared_strings_bomb(
            size=40 * MIB, method=zipfile.ZIP_BZIP2
        ),
        "zip-bomb-shared-strings-40mb.xlsx": shared_strings_bomb(
            size=40 * MIB, method=zipfile.ZIP_DEFLATED
        ),
        "zip-bomb-sheet-ratio.xlsx": sheet_bomb(20 * MIB),
        "zip-1200-parts.xlsx": many_parts(1200),
        "zip-password-protected.xlsx": zip_encrypted(),
        "password-protected.xlsx": ole_file("EncryptionInfo", "EncryptedPackage"),
        "excel-97-2003-renamed.xlsx": ole_file("Workbook", "SummaryInformation"),
        "kpi-results-macro-enabled.xlsx": macro_enabled(),
        "kpi-results-csv-named-xlsx.xlsx": csv_text([KPI_RESULTS, *KPI_RESULT_ROWS]).encode(),
        "xml-billion-laughs.xlsx": shared_string_workbook(BILLION_LAUGHS),
        "xml-external-entity.xlsx": shared_string_workbook(EXTERNAL_ENTITY),
        "sheet-xml-not-xml.xlsx": with_member(
            good_results, "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>"
        ),
        # Sheets
        "empty-sheet.xlsx": workbook(Sheet("Return", {})),
        "kpi-results-million-rows-declared.xlsx": workbook(
            Sheet(
                "Return",
                {
                    **table(KPI_RESULTS, KPI_RESULT_ROWS[:1]),
                    MAX_EXCEL_ROW: ["KPI 3", "2024/25", 6, 50],
                },
                dimension=f"A1:G{MAX_EXCEL_ROW}",
            )
        ),
        "kpi-results-million-rows-undeclared.xlsx": workbook(
            Sheet(
                "Return",
                {
                    **table(KPI_RESULTS, KPI_RESULT_ROWS[:1]),
                    MAX_EXCEL_ROW: ["KPI 3", "2024/25", 6, 50],
                },
                dimension=None,
            )
        ),
        "kpi-results-million-rows-understated.xlsx": workbook(
            Sheet(
                "Return",
                {
                    **table(KPI_RESULTS, KPI_RESULT_ROWS[:1]),
                    MAX_EXCEL_ROW: ["KPI 3", "2024/25", 6, 50],
                },
                dimension="A1:G2",
            )
        ),
        "kpi-results-cells-out-to-column-xfd.xlsx": workbook(
            Sheet("Return", table(KPI_RESULTS, KPI_RESULT_ROWS), columns={16384: "far away"})
        ),
        "kpi-results-hidden-first-sheet.xlsx": workbook(
            Sheet("Workings", table(KPI_RESULTS, [KPI_RESULT_ROWS[0]]), state="hidden"),
            Sheet("Return", table(KPI_RESULTS, KPI_RESULT_ROWS[1:])),
        ),
        "kpi-results-no-visible-sheet.xlsx": workbook(
            Sheet("Return", table(KPI_RESULTS, KPI_RESULT_ROWS), state="hidden"),
            Sheet("Notes", {1: ["Nothing to see"]}, state="veryHidden"),
        ),
        "kpi-results-sheet-named-with-markup.xlsx": one_sheet(
            KPI_RESULTS,
            [["KPI 1", "2024/25", 6, "lots", None, None, None]],
            name="<b onclick=alert(1)>x</b>",
        ),
        # Headers
        "kpi-results-header-only.xlsx": one_sheet(KPI_RESULTS, []),
        "kpi-results-title-above-header.xlsx": workbook(
            Sheet(
                "Return",
                {1: ["KPI results return, September 2024"], **table(KPI_RESULTS, [], start=3)},
            )
        ),
        "kpi-results-missing-period-column.xlsx": one_sheet(
            [column for column in KPI_RESULTS if column != "Period"],
            [[cell for index, cell in enumerate(row) if index != 2] for row in KPI_RESULT_ROWS],
        ),
        "kpi-results-value-column-twice.xlsx": one_sheet(
            [*KPI_RESULTS, "value "], [[*row, 70] for row in KPI_RESULT_ROWS]
        ),
        "kpi-results-merged-header.xlsx": workbook(
            Sheet(
                "Return",
                table(
                    ["KPI", "Year", "Period", "Value", None, "Denominator", "Commentary"],
                    KPI_RESULT_ROWS,
                ),
                merged=("D1:E1",),
            )
        ),
        # Cells
        "kpi-results-merged-cells.xlsx": workbook(
            Sheet(
                "Return",
                table(
                    KPI_RESULTS,
                    [
                        ["KPI 1", "2024/25", 6, 68, None, None, "One comment for both"],
                        [None, "2024/25", 7, 70, None, None, None],
                    ],
                ),
                merged=("A2:A3", "G2:G3"),
            )
        ),
        "savings-group-in-merged-cells.xlsx": workbook(
            Sheet(
                "Return",
                table(
                    SAVINGS,
                    [
                        ["S1", "Review of Contracts", "A SRO", "NCT", 100, 0, 0, 100, 0, ""],
                        ["S2", "Legal costs", "A SRO", None, 200, 0, 50, 150, 0, ""],
                        ["S3", "Additional Valuing care", "B SRO", "Valuing care", 300, 0, 0, 300],
                    ],
                ),
                merged=("D2:D3",),
            )
        ),
        "savings-formulas-with-saved-values.xlsx": one_sheet(
            SAVINGS,
            [
                SAVINGS_ROWS[0],
                SAVINGS_ROWS[1],
                [
                    "",
                    "TOTAL",
                    "",
                    "",
                    Formula("SUM(E2:E3)", 720),
                    Formula("SUM(F2:F3)", 620),
                    Formula("SUM(G2:G3)", 0),
                    Formula("SUM(H2:H3)", 100),
                    Formula("SUM(I2:I3)", 0),
                    "",
                ],
            ],
        ),
        "savings-formulas-without-saved-values.xlsx": one_sheet(
            SAVINGS,
            [
                ["S1", "Review of Contracts", "A SRO", "NCT", 100, 0, 0, Formula("E2-F2-G2"), 0],
            ],
        ),
        "kpi-results-row-of-formulas-without-saved-values.xlsx": one_sheet(
            KPI_RESULTS,
            [
                KPI_RESULT_ROWS[0],
                [Formula('"KPI "&2'), Formula('"2024/25"'), Formula("6"), Formula("29")],
            ],
        ),
        "risks-date-closed-formula-without-saved-value.xlsx": one_sheet(
            RISKS, [risk_row("CR 01", Date_Closed=Formula("TODAY()-30"))]
        ),
        "kpi-results-text-in-number-cells.xlsx": one_sheet(
            KPI_RESULTS,
            [
                ["KPI 1", "2024/25", 6, "sixty-eight", None, None, None],
                ["KPI 2", "2024/25", 6, None, "29 children", "1O0", None],
            ],
        ),
        "kpi-results-booleans.xlsx": one_sheet(
            KPI_RESULTS,
            [
                ["KPI 1", "2024/25", 6, True, None, None, None],
                ["KPI 2", "2024/25", False, 29, None, None, None],
            ],
        ),
        "kpi-results-dates-in-year-and-period.xlsx": one_sheet(
            KPI_RESULTS, [["KPI 1", date(2024, 4, 1), date(2024, 9, 30), 68, None, None, None]]
        ),
        "kpi-results-excel-error-values.xlsx": one_sheet(
            KPI_RESULTS,
            [
                ["KPI 1", "2024/25", 6, Raw("e", "#DIV/0!"), None, None, None],
                ["KPI 2", "2024/25", 6, Raw("e", "#N/A"), None, None, Raw("e", "#REF!")],
            ],
        ),
        "risks-dates-as-text.xlsx": one_sheet(
            RISKS,
            [
                risk_row("CR 01", Date_Raised="1st April 2021"),
                risk_row("CR 02", Date_Raised="2021-04-01"),
                risk_row("CR 03", Date_Raised="31/02/2024"),
            ],
        ),
        "risks-dates-as-unformatted-serial-numbers.xlsx": one_sheet(
            RISKS, [risk_row("CR 01", Date_Raised=excel_serial(date(2021, 4, 1)))]
        ),
        "risks-probability-as-text-and-out-of-range.xlsx": one_sheet(
            RISKS,
            [
                risk_row("CR 01", Initial_Probability="high"),
                risk_row("CR 02", Current_Impact=6, Current_Score=12),
                risk_row("CR 03", Target_Probability=1.5, Target_Score=6),
            ],
        ),
        "kpi-results-control-characters.xlsx": one_sheet(
            KPI_RESULTS,
            [[INVISIBLE_IN_XML[0], "2024/25", 6, 68, None, None, INVISIBLE_IN_XML[1]]],
        ),
        "kpi-results-control-characters.csv": csv_text(
            [KPI_RESULTS, [INVISIBLE_IN_CSV[0], "2024/25", 6, 29, None, None, INVISIBLE_IN_CSV[1]]]
        ).encode(),
        "kpi-results-nul-bytes.csv": csv_text(
            [KPI_RESULTS, ["KPI 1", "2024/25", 6, 68, None, None, "Steady\x00"]]
        ).encode(),
        "savings-100000-character-title.xlsx": one_sheet(
            SAVINGS, [["S1", LONG_TEXT, "A SRO", "NCT", 100, 0, 0, 100, 0, ""]]
        ),
        "kpi-results-100000-character-commentary.csv": csv_text(
            [KPI_RESULTS, ["KPI 1", "2024/25", 6, 68, None, None, LONG_TEXT]]
        ).encode(),
        "kpi-results-200000-character-cell.csv": csv_text(
            [KPI_RESULTS, ["KPI 1", "2024/25", 6, 68, None, None, "x" * 200_000]]
        ).encode(),
        "risks-100000-character-description.xlsx": one_sheet(
            RISKS, [risk_row("CR 01", Risk_Description=LONG_TEXT)]
        ),
        "risks-section-headings-only.xlsx": one_sheet(
            RISKS, [["Corporate Risk"], [None], ["Social Care Risk"]]
        ),
        "risks-100000-character-risk-number.xlsx": one_sheet(RISKS, [risk_row("CR" * 50_000)]),
        "kpi-results-blank-rows-between.xlsx": workbook(
            Sheet(
                "Return",
                {
                    1: KPI_RESULTS,
                    2: KPI_RESULT_ROWS[0],
                    3: [None] * 7,
                    4: ["", " ", None, "", None, None, "   "],
                    7: KPI_RESULT_ROWS[1],
                    40: KPI_RESULT_ROWS[2],
                },
            )
        ),
        "savings-negative-amounts.xlsx": one_sheet(
            SAVINGS, [["S1", "Review of Contracts", "A SRO", "NCT", -100, 0, 0, -100, 0, ""]]
        ),
        "kpi-results-negative-numbers.xlsx": one_sheet(
            KPI_RESULTS,
            [
                ["KPI 1", "2024/25", 6, -68, None, None, None],
                ["KPI 2", "2024/25", 6, None, -29, 100, None],
                ["KPI 20", "2024/25", "Q2", -1, None, None, None],
            ],
        ),
        "kpi-targets-negative-tolerance.xlsx": one_sheet(
            KPI_TARGETS, [["KPI 1", "2024/25", 80, -5]]
        ),
        "kpi-results-nan-and-infinity-as-text.xlsx": one_sheet(
            KPI_RESULTS,
            [
                ["KPI 1", "2024/25", 6, "NaN", None, None, None],
                ["KPI 2", "2024/25", 6, "inf", None, None, None],
                ["KPI 3", "2024/25", 6, "-Infinity", None, None, None],
                ["KPI 4", "2024/25", 6, None, "sNaN", 100, None],
            ],
        ),
        "kpi-results-nan-as-number.xlsx": one_sheet(
            KPI_RESULTS, [["KPI 1", "2024/25", 6, Raw("n", "NaN"), None, None, None]]
        ),
        "kpi-results-infinity-as-number.xlsx": one_sheet(
            KPI_RESULTS, [["KPI 1", "2024/25", 6, Raw("n", "1E+999"), None, None, None]]
        ),
        "kpi-results-huge-numbers.xlsx": one_sheet(
            KPI_RESULTS,
            [
                ["KPI 17", "2024/25", 6, 1e300, None, None, None],
                ["KPI 18", "2024/25", 6, "1e300", None, None, None],
                ["KPI 20", "2024/25", "Q2", 10**15, None, None, None],
                ["KPI 2", "2024/25", 6, None, 1e300, 1e300, None],
                ["KPI 17", "2024/25", 7, None, 999_999_999_999, 1, None],
            ],
        ),
        "kpi-targets-figures-as-text.xlsx": one_sheet(
            KPI_TARGETS,
            [
                [kpi, year, f" {target}% ", str(tolerance)]
                for kpi, year, target, tolerance in KPI_TARGET_ROWS
            ],
        ),
        "kpi-targets-huge-numbers.xlsx": one_sheet(
            KPI_TARGETS, [["KPI 18", "2024/25", 1e300, 1e300], ["KPI 20", "2024/25", 10**15, 0]]
        ),
        "savings-huge-numbers.xlsx": one_sheet(
            SAVINGS,
            [
                ["S1", "Review of Contracts", "A SRO", "NCT", 1e300, 0, 0, 1e300, 0, ""],
                ["S2", "Legal costs", "A SRO", "NCT", 10**12, 0, 0, 10**12, 0, ""],
            ],
        ),
        "savings-total-rows-only.xlsx": one_sheet(
            SAVINGS, [["", "TOTAL", "", "", 0, 0, 0, 0, 0, ""], ["", "TOTAL SAVINGS", "", "", 0]]
        ),
        # CSV
        "kpi-results-utf8-byte-order-mark.csv": codecs.BOM_UTF8
        + csv_text([KPI_RESULTS, *KPI_RESULT_ROWS]).encode(),
        "risks-utf8-byte-order-mark.csv": codecs.BOM_UTF8
        + csv_text(
            [RISKS, risk_row("CR 01"), risk_row("CR 02", Date_Closed="30/06/2023")]
        ).encode(),
        "kpi-results-windows-1252.csv": csv_text(
            [KPI_RESULTS, ["KPI 1", "2024/25", 6, 68, None, None, "Café costs £5 – agreed"]]
        ).encode("cp1252"),
        "kpi-results-utf-16.csv": csv_text([KPI_RESULTS, *KPI_RESULT_ROWS]).encode("utf-16"),
        "kpi-results-semicolon-separated.csv": csv_text([KPI_RESULTS, *KPI_RESULT_ROWS])
        .replace(",", ";")
        .encode(),
        "kpi-results-ragged-rows.csv": (
            b"KPI,Year,Period,Value,Numerator,Denominator,Commentary\r\n"
            b"KPI 1,2024/25,6\r\n"
            b"KPI 2,2024/25,6,29,,,Fine,extra,cells,beyond\r\n"
            b'KPI 3,2024/25,6,"50\r\n'
        ),
        "kpi-results-text-that-looks-like-formulas.csv": csv_text(
            [
                KPI_RESULTS,
                ["KPI 1", "2024/25", 6, 68, None, None, '=HYPERLINK("http://example.com","x")'],
                ["KPI 2", "2024/25", 6, 29, None, None, "@SUM(1+1)"],
            ]
        ).encode(),
    }
    return found


def main() -> None:
    for path in HERE.iterdir():
        if path.suffix in {".xlsx", ".csv"}:
            path.unlink()
    corpus = files()
    for name, data in sorted(corpus.items()):
        (HERE / name).write_bytes(data)
    total = sum(len(data) for data in corpus.values())
    print(f"Wrote {len(corpus)} files, {total:,} bytes, to {HERE}.")


if __name__ == "__main__":
    main()
