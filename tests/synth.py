"""Synthetic departments for scale tests and benchmarks: copies of one 899 unit with new codes.

    make_department(root, "777", 2024, units=50)   # writes root/777/2024/*.yaml, returns the folder

Every unit is ``data/899/2024/899001.yaml`` with its code, name and project names changed; the
department file is 899's with its code changed and the prior-year figures set to
the sum of the units' (298.60 + 52.00 per unit). A department of more than 999
units gets 4-digit unit serials (the unit code rule: department code + 3 or more
digits, the same number for every unit of the department).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "data" / "899" / "2024"
_UNIT = (SEED / "899001.yaml").read_text(encoding="utf-8")
_DEPT = (SEED / "department.yaml").read_text(encoding="utf-8")
_PROJECTS = re.findall(r"^  - name: (.+)$", _UNIT, re.M)
_PRIOR = re.compile(r"^prior_year:.*?\n(?=\S)", re.M | re.S)


def unit_text(code: str, name: str) -> str:
    text = _UNIT.replace('code: "899001"', f'code: "{code}"', 1)
    text = text.replace("name: 示例市示例区文化和旅游局本级", f"name: {name}", 1)
    for project in _PROJECTS:  # project names are unique within a department
        text = text.replace(f"name: {project}\n", f"name: {project}{code}\n")
        text = text.replace(f"project: {project},", f"project: {project}{code},")
    return text


def department_text(code: str, year: int, units: int) -> str:
    text = _DEPT.replace('code: "899"', f'code: "{code}"', 1).replace("year: 2024", f"year: {year}", 1)
    prior = (f"prior_year:\n  basic: {Decimal('298.60') * units}\n"
             f"  project: {Decimal('52.00') * units}\n\n")
    text, n = _PRIOR.subn(prior, text, count=1)
    assert n == 1
    return text


def make_department(root: Path, code: str, year: int, units: int) -> Path:
    folder = Path(root) / code / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "department.yaml").write_text(department_text(code, year, units), encoding="utf-8")
    digits = max(3, len(str(units)))
    for i in range(1, units + 1):
        unit = f"{code}{i:0{digits}d}"
        (folder / f"{unit}.yaml").write_text(unit_text(unit, f"示例第{i}文化服务中心"), encoding="utf-8")
    return folder
