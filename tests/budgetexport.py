"""A workbook in the common export layout of a budget system (预算管理一体化系统), made from
budgetpub's own ``--format xlsx`` of a department: the fixture for importing such an export.

What differs from budgetpub's workbook, as such exports do:
- sheets named 表一 … 表九 (a unit's prefixed with its code), one 公开表 each;
- a title row with the year (2023年部门预算收支总表), a blank row, then 编制单位：… and 单位：万元 in
  cells of their own;
- no 序号 column; the header's merged cells kept; the 栏次 row kept;
- amounts as numbers formatted #,##0.00 (blank where zero), codes as text;
- a note under the table (注：本表由预算管理一体化系统导出。).

This module knows nothing of budgetpub: it reads a workbook and writes another.
"""

from __future__ import annotations

import io
import re

import openpyxl
from openpyxl.utils import get_column_letter

NUMERALS = "一二三四五六七八九"


def export(workbook: bytes, year: int) -> bytes:
    src = openpyxl.load_workbook(io.BytesIO(workbook))
    out = openpyxl.Workbook()
    out.remove(out.active)
    for ws in src.worksheets:
        m = re.match(r"^(\d+) 表(\d)", ws.title)
        code, number = m.group(1), int(m.group(2))
        rows = [[c.value for c in r] for r in ws.iter_rows()]
        title, caption = rows[0][0], [v for v in rows[1] if v]
        name = caption[0]
        unit = next(v for v in caption if str(v).startswith("单位"))
        numbered = rows[2][0] == "序号"
        cut = 1 if numbered else 0
        sheet = out.create_sheet(f"{code}表{NUMERALS[number - 1]}" if len(code) > 3 else f"表{NUMERALS[number - 1]}")
        width = len(rows[2]) - cut
        sheet.append([f"{year}年{title}"] + [None] * (width - 1))
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        sheet.append([None] * width)
        sheet.append([f"编制单位：{name}"] + [None] * (width - 2) + [unit])
        header_end = next(i for i, r in enumerate(rows) if r[0] == "栏次")
        for r in rows[2:header_end]:
            sheet.append([v for v in r[cut:]])
        sheet.append(["栏次"] + [v for v in rows[header_end][cut + 1:]])  # 栏次 under the first column
        for merged in ws.merged_cells.ranges:
            if merged.min_row >= 3 and merged.max_col > cut:
                sheet.merge_cells(start_row=merged.min_row + 1, end_row=merged.max_row + 1,
                                  start_column=max(merged.min_col - cut, 1), end_column=merged.max_col - cut)
        for r in rows[header_end + 1:]:
            values = r[cut:]
            if cut and r[0] and not any(r[1:]):  # a note under the table (注：…) stays in the first column
                values = [r[0]] + [None] * (width - 1)
            sheet.append(values)
            for j, v in enumerate(values, 1):
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    sheet.cell(row=sheet.max_row, column=j).number_format = "#,##0.00"
        sheet.append([None] * width)
        sheet.append(["注：本表由预算管理一体化系统导出。"] + [None] * (width - 1))
        for j in range(1, width + 1):
            sheet.column_dimensions[get_column_letter(j)].width = 14
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
