"""Column widths from what the columns hold: each table of a publication gets the widths its
longest contents need, so that an amount, a code or a header word never wraps and a name wraps
only when the page is too narrow for it.

The template (template_builder.py) writes a catalogue table's widths as ``{{ doc.w.<key>_<W>.s<a>_<b> }}``:
the twips of grid columns a to b of table ``key`` on a text width of ``W`` twips (the reference's
margins: a restyled reference gives other widths). ``Widths`` works each table out the first
time the template asks for it, from the rows of every scope (context.py): the department's and
every unit's tables look alike.

How: a column's need is the width of its widest cell (in the tables' 9 pt, digits as wide as the
wider of the faces that print them: Noto Serif CJK SC's, in which LibreOffice prints Times New
Roman on a server, and Times New Roman's in Word) and of its widest header line. Amounts, codes and
other short fields get their need; names and labels share what is left: those shorter than an
equal share keep their length, the longer ones wrap in equal shares (never below six characters);
space left over goes to every column in proportion to the catalogue's widths (the seed's
proportions). A header spanning several columns widens them when its words need more.
"""

from __future__ import annotations

import re

# Header words in narrow columns: where a line may break (as the seed breaks them), so that Word and
# LibreOffice never break inside a word (事业收/入, 上解上/级支出, 计 量 单 位 one character a line).
HEADER_BREAKS = {
    "财政拨款收入": "财政拨款\n收入", "财政专户收入": "财政专户\n收入", "上级补助收入": "上级补助\n收入",
    "附属单位上缴收入": "附属单位\n上缴收入", "上解上级支出": "上解上级\n支出", "对附属单位补助支出": "对附属单位\n补助支出",
    "计量单位": "计量\n单位", "预算资金": "预算\n资金", "单位资金": "单位\n资金", "财政拨款结转": "财政\n拨款\n结转", "财政专户核拨": "财政\n专户\n核拨",
    "基金预算拨款": "基金\n预算\n拨款",
    "非财政拨款结转结余": "非财政\n拨款结转\n结余", "国有资本经营预算拨款": "国有资本\n经营预算\n拨款",
    "一般公共预算拨款": "一般公共\n预算拨款", "政府采购目录序号": "政府采购\n目录序号",
    "{{ doc.year }}年预留中小微企业份额": "{{ doc.year }}年\n预留中小\n微企业\n份额",
    "一般公共预算财政拨款": "一般公共预算\n财政拨款", "政府性基金预算财政拨款": "政府性基金\n预算财政拨款",
    "国有资本经营预算财政拨款": "国有资本经营\n预算财政拨款", "政府性基金预算拨款": "政府性基金\n预算拨款",
}

TWIPS_PER_CM = 567
POINT = 20  # twips
SIZE = 9  # pt: the tables' text (表格文字 …)
MARGIN = 2 * 57  # the cells' left and right margins (template_blocks.NARROW_MARGIN)
SLACK = 40  # twips: rounding in the layout engines
CONDENSED = 0.3  # pt closer per character in 表格数字（元） (template_blocks)
NAME_MIN_EM = 6  # a name column is never narrower than six characters

_NARROW = {  # advance widths in em of digits and ASCII: Noto Serif CJK SC's (LibreOffice prints Times New
    # Roman in it on a server), the wider of it and Times New Roman (Word): the rest are 1 em
    **dict.fromkeys("0123456789", 0.56), ",": 0.33, ".": 0.33, "-": 0.35, " ": 0.26, "%": 0.93,
    "(": 0.35, ")": 0.35, "/": 0.3, ":": 0.3, "~": 0.6,
}
_JINJA = re.compile(r"{{\s*([^}]*?)\s*}}")
_PAIRS = re.compile(r"[0-9]+|[^0-9]{1,2}")  # a run of digits whole, else two characters


def em(text: str) -> float:
    """The width of ``text`` in em: CJK and full-width characters 1, digits and ASCII less."""
    return sum(_NARROW.get(ch, 0.62 if ch.isascii() else 1.0) for ch in text)


def twips(text: str, condensed: bool = False) -> int:
    width = em(text) * SIZE - (CONDENSED * len(text) if condensed else 0)
    return int(width * POINT + 0.999) + MARGIN + SLACK


def header_lines(words: str, values: dict[str, str]) -> list[str]:
    """The lines of a header cell as printed: its break points, Jinja names put in (2024年…)."""
    text = HEADER_BREAKS.get(words, words)
    return [_JINJA.sub(lambda m: values.get(m.group(1), "0000"), line) for line in text.split("\n")]


class Column:
    __slots__ = ("kind", "design", "need", "least")

    def __init__(self, kind: str, design: float, need: int, least: int):
        self.kind, self.design, self.need, self.least = kind, design, need, least


