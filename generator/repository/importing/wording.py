"""The region's wording as a publication words it otherwise (``department.yaml``'s ``wording``): the
legal basis, the 名词解释, the no-project-targets sentence, and the parts it leaves out. Each text
written there overrides ``templates/wording.yaml`` for this department, so the report names it
(kind ``wording``): a clerk who meant the region's wording deletes it."""

from __future__ import annotations

import re

from generator.resources import region_wording

from .narrative import Narrative
from .writer import Said

_ENTRY = re.compile(r"^\s*([0-9]+)[、.．]\s*([^：:]{1,30})[：:]")


def _terms(glossary: str) -> dict[str, str]:
    """Each entry of a 名词解释 by its number: its term (1、一般公共预算拨款收入：… → 一般公共预算拨款收入)."""
    out = {}
    for line in glossary.splitlines():
        m = _ENTRY.match(line)
        if m:
            out.setdefault(m.group(1), m.group(2).strip())
    return out


def glossary_changes(glossary: str, default: str) -> str:
    """Where a publication's 名词解释 differs from the region's, term by term, in words: a term worded
    otherwise, a term the region's has not (under the number of one it lacks: renamed), a term left out."""
    ours = {line.strip() for line in default.splitlines() if line.strip()}
    theirs, regional = _terms(glossary), _terms(default)
    kept = set(theirs.values()) & set(regional.values())
    changed, renamed = [], set()
    for line in glossary.splitlines():
        m = _ENTRY.match(line)
        if not m or line.strip() in ours:
            continue
        number, term = m.group(1), m.group(2).strip()
        was = regional.get(number)
        if term in kept:
            changed.append(f"“{term}”措辞不同")
        elif was and was not in kept:
            renamed.add(was)
            changed.append(f"“{term}”（本地区为“{was}”）")
        else:
            changed.append(f"“{term}”（本地区没有）")
    missing = [f"“{v}”" for v in regional.values() if v not in kept and v not in renamed]
    if missing:
        changed.append("没有" + "、".join(missing))
    return "，".join(changed) if changed else "措辞不同"


def wording(builder, n: Narrative, d: dict) -> dict:
    """The region's wording where the text words it otherwise than templates/wording.yaml, and the
    sections it leaves out (a publication with no 三公 table or section: omit sangong); each reported."""
    default = region_wording()
    level = d["government_level"].value if isinstance(d["government_level"], Said) else d["government_level"]
    word = "部门" if not builder.alone or builder.department_only else "单位"
    scopes = builder.doc.scopes
    out: dict = {}
    omit = [] if any("三公" in t for s in scopes for t in s.titles) or any(
        "三公" in (line.section or "") for s in scopes for line in s.paragraphs) else ["sangong"]
    if "legal_basis" in n.wording and n.wording["legal_basis"] is None:
        omit.insert(0, "legal_basis")
    name = builder.department.name

    def note(text: str) -> None:
        builder.note("wording", name, text)

    if omit:
        out["omit"] = Said(omit, "公开文件没有这些部分")
        words = {"sangong": "“三公”经费一节和表", "legal_basis": "开头的依据句"}
        note(f"公开文件没有{'、'.join(words[k] for k in omit)}：写了 wording.omit（{', '.join(omit)}），这些部分不印。")
    basis = n.wording.get("legal_basis")
    if basis and basis != default["legal_basis"]:
        out["legal_basis"] = Said(basis, "情况说明开头的依据句")
        note(f"依据句“{_short(basis)}”与本地区默认的不同：写入 wording.legal_basis。")
    if builder.fmt != "xlsx" and n.wording.get("no_project_targets") and n.wording["no_project_targets"] != \
            default["no_project_targets"].replace("{word}", word):
        out["no_project_targets"] = Said(n.wording["no_project_targets"], "情况说明“预算项目绩效目标”")
        note(f"“预算项目绩效目标”下的说明“{_short(n.wording['no_project_targets'])}”与本地区默认的不同："
             "写入 wording.no_project_targets。")
    glossary = n.wording.get("glossary")
    regional = default["glossary"].replace("{level}", str(level))
    if glossary and glossary != regional:
        out["glossary"] = glossary
        note(f"名词解释与本地区的不同：{glossary_changes(glossary, regional)}。整段写入 wording.glossary。")
    return out


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 40 else text[:40] + "……"
