"""``budgetpub init``: a new budget repository.

Writes budgetpub.toml, data/, a .gitignore for output/, the hooks (.gitattributes with the
textconv recipe, .pre-commit-config.yaml running ``budgetpub check``) and a commented
skeleton department whose amounts are marked ``# 待填写``: ``check`` refuses it until they
are filled in, and passes once they are. Nothing that exists is overwritten.

``init --example`` writes a filled example department instead of the skeleton (the packaged
examples: the same sources as the checkout's data/), a complete model to copy from.

Either way the JSON Schemas of the sources go to ``.budgetpub/`` and each source file names its
schema on its first line, so an editor with a YAML language server (VS Code's YAML extension,
for one) completes field names and flags a wrong type while the clerk types.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from generator.errors import BudgetpubError, visible
from generator.files import Refused, read_regular
from generator.resources import EXAMPLES, SCHEMA_DIR
from generator.sources.unfilled import MARK, SKELETON_HINTS

from .discovery import CONFIG_NAME

CONFIG = """# budgetpub 预算仓库的配置。budgetpub 从当前目录向上查找这个文件，找到的目录就是仓库根目录。
data = "data"        # 预算数据：data/<部门编码>/<年度>/*.yaml
output = "output"    # 生成的公开文件：output/<部门编码>/<年度>/（不提交到 git）
"""

GITIGNORE = "output/\n"

GITATTRIBUTES = """# git diff 显示 Word 文件（模板和公开文件）的文字，需要在本仓库执行一次：
#   git config diff.docx.textconv "budgetpub textconv"
*.docx diff=docx
"""

PRE_COMMIT = """# 提交前校验改动了的预算数据（https://pre-commit.com）：pip install pre-commit && pre-commit install
# 钩子运行 PATH 上的 budgetpub（与 budgetpub check 相同：生成并核对文件，但不写入）。budgetpub 装在虚拟环境里时，
# 先激活它再 git commit；找不到 budgetpub 时，钩子用一行话说明，不会只报“Executable not found”。
repos:
  - repo: local
    hooks:
      - id: budgetpub-check
        name: 校验预算数据（budgetpub check）
        entry: >-
          sh -c 'command -v budgetpub >/dev/null 2>&1 || {{ echo "{missing}" >&2; exit 1; }};
          exec budgetpub check "$@"' budgetpub-check
        language: system
        files: ^data/[0-9]+/[0-9]{{4}}/[^/]+\\.yaml$
"""

HOOK_MISSING = ("budgetpub 不在 PATH 上：先激活安装了 budgetpub 的虚拟环境（如 . .venv/bin/activate）"
                "或把它的 bin 目录加入 PATH，再提交。")

DEPARTMENT = """# {comment}：部门层面的信息和文字。部门的数字是各单位之和，不在此填写。
# 标有“# {mark}”的值和以“{mark}：”开头的文字须按本年预算填写（并删去标记）；否则 budgetpub check 报错，
# 不会生成文件。每个单位一个文件（{dept}001.yaml、{dept}002.yaml……），文件名就是单位编码。
code: "{dept}"           # 部门编码（加引号）
name: {name_value}
year: {year}
money_unit: 万元         # 万元 或 元
government_level: 区级   # {mark}：区级、市级……（用于名词解释）

# 上年预算数（情况说明“比上年增减情况”引用）。只有一个单位时写在这里；有几个单位时写在各单位文件中
# 并删去这一段。仓库中有 data/{dept}/{prior}/ 时由它算出，也可删去。上年没有预算时写 prior_year: {{none: true}}。
prior_year:
  basic: 0.00            # {mark}：上年基本支出
  project: 0.00          # {mark}：上年项目支出

