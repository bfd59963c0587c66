"""What a publication of this region holds, as the verifier recognises it: the tables (their titles
and the columns it looks for under any header layout) and the sections of the 情况说明 that each
part must have.

The verifier states this itself, apart from budgetpub's table catalogue: it reads documents typed
by hand, where headers are worded, split and merged in many ways. A column is found by the words of
its header (all its header rows, read top-down, white space removed), in order; a column it cannot
find is never compared. A region whose publications hold other tables or sections gives its own
list (``budgetpub verify --layout FILE``, see ``load``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.figures.vocabulary import FUNDS, OPERATING, OTHER_SOURCES, POOLED, TO_SUBORDINATE, TO_SUPERIOR

# the columns' names as the tables print them (the words the columns are found by are this module's)
_T2 = list(dict.fromkeys(f.t2_header for f in FUNDS))  # the 收入总表 columns after 小计
_FISCAL_FUNDS = [f for f in FUNDS if f.fiscal]

# Table kinds. T1…T9 are the nine tables of each part; the others stand in the 情况说明.
T1, T2, T3, T4, T5, T6, T7, T8, T9 = "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"
PROC, ASSETS, SG_CMP, ORG, PERF = "政府采购", "固定资产", "三公比较", "机构", "绩效"


@dataclass(frozen=True)
class Kind:
    key: str
    title: str                  # the standard title, after 部门预算/单位预算 (or 部门/单位)
    pattern: str                # a regex the end of a title matches, the standard title and its variants
    columns: tuple[tuple[str, str], ...] = ()  # (name, regex on the header's words), in order
    prefix: str = "预算"         # the title starts with 部门 + prefix or 单位 + prefix
    numbered: bool = True       # a 序号 column first
    # (a column, the columns it stands for): a table has the one or the others; the ones it does not have
    # are not in it (zero, not missing): 收入总表's POOLED column stands for the other sources given as one total
    stands_for: tuple[str, tuple[str, ...]] | None = None


_TREE = (("科目编码", r"编码|代码"), ("科目名称", r"名称"), ("合计", r"(^|/)合计$"))
_FISCAL = _TREE + (("基本支出", r"基本支出|基本"), ("项目支出", r"项目支出|项目"))

KINDS: tuple[Kind, ...] = (
    Kind(T4, "财政拨款收支总表", r"财政拨款收支总表", (
        ("收入项目", r"项目"), ("收入金额", r"金额|预算数|预算"), ("支出项目", r"项目"), ("支出合计", r"合计"),
        *zip((f.fiscal_header for f in _FISCAL_FUNDS), (r"一般公共", r"基金", r"国有资本")))),
    Kind(T1, "收支总表", r"(?<!拨款)收支总表", (
        ("收入项目", r"项目"), ("收入预算数", r"预算数|金额|预算"), ("支出项目", r"项目"),
        ("支出预算数", r"预算数|金额|预算"))),
    Kind(T2, "收入总表", r"收入总表", _TREE + (
        ("小计", r"小计|本年收入/合计|本年收入合计"),
        *zip(_T2, (r"财政拨款", r"财政专户", r"事业", r"经营收入", r"上级补助", r"附属单位", r"其他收入")),
        (POOLED.t2_header, r"单位资金|其他资金"), ("上年结转", r"结转")),
        stands_for=(POOLED.t2_header, tuple(f.t2_header for f in FUNDS if f.name in OTHER_SOURCES))),
    Kind(T3, "支出总表", r"支出总表", _TREE + (
        ("基本支出", r"基本支出"), ("项目支出", r"项目支出"), (OPERATING, r"经营支出"),
        (TO_SUPERIOR, r"上解上级|上缴上级"), (TO_SUBORDINATE, r"附属单位"))),
    Kind(T6, "一般公共预算财政拨款基本支出表", r"一般公共预算(财政)?拨款基本支出表",
         _TREE + (("人员经费", r"人员经费|人员"), ("公用经费", r"公用经费|公用"))),
    Kind(T5, "一般公共预算财政拨款支出表", r"一般公共预算(财政)?拨款支出表", _FISCAL),
    Kind(T7, "政府性基金预算财政拨款支出表", r"政府性?基金预算(财政)?拨款支出表", _FISCAL),
    Kind(T8, "国有资本经营预算财政拨款支出表", r"国有资本经营预算(财政)?拨款支出表", _FISCAL),
    Kind(T9, "财政拨款“三公”经费支出表", r"(财政拨款)?[“\"‘']?三公[”\"’']?经费(预算)?支出表", (
        ("项目", r"项目"), ("合计", r"合计"),
        *zip((f.t9_header for f in _FISCAL_FUNDS), (r"一般公共", r"基金", r"国有资本")))),
    Kind(PROC, "政府采购预算", r"政府采购预算表?", (
        ("项目名称", r"项目"), ("预算资金", r"预算资金"), ("采购物品名称", r"物品|品目"), ("政府采购目录序号", r"目录"),
        ("计量单位", r"计量|^单位$"), ("数量", r"数量"), ("单价", r"单价"), ("合计", r"合计"),
        ("一般公共预算拨款", r"一般公共"), ("基金预算拨款", r"基金"), ("国有资本经营预算拨款", r"国有资本"),
        ("财政专户核拨", r"财政专户"), ("单位资金", r"单位资金"), ("财政拨款结转", r"(?<!非)财政拨款结转"),
        ("非财政拨款结转结余", r"非财政拨款"), ("预留中小微企业份额", r"中小|小微")), prefix="", numbered=False),
    Kind(ASSETS, "固定资产占用情况表", r"固定资产占用情况表?", (
        ("项目", r"项目"), ("数量", r"数量"), ("价值", r"价值|金额")), prefix="", numbered=False),
    Kind(SG_CMP, "“三公”经费比较", r"“三公”经费比较表?", (
        ("项目名称", r"项目"), ("上年预算", r"上年|[0-9]{4}"), ("本年预算", r"本年|[0-9]{4}"),
        ("增减金额", r"增减"), ("变化原因", r"原因")), prefix="", numbered=False),
    Kind(ORG, "机构设置情况", r"机构设置情况表?", prefix="", numbered=False),
    Kind(PERF, "绩效目标表", r"绩效目标表", prefix="", numbered=False),
)
KIND = {k.key: k for k in KINDS}
NINE = (T1, T2, T3, T4, T5, T6, T7, T8, T9)
_TITLE = [(k, re.compile(rf"(?:{k.pattern})$")) for k in KINDS]
# words a title gets wrong, as a reader at a 财政局 marks them (政府性基金 is the fund's name): a title
# worded otherwise (部门收支总表, 一般公共预算支出表, “三公” in any quotes) is a region's own, not a slip
MISWORDED = {T7: (r"政府基金", "政府性基金")}


def title_kind(text: str) -> tuple[str | None, bool]:
    """The kind of table a title names, and whether it is worded right (部门预算政府基金…: T7, not
    worded right). (None, False) when it names none."""
    t = re.sub(r"\s+", "", text).rstrip("：:")
    if len(t) > 48 or re.search(r"[，。；]|^(?:详)?见|^[一二三四五六七八九十]+、", t):
        return None, False
    for kind, pattern in _TITLE:
        if pattern.search(t):
            wrong = MISWORDED.get(kind.key)
            return kind.key, not (wrong and re.search(wrong[0], t))
    return None, False


def header_kind(header: str) -> str | None:
    """A table with no title, known by its header's words (the 三公 comparison, 机构, 绩效)."""
    h = re.sub(r"\s+", "", header)
    if "增减" in h and "原因" in h:
        return SG_CMP
    if "单位名称" in h and ("单位性质" in h or "经费保障" in h):
        return ORG
    if "一级指标" in h and "二级指标" in h:
        return PERF
    return None


