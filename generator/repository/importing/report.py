"""The import's report, in Chinese: what was read (tables and parts), what could not be placed and why,
what the clerk should confirm, and the publication's own contradictions (found by the verifier:
the tables' figures are imported, the text's differing figure is named here, never imported)."""

from __future__ import annotations

from generator.verify import verify_document

from .source import Source

_FORMATS = {"docx": "Word 文件", "pdf": "PDF 文件", "xlsx": "Excel 工作簿"}


# the verifier's findings about what a publication holds and how it is worded, not about its figures
_NOT_FIGURES = ("structure", "note", "contents", "year", "wording", "pdf")


def contradictions(source: Source) -> list[str]:
    """The verifier's disagreements of figures on the publication as read: where it contradicts itself
    (a table against another, the text against the tables)."""
    result = verify_document(source.doc)
    return [d.format() for d in result.errors if not d.code.split(".")[0] in _NOT_FIGURES]


def format_report(result) -> str:
    imported, source = result.imported, result.source
    doc = source.doc
    names = "、".join(s.name for s in doc.scopes)
    lines = [f"导入：{_FORMATS.get(source.format, source.format)}，{len(doc.scopes)} 个部分（{names}）。"]
    read = [s for s in doc.seen if s.read]
    skipped = [s for s in doc.seen if not s.read]
    lines.append(f"读取了 {len(read)} 张表格" + (f"，跳过 {len(skipped)} 张：" if skipped else "。"))
    lines += [f"  {s.scope}：{s.title}（{s.reason}）" for s in skipped]
    lines.append(f"写入 {result.target}：" + "、".join(p.name for p in result.files))
    groups = (("unplaced", "未能写入（公开文件没有给出，或没有对应的写法）"),
              ("confirm", "请核实（已写入，标有“# 待核实”）"),
              ("contradiction", "公开文件的文字与表格对不上"),
              ("wording", ("公开文件自己的措辞（写入 department.yaml 的 wording，代替本地区 templates/wording.yaml 的措辞；"
                           "要用本地区的措辞时删去）")))
    for kind, title in groups:
        items = [f for f in imported.findings if f.kind == kind]
        if items:
            lines.append(f"{title}：")
            lines += [f"  {f.scope}：{f.text}" for f in items]
    if result.contradictions:
        lines.append("公开文件自身的不一致（按表格的数导入；文字中不同的数未导入，请核对原文件）：")
        lines += ["  " + c.replace("\n", "\n  ") for c in result.contradictions]
    return "\n".join(lines)