FLEXIBLE = ("name", "label", "note")  # may wrap onto a second line when the page is too narrow


def allocate(columns: list[Column], total: int, spans: list[tuple[int, int, int]] = ()) -> list[int]:
    """Twips per column: each its need (a flexible one less when the page is too narrow, never below
    its least), the rest in proportion to the design widths; ``spans`` (first, last, need) widen
    the columns under a header that needs more."""
    fixed = sum(c.need for c in columns if c.kind not in FLEXIBLE)
    flex = [i for i, c in enumerate(columns) if c.kind in FLEXIBLE]
    widths = [c.need for c in columns]
    room = total - fixed
    wanted = sum(columns[i].need for i in flex)
    if flex and wanted > room:  # names wrap: the shorter keep their length, the longer share the rest
        left, open_ = room, sorted(flex, key=lambda i: columns[i].need)
        while open_:
            share = left / len(open_)
            i = open_[0]
            if columns[i].need <= share:
                widths[i] = columns[i].need
            else:  # every column still open wraps: equal shares, none below its least
                low = [j for j in open_ if columns[j].least > share]
                if not low:
                    for j in open_:
                        widths[j] = int(share)
                    break
                i = low[0]
                widths[i] = columns[i].least
            left -= widths[i]
            open_.remove(i)
    for first, last, need in spans:
        have = sum(widths[first:last + 1])
        if have < need:
            extra = need - have
            n = last - first + 1
            for i in range(first, last + 1):
                widths[i] += extra // n + (1 if i - first < extra % n else 0)
    surplus = total - sum(widths)
    if surplus > 0:
        design = sum(c.design for c in columns) or 1
        for i, c in enumerate(columns):
            widths[i] += int(surplus * c.design / design)
        widths[-1] += total - sum(widths)  # the rounding: the table fills the text width exactly
    return widths


class TableWidths(dict):
    """``s<a>_<b>``: the twips of grid columns a to b (a cell spanning them, or one grid column)."""

    def __init__(self, widths: list[int]):
        super().__init__()
        self.columns = widths
        for a in range(len(widths)):
            for b in range(a, len(widths)):
                self[f"s{a}_{b}"] = sum(widths[a:b + 1])


def table_columns(table, rows: list[list[str]], values: dict[str, str], narrow_header: bool = False):
    """The columns of a catalogue ``table`` (序号 first when it has one) with their needs, and the
    needs of its header cells that span several columns."""
    from generator.figures.tables import NUMBER_WIDTH

    condensed = values.get("doc.tu") == "元" and not table.text_unit
    cols: list[Column] = []
    if table.numbered:
        count = max(len(rows), 1)
        cols.append(Column("code", NUMBER_WIDTH, max(twips(str(count)), twips("序号")), 0))
    offset = len(cols)
    uniques = [set() for _ in table.columns]
    for row in rows:
        for i, cell in enumerate(row):
            if cell:
                uniques[i].add(cell)
    for i, c in enumerate(table.columns):
        amounts = c.kind in ("amount", "money")
        cells = uniques[i]
        if amounts and cells:  # the longest texts are the widest: measure only those
            longest = max(map(len, cells))
            cells = [t for t in cells if len(t) >= longest - 1]
        need = max((twips(t, condensed and amounts) for t in cells), default=0)
        least = twips("中" * NAME_MIN_EM) if c.kind in FLEXIBLE else 0
        cols.append(Column(c.kind, c.width, need, least))
    spans = []
    for r0, c0, r1, c1, words in table.header_cells():
        lines = header_lines(words, values)
        if narrow_header:  # a cramped header (an empty table in portrait) wraps every two characters, a
            # number kept whole (2024年: 2024 / 年, never 202 / 4年)
            lines = [piece for line in lines for piece in _PAIRS.findall(line)]
        need = max(twips(line) for line in lines) if lines else 0
        if c0 == c1:
            col = cols[c0]
            if col.kind in FLEXIBLE:
                col.least = max(col.least, need)
            col.need = max(col.need, need)
        else:
            spans.append((c0, c1, need))
    return cols, spans


class Widths(dict):
    """``doc.w``: table ``<key>_<text width in twips>`` → its TableWidths, worked out when first asked."""

    def __init__(self, rows: dict[str, list[list[str]]], values: dict[str, str], tables: dict):
        super().__init__()
        self._rows, self._values, self._tables = rows, values, tables

    def __missing__(self, key: str) -> TableWidths:
        name, _, total = key.rpartition("_")
        table = self._tables[name]
        narrow = name.endswith("_narrow")
        cols, spans = table_columns(table, self._rows.get(name.removesuffix("_narrow"), []), self._values, narrow)
        found = self[key] = TableWidths(allocate(cols, int(total), spans))
        return found
