"""The files an import writes: department.yaml and ``<unit code>.yaml``, in the order and with the
section comments of the project's own examples (data/304/2023)."""

from __future__ import annotations

from generator.figures.vocabulary import OTHER_KINDS

from .build import Imported
from .writer import document

_UNIT_SECTIONS = {
    "income": "本年收入，按来源（收支总表）。",
    "income_details": "收入的“其中”行（收支总表）。",
    "carryover": "上年结转、使用非财政拨款结余和年终结转结余（收支总表、财政拨款收支总表）。",
    "basic": "基本支出：按资金来源分组；功能分类（项）来自支出表，经济分类（款）来自一般公共预算财政拨款基本支出表。",
    "other_expenditure": "、".join(OTHER_KINDS) + "（支出总表）。",
    "running_costs": "机关运行经费在情况说明中的文字拆分。",
    "sangong": "财政拨款“三公”经费：本年按类别和资金来源，上年预算按类别。",
    "procurement": "政府采购预算表。",
    "assets": "固定资产占用情况表。",
    "prior_year": "上年预算数（由情况说明“比上年增减情况”算出）。",
    "texts": "本单位自己的文字（情况说明）。",
    "projects": "项目支出（金额来自情况说明，功能分类和资金来源来自支出表，绩效目标来自绩效目标表）。",
    "project_spending": "项目支出按功能分类和资金来源（支出表）：公开文件没有能与之对上的项目清单。",
    "running_costs_stated": "机关运行经费（情况说明“机关运行经费安排情况”写明的数）。",
}


def _sections(data: dict) -> dict[str, str]:
    if "project_spending" not in data:
        return _UNIT_SECTIONS
    return {**_UNIT_SECTIONS, "projects": "只为绩效目标表列出的项目（金额已含在上面的 project_spending 中，不写功能分类和资金来源）。"}


def source_files(imported: Imported) -> dict[str, str]:
    d = imported.department
    name = d["name"].value if hasattr(d["name"], "value") else d["name"]
    files = {"department.yaml": document(
        [f"{name}：部门层面的信息和文字（由 budgetpub import 从公开文件导入）。部门的数字是各单位之和，不在此填写。",
         "每个数后的注释说明它在公开文件中的出处；标有“# 待填写”“# 待核实”的须补写或核实后删去标记。"],
        d, {"prior_year": "", "texts": "", "function_names": "分类目录中没有的编码的名称（公开文件的写法）。",
            "economic_names": "分类目录中没有的经济分类编码的名称（公开文件的写法）。"})}
    for code, data, unit_name in imported.units:
        files[f"{code}.yaml"] = document([_heading(d, code, unit_name, name),
                                          "只写事实（明细、项目、文字），不写合计：所有合计由 budgetpub 计算。"],
                                         data, _sections(data))
    return files


def _heading(d: dict, code: str, unit_name: str, name: str) -> str:
    """What a unit's file is: a unit's facts; at department level (unit_budgets: false) the summary of the
    department's units (DDD000), or the one unit that is the department."""
    year, origin = d["year"], "由 budgetpub import 从公开文件导入"
    if d.get("unit_budgets") is not False:
        return f"{unit_name}：{year} 年单位预算的事实（{origin}）。"
    if code.endswith("000"):
        return (f"{name}：{year} 年部门汇总的收支事实。部门只在部门一级公开，不公开单位预算：本文件是各单位合在一起的收支，"
                f"不作为单位印出，部门的表由它算出（{origin}）。")
    return f"{unit_name}：{year} 年预算的事实。部门只在部门一级公开，部门的收支就是这个单位的收支，部门的表由它算出（{origin}）。"
