"""An imitation of the official classification an office holds: 《2024年政府收支分类科目》 as the
finance bureaus pass it on in Excel, and the CSV Excel on Chinese Windows saves (GBK).

The content is the packaged catalogue (data/catalogue/, partial, with provenance) plus the codes the
example departments name themselves (their function_names and line names, written out below), so
that after an import every code of the examples is named by the repository's catalogue. The layout
is the one of the official sheets (made here with openpyxl, not by the code under test):

- 一般公共预算支出功能分类科目: a title row merged across, a two-row header (科目编码 merged over
  类 | 款 | 项; 科目名称 and 说明 merged down), the 类 cell merged down over its rows, the 款 and 项
  as text "01", names indented with full-width spaces, a 说明 column, a note at the end;
- 政府性基金预算支出功能分类科目: full codes typed as numbers, 科目名称 and a 级次 column (类/款/项);
- 国有资本经营预算支出功能分类科目: segments typed as numbers shown as 01 (number format "00");
- 部门预算支出经济分类科目: 科目编码 over 类 | 款, the 类 merged down;
- 政府预算支出经济分类科目 (501 …): a classification a 部门预算 does not publish;
- 说明: a cover sheet without a table.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment

from generator.resources import CATALOGUE_DIR

# Codes the example departments name themselves (data/*/*/department.yaml function_names, and
# names on their lines): the catalogue the office holds has them.
EXAMPLE_CODES = {
    "20707": "旅游发展基金支出", "2070701": "宣传促销",
    "20810": "社会福利", "2081002": "老年福利",
    "223": "国有资本经营预算支出", "22301": "解决历史遗留问题及改革成本支出",
    "2230105": "国有企业退休人员社会化管理补助支出",
}
# 政府性基金预算 and 国有资本经营预算 subjects: their own sheets in the official file.
FUND_SHEET = ("20707", "21208")
CAPITAL_SHEET = ("223",)
GOVERNMENT_ECONOMIC = [("501", "机关工资福利支出"), ("50101", "工资奖金津补贴"), ("50102", "社会保障缴费"),
                       ("502", "机关商品和服务支出"), ("50201", "办公经费")]
FULL_WIDTH = "\u3000"


def _packaged(name: str) -> dict[str, str]:
    with open(CATALOGUE_DIR / name, encoding="utf-8", newline="") as f:
        return {r["code"]: r["name"] for r in csv.DictReader(f)}


def function_codes() -> dict[str, str]:
    codes = _packaged("function-classification.csv")
    with open(CATALOGUE_DIR / "expenditure-classes.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["code"]:
                codes.setdefault(r["code"], r["name"])
    codes.update(EXAMPLE_CODES)
    return dict(sorted(codes.items()))


def economic_codes() -> dict[str, str]:
    return dict(sorted(_packaged("economic-classification.csv").items()))


def _split(codes: dict[str, str]) -> tuple[dict, dict, dict]:
    general, fund, capital = {}, {}, {}
    for code, name in codes.items():
        if code.startswith(CAPITAL_SHEET):
            capital[code] = name
        elif code.startswith(FUND_SHEET):
            fund[code] = name
        else:
            general[code] = name
    for part in (fund, capital):  # each sheet lists the 类 of its 款, as the official one does
        for code in list(part):
            if len(code) > 3 and code[:3] not in part:
                part[code[:3]] = codes[code[:3]]
    return general, dict(sorted(fund.items())), dict(sorted(capital.items()))


def _indent(code: str, name: str) -> str:
    return FULL_WIDTH * (len(code) - 3) + name


def _segment_sheet(ws, title: str, codes: dict[str, str], levels: int, numeric: bool) -> None:
    """科目编码 over 类 | 款 (| 项), the 类 merged down over its rows."""
    last = "E" if levels == 3 else "D"
    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([])
    ws.append(["科目编码", None, *([None] if levels == 3 else []), "科目名称", "说明"])
    ws.append(["类", "款", *(["项"] if levels == 3 else []), None, None])
    name_col, note_col = ("D", "E") if levels == 3 else ("C", "D")
    ws.merge_cells(f"A3:{'C' if levels == 3 else 'B'}3")
    ws.merge_cells(f"{name_col}3:{name_col}4")
    ws.merge_cells(f"{note_col}3:{note_col}4")
    first_of_class = None
    for code, name in codes.items():
        row = ws.max_row + 1
        segments = [code[:3], code[3:5], code[5:7]][:levels]
        cells = []
        for i, seg in enumerate(segments):
            if not seg or (i == 0 and len(code) > 3):
                cells.append(None)  # under the merged 类 cell
            elif numeric:
                cells.append(int(seg))
            else:
                cells.append(int(seg) if i == 0 else seg)  # 类 typed as a number, 款 and 项 as text
        note = "反映……方面的支出。" if len(code) == 5 else None
        ws.append([*cells, _indent(code, name), note])
        if numeric:
            for cell in ws[row][1:levels]:
                cell.number_format = "00"
        if len(code) == 3:
            if first_of_class and row - 1 > first_of_class:
                ws.merge_cells(f"A{first_of_class}:A{row - 1}")
            first_of_class = row
    if first_of_class and ws.max_row > first_of_class:
        ws.merge_cells(f"A{first_of_class}:A{ws.max_row}")
    ws.append([])
    ws.append(["注：本表为示例摘录，科目以财政部正式文件为准。"])


def _code_sheet(ws, title: str, codes: dict[str, str]) -> None:
    """Full codes typed as numbers, 科目名称 and a 级次 column."""
    ws.append([title])
    ws.merge_cells("A1:C1")
    ws.append(["科目编码", "科目名称", "级次"])
    for code, name in codes.items():
        ws.append([int(code), _indent(code, name), "类款项"[(len(code) - 3) // 2]])


def workbook(path: Path, functions: dict[str, str] | None = None, economics: dict[str, str] | None = None) -> Path:
    """The official-style workbook of 2024 at ``path`` (other codes where given)."""
    functions = function_codes() if functions is None else functions
    economics = economic_codes() if economics is None else economics
    general, fund, capital = _split(functions)
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "说明"
    cover.append(["2024年政府收支分类科目（摘录）"])
    cover.append(["本文件为测试用的仿制件：版式仿照财政部印发的科目表，内容取自 budgetpub 附带的分类目录。"])
    _segment_sheet(wb.create_sheet("一般公共预算支出功能分类科目"), "2024年一般公共预算支出功能分类科目", general, 3, False)
    _code_sheet(wb.create_sheet("政府性基金预算支出功能分类科目"), "2024年政府性基金预算支出功能分类科目", fund)
    _segment_sheet(wb.create_sheet("国有资本经营预算支出功能分类科目"), "2024年国有资本经营预算支出功能分类科目",
                   capital, 3, True)
    _segment_sheet(wb.create_sheet("部门预算支出经济分类科目"), "2024年部门预算支出经济分类科目", economics, 2, False)
    _segment_sheet(wb.create_sheet("政府预算支出经济分类科目"), "2024年政府预算支出经济分类科目",
                   dict(GOVERNMENT_ECONOMIC), 2, False)
    wb.save(path)
    shared_strings(path)
    return path


def shared_strings(path: Path) -> None:
    """Texts moved into a shared-strings part, as Excel saves them (openpyxl writes them inline)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    strings: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        text = match.group(2)
        return f'<c r="{match.group(1)}" t="s"><v>{strings.setdefault(text, len(strings))}</v></c>'

    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        xml = parts[name].decode()
        inline = r'<c r="([A-Z]+[0-9]+)"(?: s="[0-9]+")? t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>'
        xml = re.sub(inline, shared, xml)
        parts[name] = xml.encode()
    items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>').encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>')).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sharedStrings+xml"/></Types>')).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def economic_csv_text(codes: dict[str, str] | None = None, title: str = "2024年部门预算支出经济分类科目") -> str:
    """The economic sheet as Excel saves it as “CSV（逗号分隔）”: the merged title a cell followed by
    empty ones, the merged 类 cells empty below their first row."""
    codes = economic_codes() if codes is None else codes
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title, "", "", ""])
    writer.writerow(["科目编码", "", "科目名称", "说明"])
    writer.writerow(["类", "款", "", ""])
    for code, name in codes.items():
        writer.writerow([code if len(code) == 3 else "", code[3:5], _indent(code, name), ""])
    return buffer.getvalue()


def economic_csv(path: Path, codes: dict[str, str] | None = None, encoding: str = "gbk", **kw) -> Path:
    path.write_bytes(economic_csv_text(codes, **kw).encode(encoding))
    return path
