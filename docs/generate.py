"""Write the generated pages of the user guide, and the JSON Schemas, from the code they describe.

    python docs/generate.py           # rewrite what is stale
    python docs/generate.py --check   # exit 1 and name what is stale (tests/test_docs.py does this)

What is generated, and from what:

- docs/reference/fields.md: every field of department.yaml and of a unit file (type, required,
  allowed values, meaning, example, where it prints), from the schemas (schemas/*.yaml), the
  vocabulary, the table catalogue and the field notes of docs/fields.yaml;
- docs/reference/tables.md: the published tables and their columns, from the table catalogue;
- docs/reference/rules.md: the cross-checks, from the rule registry;
- docs/reference/verify-checks.md: what budgetpub verify checks, from its registry (verify/findings.py);
- docs/reference/prose-names.md: the figures a text may cite, from document/prose.py;
- schemas/department.schema.json, schemas/unit.schema.json: the JSON Schemas an editor reads.
"""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.document.prose import names_markdown  # noqa: E402
from generator.figures import tables  # noqa: E402
from generator.figures.vocabulary import ASSET  # noqa: E402
from generator.sources import rules  # noqa: E402
from generator.sources.jsonschema import json_text  # noqa: E402
from generator.sources.validate import load_schema  # noqa: E402
from generator.verify import CHECKS as VERIFY_CHECKS  # noqa: E402
from generator.verify.layout import KIND as VERIFY_KIND  # noqa: E402
from generator.verify.layout import SECTIONS as VERIFY_SECTIONS  # noqa: E402

NOTES = ROOT / "docs" / "fields.yaml"
KINDS = {"department": "department.yaml", "unit": "单位文件（<单位编码>.yaml）"}
TYPES = {"string": "文字", "amount": "金额", "integer": "整数", "boolean": "true / false", "dict": "映射",
         "list": "列表"}
GENERATED = "<!-- 本页由 python docs/generate.py 生成，请勿手工修改。 -->\n\n"


def notes() -> dict[str, dict[str, dict]]:
    return yaml.safe_load(NOTES.read_text(encoding="utf-8"))


def note(kind: str, path: str, all_notes: dict | None = None) -> dict | None:
    """The note of ``path`` for ``kind``: its own, the shared one, or one whose key has a * for any key."""
    all_notes = all_notes or notes()
    for section in (kind, "both"):
        found = all_notes.get(section, {}).get(path)
        if found:
            return found
    for section in (kind, "both"):
        for key, value in all_notes.get(section, {}).items():
            if "*" in key and fnmatch.fnmatchcase(path, key):
                return value
    return None


def fields(kind: str) -> list[tuple[str, dict]]:
    """Every field of ``kind``'s schema, depth first: (path, rule)."""
    out: list[tuple[str, dict]] = []

    def walk(schema: dict, prefix: str) -> None:
        for key, rule in schema.items():
            path = f"{prefix}.{key}" if prefix else key
            out.append((path, rule))
            if rule.get("type") == "dict" and "schema" in rule:
                walk(rule["schema"], path)
            item = rule.get("schema") if rule.get("type") == "list" else None
            if isinstance(item, dict) and item.get("type") == "dict" and "schema" in item:
                walk(item["schema"], path + "[]")
    walk(load_schema(kind), "")
    return out


def _type(rule: dict) -> str:
    kind = rule.get("type", "")
    words = TYPES.get(kind, kind)
    if kind == "list" and isinstance(rule.get("schema"), dict):
        words += "（每项：" + TYPES.get(rule["schema"].get("type", ""), "") + "）"
    if kind == "dict" and "schema" not in rule:
        keys, values = rule.get("keysrules", {}), rule.get("valuesrules", {})
        words += f"（键：{TYPES.get(keys.get('type', 'string'), '文字')}，值：{TYPES.get(values.get('type', ''), '')}）"
    return words


def _allowed(rule: dict) -> str:
    for source in (rule, rule.get("keysrules", {}), rule.get("schema", {}) if rule.get("type") == "list" else {}):
        if isinstance(source, dict) and source.get("allowed"):
            what = "键" if source is rule.get("keysrules") else "值"
            return f"可选的{what}：" + "、".join(str(a) for a in source["allowed"])
    return ""


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def fields_page() -> str:
    all_notes = notes()
    out = [GENERATED, "# 字段参考\n\n",
           "每个字段：类型、是否必填、可选的值、含义、示例，以及它印在公开文件的什么地方。"
           "金额最多两位小数，按 money_unit 的单位书写；编码加引号。"
           "“必填”指它所在的上一级写了时必须写。填写方法和例子见[填报指南](../authoring.md)。\n"]
    for kind, title in KINDS.items():
        out.append(f"\n## {title}\n\n| 字段 | 类型 | 必填 | 说明 | 示例 | 印在 |\n|---|---|---|---|---|---|\n")
        for path, rule in fields(kind):
            n = note(kind, path, all_notes) or {}
            doc = n.get("doc", "")
            extra = [_allowed(rule)]
            leaf = path.rsplit(".", 1)[-1]
            if path.startswith("assets.") and leaf in ASSET:
                extra.append(f"表中的行：{ASSET[leaf].label}")
            if rule.get("regex") and "expect" in rule.get("meta", {}):
                extra.append(f"格式：{rule['meta']['expect']}")
            text = "".join(x if x.endswith("。") else x + "。" for x in [doc, *extra] if x)
            example = f"`{_cell(n['example'])}`" if n.get("example") else ""
            out.append(f"| `{path}` | {_type(rule)} | {'是' if rule.get('required') else ''} | {_cell(text)} "
                       f"| {example} | {_cell(n.get('prints', ''))} |\n")
    return "".join(out)