texts:                   # 情况说明的文字，每行一段
  duties: |
    {mark}：{h_duties_department}
  budget_overview: |
    {mark}：{h_overview}
  performance:           # 部门整体绩效目标（没有时写 performance: {{none: true}}）
    overall: |
      {mark}：{h_performance}
  special_funds: {mark}：{h_special_funds}
  # 比上年增减的原因：基本支出或项目支出与上年不同时，check 会要求写明（change_reasons: {{basic: …, project: …}}）。
  # 其他需要说明的事项（other_matters）不写时印“我部门无其他需要说明的事项。”
"""

UNIT = """# {comment}本级：单位预算的事实。只写事实，不写合计（合计由 budgetpub 计算）。
code: "{dept}001"        # 单位编码 = 部门编码 + 3 位，与文件名相同
name: {unit_value}
nature: 行政             # {mark}：单位性质（行政、参公、事业……）
rank: 正科级             # {mark}：单位规格
funding_form: 财政拨款   # {mark}：经费保障形式

income:                  # 本年收入，按来源；每种来源须等于由它安排的支出
  一般公共预算拨款: 0.00  # {mark}

basic:                   # 基本支出：同一资金来源的功能分类和经济分类两种口径须相等
  - fund: 一般公共预算拨款
    function:            # 7 位功能分类项级编码
      - {{code: "2010301", amount: 0.00}}  # {mark}：行政运行（请改为本单位的编码）
    economic:            # 5 位经济分类款级编码
      - {{code: "30101", amount: 0.00}}    # {mark}：基本工资

texts:                   # 本单位自己的文字（单位的文字不沿用部门的文字），每行一段
  duties: |
    {mark}：{h_duties_unit}