# ---------------------------------------------------------------- the parts' contents

@dataclass(frozen=True)
class Section:
    name: str       # as a message names it
    pattern: str    # a regex its heading matches (without its ordinal)


SECTIONS: tuple[Section, ...] = (
    Section("职责及机构设置情况", r"职责"),
    Section("预算安排的总体情况", r"预算安排的总体情况|预算总体情况|收支总体情况"),
    Section("机关运行经费安排情况", r"机关运行经?费"),
    Section("财政拨款“三公”经费预算情况", r"三公"),
    Section("预算绩效信息", r"绩效"),
    Section("政府采购预算情况", r"政府采购"),
    Section("国有资产信息", r"国有资产|资产占用"),
    Section("名词解释", r"名词解释"),
    Section("其他需要说明的事项", r"其他需要说明"),
)


@dataclass
class Layout:
    """What each part (the department, each unit) must hold."""
    tables: tuple[str, ...] = (*NINE, SG_CMP, PROC, ASSETS)
    sections: tuple[Section, ...] = SECTIONS
    explanation: bool = True   # a 情况说明 (…年部门预算信息公开情况说明) in each part
    source: str = "默认（河北省部门预算公开格式）"
    errors: list[str] = field(default_factory=list)


DEFAULT = Layout()

# What a section left out by the region's wording (vocabulary.OMITTABLE_SECTIONS) takes out of the
# layout: its section of 情况说明 and its tables.
OMITTED = {"sangong": ("财政拨款“三公”经费预算情况", (T9, SG_CMP)), "procurement": ("政府采购预算情况", (PROC,)),
           "assets": ("国有资产信息", (ASSETS,)), "glossary": ("名词解释", ())}