def tables_page() -> str:
    out = [GENERATED, "# 公开的表格\n\n",
           "每张表的栏目（表头自外向内以“ / ”连接）。九张表部门和每个单位各有一套（部门预算），"
           "表题前加“部门预算”或“单位预算”。每个数都由来源的事实算出，不能填写合计。\n"]
    for i, table in enumerate(tables.ALL, 1):
        number = f"表{tables.NINE.index(table) + 1} " if table in tables.NINE else ""
        out.append(f"\n## {number}{table.title}\n\n")
        out.append(("有序号栏和栏次行；" if table.numbered else "") + ("横排（A4 横向）。" if table.landscape else "竖排。")
                   + ("金额用文字的单位（display.text）。" if table.text_unit else "") + "\n\n")
        out.append("| 栏目 | 内容 |\n|---|---|\n")
        for column in table.columns:
            header = " / ".join(HEADER_WORDS.get(h, h) for h in column.header)
            out.append(f"| {header} | {KIND_WORDS[column.kind]} |\n")
    return "".join(out)


# header words the template fills in per scope
HEADER_WORDS = {"{{ s.carry_header }}": "上年结转结余（有使用非财政拨款结余时为“上年结转”）"}
KIND_WORDS = {"code": "编码", "name": "名称", "label": "项目", "text": "文字", "amount": "金额（为零时空白）",
              "money": "金额", "count": "数量或面积"}


def rules_page() -> str:
    return (GENERATED + "# 核对规则\n\n"
            "`budgetpub check`（以及 generate）在读完来源、通过格式检查之后运行下面每一条规则。"
            "“错误”使检查不通过、不生成文件；“警告”照常生成，但请看一看。报告中的代码（如 `income.disagrees`）"
            "就是这里的代码；怎样改正见[常见错误](../errors.md)。\n\n" + rules.rules_markdown() + "\n")


def verify_checks_page() -> str:
    rows = "".join(f"| `{c.code}` | {c.severity} | {_cell(c.title)} |\n" for c in VERIFY_CHECKS.values())
    kinds = "".join(f"| `{k.key}` | {_cell(k.title)} |\n" for k in VERIFY_KIND.values())
    sections = "".join(f"| {_cell(s.name)} | `{_cell(s.pattern)}` |\n" for s in VERIFY_SECTIONS)
    return (GENERATED + "# verify 核对的项目\n\n"
            "`budgetpub verify` 报告中的代码（如 `错误[narrative]`）就是这里的代码。“错误”使核对不通过（退出码 1）；"
            "“警告”只列出（加 `--strict` 时也使核对不通过）。`--ignore 代码` 不报告某一项（给出前缀如 `wording` "
            "则不报告以它开头的各项）。用法见[核对公开文件](../verify.md)。\n\n"
            "| 代码 | 级别 | 核对什么 |\n|---|---|---|\n" + rows +
            "\n## 地区格式中的表和节\n\n`--layout` 文件的 `tables` 用下列名称，`sections` 的默认值如下表：\n\n"
            "| 名称 | 表 |\n|---|---|\n" + kinds + "\n| 节 | 标题中的文字（正则表达式） |\n|---|---|\n" + sections)


def prose_names_page() -> str:
    return (GENERATED + "# 文字中可引用的数\n\n"
            "在 `texts` 的文字和项目的 `performance.target` 中写 `{{ 名称 }}`，印出的是算出的数"
            "（文字的金额单位，两位小数）。用法见[文字中引用数字](../prose.md)。\n\n" + names_markdown() + "\n")


def describe(kind: str):
    all_notes = notes()

    def text(path: str) -> str | None:
        n = note(kind, path, all_notes)
        return n.get("doc") if n else None
    return text


def outputs() -> dict[Path, str]:
    return {
        ROOT / "docs" / "reference" / "fields.md": fields_page(),
        ROOT / "docs" / "reference" / "tables.md": tables_page(),
        ROOT / "docs" / "reference" / "rules.md": rules_page(),
        ROOT / "docs" / "reference" / "verify-checks.md": verify_checks_page(),
        ROOT / "docs" / "reference" / "prose-names.md": prose_names_page(),
        **{ROOT / "schemas" / f"{kind}.schema.json": json_text(kind, describe(kind)) for kind in KINDS},
    }


def stale() -> list[Path]:
    return [path for path, text in outputs().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        old = stale()
        for path in old:
            print(f"stale: {path.relative_to(ROOT)} (run: python docs/generate.py)")
        return 1 if old else 0
    for path, text in outputs().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"written {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