# 以下各段，有则写明，没有则照注释写“没有”；一段不写时，文中不提这一项、表中留空（check 给出警告）。
# 政府采购预算（没有：procurement: []）：
#   procurement:
#     - {{item: 台式计算机, catalogue_no: A02010104, measure: 台, quantity: 2, unit_price: 0.50,
#        funds: {{一般公共预算拨款: 1.00}}, fixed_asset: true}}
# “三公”经费，本年和上年（没有：sangong: {{current: [], prior_year: {{}}}}）：
#   sangong:
#     current:
#       - {{category: 公务用车运行维护费, fund: 一般公共预算拨款, amount: 3.00}}
#     prior_year: {{公务用车运行维护费: 3.00}}
# 上年末固定资产（没有：assets: {{none: true}}）：
#   assets: {{as_of: "{prior}-12-31", vehicles: {{count: 2, value: 27.56}}, other: {{count: 119, value: 22.74}}}}
# 上年结转和年终结转结余（没有：carryover: {{none: true}}）：
#   carryover: {{in: {{一般公共预算拨款: 5.00}}, out: {{一般公共预算拨款: 1.00}}}}
# 项目支出（成本指标须等于金额）：
#   projects:
#     - name: 某项目名称
#       function: "2010350"
#       fund: 一般公共预算拨款
#       amount: 10.00
#       performance:
#         target: 项目的年度绩效目标。
#         indicators:
#           - {{level1: 产出指标, level2: 成本指标, level3: 预算控制, description: 实际支出不超预算,
#              value: "≤10万元", basis: 预算批复}}
"""


SCHEMA_FOLDER = ".budgetpub"


def yaml_text(text: str) -> str:
    """``text`` as a YAML value the sources' reader gives back unchanged: plain when it can be (某某局),
    else double-quoted (“[某局”, “a: b”, “123”, “yes”): init writes YAML its own check accepts."""
    from generator.sources.numbers import resolve
    plain = (text == text.strip() and resolve(text) == text and not text.startswith(tuple("[]{}!&*#|>'\"%@`,?:-~"))
             and ": " not in text and " #" not in text and not text.endswith(":"))
    if plain:
        import yaml
        try:  # what YAML itself makes of it, as the last word
            plain = yaml.compose(f"name: {text}\n", Loader=yaml.SafeLoader).value[0][1].value == text
        except yaml.YAMLError:
            plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def editor_line(file_name: str) -> str:
    """The first line of a source file: the JSON Schema an editor checks it against (from data/<dept>/<year>/)."""
    kind = "department" if file_name == "department.yaml" else "unit"
    return f"# yaml-language-server: $schema=../../../{SCHEMA_FOLDER}/{kind}.schema.json\n"


def with_editor_line(file_name: str, text: str) -> str:
    return text if text.startswith("# yaml-language-server:") else editor_line(file_name) + text


def schema_files() -> dict[str, str]:
    """``.budgetpub/<kind>.schema.json``: the JSON Schemas shipped with this budgetpub."""
    return {f"{SCHEMA_FOLDER}/{kind}.schema.json": (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
            for kind in ("department", "unit")}


def examples() -> list[str]:
    """The packaged example departments, by code."""
    return sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and p.name.isdigit()) if EXAMPLES.is_dir() else []


def _example_files(dept: str) -> dict[str, str]:
    folder = EXAMPLES / dept
    if not folder.is_dir():
        raise BudgetpubError(f"没有编码为 {dept} 的示例部门。可用的示例：{'、'.join(examples()) or '无'}。")
    return {f"data/{dept}/{year.name}/{f.name}": with_editor_line(f.name, f.read_text(encoding="utf-8"))
            for year in sorted(folder.iterdir()) if year.is_dir() for f in sorted(year.glob("*.yaml"))}


def init(target: Path, dept: str, name: str | None = None, year: int | None = None, example: bool = False) -> list[Path]:
    """A new repository at ``target``: the skeleton of ``dept`` (``name``, ``year``), or with ``example``
    the packaged example department ``dept`` (every year it has)."""
    target = Path(target)
    if (target / CONFIG_NAME).exists():
        raise BudgetpubError(f"{target / CONFIG_NAME} 已经存在：这里已经是预算仓库。")
    if example:
        sources = _example_files(dept)
    else:
        values = {"dept": dept, "name": name, "year": year, "prior": year - 1, "mark": MARK,
                  "comment": " ".join(name.split()), "name_value": yaml_text(name), "unit_value": yaml_text(f"{name}本级"),
                  **{f"h_{key}": hint for key, hint in SKELETON_HINTS.items()}}
        sources = {f"data/{dept}/{year}/department.yaml": DEPARTMENT.format(**values),
                   f"data/{dept}/{year}/{dept}001.yaml": UNIT.format(**values)}
        sources = {rel: with_editor_line(Path(rel).name, text) for rel, text in sources.items()}
    for folder in {Path(rel).parent for rel in sources}:
        if (target / folder).exists():
            raise BudgetpubError(f"{target / folder} 已经存在：init 不会覆盖已有的数据。")
    files = {
        CONFIG_NAME: CONFIG,
        ".gitattributes": GITATTRIBUTES,
        ".pre-commit-config.yaml": PRE_COMMIT.format(missing=HOOK_MISSING),
        **schema_files(),
        **sources,
    }
    written = []
    for rel, text in files.items():
        path = target / rel
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    ignore = target / ".gitignore"
    try:  # a regular file of bounded size, if there is one at all
        lines = read_regular(ignore, 1024 * 1024).decode("utf-8", "replace").splitlines() if os.path.lexists(ignore) else []
    except Refused as exc:
        raise BudgetpubError(f"{visible(ignore)}: 无法读取：{exc.reason}。") from None
    if not any(line.strip() in ("output/", "/output/", "output") for line in lines):
        ignore.write_text("\n".join(lines + [GITIGNORE.strip()]) + "\n", encoding="utf-8")
        written.append(ignore)
    return written


def configure_git(directory: Path) -> bool:
    """Whether ``directory`` is in a git repository; if it is, the textconv recipe is configured there."""
    git = subprocess.run(["git", "-C", str(directory), "rev-parse", "--git-dir"], capture_output=True)
    if git.returncode == 0:
        subprocess.run(["git", "-C", str(directory), "config", "diff.docx.textconv", "budgetpub textconv"],
                       check=False)
    return git.returncode == 0
