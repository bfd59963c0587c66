"""A region's run (region.py) as a report: for the terminal, as JSON, as an HTML page a bureau reads
(one row per department, each finding linked to its page of the PDF).

Everything a document says is escaped: a department's name or a cell's text is shown, never run.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from urllib.parse import quote

from .findings import CHECKS, ERROR
from .region import Outcome, Run


def _summary(run: Run) -> str:
    total = len(run.outcomes)
    unreadable = len(run.unreadable)
    failed = sum(1 for o in run.outcomes if o.result is not None and run.failed(o))
    warned = sum(1 for o in run.outcomes if o.result is not None and not run.failed(o) and o.result.disagreements)
    passed = total - unreadable - failed
    return (f"共 {total} 份：通过 {passed} 份（其中有警告 {warned} 份），有错误 {failed} 份，无法读取 {unreadable} 份。")


def text(run: Run, tables: bool = False) -> str:
    lines: list[str] = []
    many = len(run.outcomes) > 1
    for o in run.outcomes:
        if many:
            lines.append(f"== {o.path}")
        if o.result is None:
            lines.append(f"错误：{o.error}")
        else:
            lines.append(o.result.format(tables))
        if many:
            lines.append("")
    if many:
        lines.append(_summary(run))
    return "\n".join(lines)


def _file_json(o: Outcome) -> dict:
    if o.result is None:
        return {"path": o.path, "ok": False, "error": o.error}
    return {"path": o.path, **o.result.to_json()}


def as_json(run: Run, single: bool) -> str:
    if single and len(run.outcomes) == 1:
        data = _file_json(run.outcomes[0])
    else:
        data = {"ok": run.exit_code == 0, "exit_code": run.exit_code, "summary": _summary(run),
                "files": [_file_json(o) for o in run.outcomes],
                "checks": [{"code": c.code, "severity": c.severity, "title": c.title} for c in CHECKS.values()]}
    return json.dumps(data, ensure_ascii=False, indent=2)


_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } table.runs { border-collapse: collapse; width: 100%; }
table.runs th, table.runs td { border: 1px solid #bbb; padding: .35em .6em; vertical-align: top; text-align: left; }
table.runs th { background: #eee; } td.n { text-align: right; white-space: nowrap; }
tr.fail td.verdict { color: #b00; font-weight: bold; } tr.pass td.verdict { color: #070; }
tr.warn td.verdict { color: #a60; } tr.unread td.verdict { color: #b00; }
ul.findings { margin: .3em 0 0 1.2em; padding: 0; } ul.findings li { margin: .2em 0; }
.sev-错误 { color: #b00; } .sev-警告 { color: #a60; } code { font-size: .9em; color: #555; }
details { margin-top: .3em; } .muted { color: #777; }
"""


def _href(path: str, page: int | None, base: Path | None) -> str:
    target = Path(path)
    if base is not None:
        try:
            target = Path(os.path.relpath(target.resolve(), base.resolve()))
        except ValueError:  # another drive
            target = target.resolve()
    link = quote(target.as_posix())
    return link + (f"#page={page}" if page else "")


def as_html(run: Run, base: Path | None = None) -> str:
    """The report as a page; ``base``: the folder the page is written to (links are relative to it)."""
    e = html.escape
    rows = []
    for o in run.outcomes:
        if o.result is None:
            rows.append(f'<tr class="unread"><td>{e(Path(o.path).name)}</td><td colspan="3"><code>{e(o.path)}</code></td>'
                        f'<td class="n">–</td><td class="n">–</td><td class="verdict">无法读取</td></tr>'
                        f'<tr class="unread"><td></td><td colspan="6">{e(o.error)}</td></tr>')
            continue
        r = o.result
        cls = "fail" if run.failed(o) else "warn" if r.disagreements else "pass"
        verdict = {"fail": "有错误", "warn": "通过（有警告）", "pass": "通过"}[cls]
        items = []
        for d in r.disagreements:
            where = r.page_text(d.page)
            link = (f'<a href="{e(_href(o.path, d.page, base))}">{e(where)}</a>｜' if d.page else "")
            items.append(f'<li><span class="sev-{e(d.severity)}">{e(d.severity)}</span> <code>{e(d.code)}</code> '
                         f'{link}{e(d.format())}</li>')
        read = [s for s in r.seen if s.read]
        skipped = [s for s in r.seen if not s.read]
        seen = "".join(f"<li>{e(s.scope)}｜{e(s.title)}{('：' + e(s.reason)) if s.reason else ''}</li>" for s in read)
        skip = "".join(f"<li>{e(s.scope)}｜{e(s.title)}：{e(s.reason)}</li>" for s in skipped)
        details = (f'<ul class="findings">{"".join(items)}</ul>' if items else "")
        details += (f'<details><summary class="muted">识别并核对的表格 {len(read)} 张，跳过 {len(skipped)} 张</summary>'
                    f'<ul>{seen}</ul>' + (f'<p>跳过的表格：</p><ul>{skip}</ul>' if skip else "") + '</details>')
        units = max(0, len(r.scopes) - 1)
        rows.append(f'<tr class="{cls}"><td><a href="{e(_href(o.path, None, base))}">{e(Path(o.path).name)}</a></td>'
                    f'<td>{e(r.name)}{f"<br><span class=muted>及所属 {units} 个单位</span>" if units else ""}</td>'
                    f'<td>{e(str(r.year or ""))}</td><td>{e(r.fmt.upper())}</td>'
                    f'<td class="n">{len(r.errors)}</td><td class="n">{len(r.warnings)}</td>'
                    f'<td class="verdict">{verdict}</td></tr>'
                    f'<tr class="{cls}"><td></td><td colspan="6">{details or "<span class=muted>无问题</span>"}'
                    f'<div class="muted">共核对 {r.checks} 处</div></td></tr>')
    checks = "".join(f"<li><code>{e(c.code)}</code> {e(c.severity)}：{e(c.title)}</li>" for c in CHECKS.values())
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>部门预算公开核对报告</title>'
            f'<style>{_STYLE}</style></head><body><h1>部门预算公开核对报告</h1><p>{e(_summary(run))}</p>'
            f'<table class="runs"><thead><tr><th>文件</th><th>部门</th><th>年度</th><th>格式</th><th>错误</th>'
            f'<th>警告</th><th>结论</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<details><summary>核对的项目（{len(CHECKS)} 项）：{ERROR}使核对不通过，警告只列出</summary><ul>{checks}</ul>'
            f'</details></body></html>\n')