def without(omit, layout: Layout = DEFAULT) -> Layout:
    """``layout`` less the sections (and their tables) ``omit`` names: what budgetpub prints for a
    region that leaves them out (wording omit)."""
    names = {OMITTED[k][0] for k in omit if k in OMITTED}
    kinds = {t for k in omit if k in OMITTED for t in OMITTED[k][1]}
    if not names and not kinds:
        return layout
    return Layout(tuple(t for t in layout.tables if t not in kinds),
                  tuple(s for s in layout.sections if s.name not in names), layout.explanation,
                  f"{layout.source}，不含 {'、'.join(sorted(names))}")


class LayoutError(Exception):
    """A --layout file that cannot be used (exit 2)."""


def load(path: Path) -> Layout:
    """A region's layout from a YAML file:

        tables: [T1, T2, T3, T4, T5, T6, T7, T8, T9, 三公比较, 政府采购, 固定资产]
        sections:                      # 情况说明's sections, each a name and the words of its heading
          - {name: 职责及机构设置情况, pattern: 职责}
        explanation: true
    """
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutError(f"无法读取格式文件 {path}：{exc}") from None
    except yaml.YAMLError as exc:
        raise LayoutError(f"格式文件 {path} 不是有效的 YAML：{exc}") from None
    if not isinstance(data, dict) or set(data) - {"tables", "sections", "explanation"}:
        raise LayoutError(f"格式文件 {path} 应只含 tables、sections、explanation 三项。")
    tables = data.get("tables", list(DEFAULT.tables))
    if not isinstance(tables, list) or any(t not in KIND for t in tables):
        raise LayoutError(f"格式文件 {path} 的 tables 应为以下名称的列表：{'、'.join(KIND)}。")
    sections = []
    for s in data.get("sections", [{"name": x.name, "pattern": x.pattern} for x in SECTIONS]) or []:
        if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not isinstance(s.get("pattern"), str):
            raise LayoutError(f"格式文件 {path} 的 sections 每项应有 name 和 pattern（文字）。")
        try:
            re.compile(s["pattern"])
        except re.error as exc:
            raise LayoutError(f"格式文件 {path} 中 {s['name']} 的 pattern 无效：{exc}") from None
        if len(s["pattern"]) > 200:
            raise LayoutError(f"格式文件 {path} 中 {s['name']} 的 pattern 过长。")
        sections.append(Section(s["name"], s["pattern"]))
    explanation = data.get("explanation", True)
    if not isinstance(explanation, bool):
        raise LayoutError(f"格式文件 {path} 的 explanation 应为 true 或 false。")
    return Layout(tuple(tables), tuple(sections), explanation, str(path))
