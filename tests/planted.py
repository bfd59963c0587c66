"""Defects planted in a copy of a generated publication (899/2024), each the way a clerk's edit or a
template leftover makes it: by editing word/document.xml's text, never through the code under test.

``DEFECTS``: name → (edit of the .docx, what the verifier must report: code, the part, words of the
place). ``plant(docx, names)`` applies several; ``drop_table`` deletes a table with its title, caption
and note; ``contents_as_text`` turns the contents field into plain paragraphs (a PDF made from it keeps
its page numbers as typed), and ``shift_contents_page`` moves one of them by one.
"""

from __future__ import annotations

import io
import re
import zipfile

DEPT = "示例市示例区文化和旅游局"
OWN = "示例市示例区文化和旅游局本级"
CENTRE = "示例市示例区文化馆"


def _xml_edit(docx: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def _body_start(xml: str) -> int:
    """After the table of contents (its entries repeat the headings)."""
    last = max(xml.rfind('<w:pStyle w:val="toc'), xml.rfind('<w:pStyle w:val="TOC'))
    return xml.index("</w:p>", last) if last >= 0 else 0


def edit(docx: bytes, anchors: list[str], old: str, new: str) -> bytes:
    """Replace the first ``old`` after each anchor in turn, in the body (after the contents)."""
    def change(xml: str) -> str:
        pos = _body_start(xml)
        for anchor in anchors:
            pos = xml.index(anchor, pos) + len(anchor)
        at = xml.index(old, pos)
        return xml[:at] + new + xml[at + len(old):]
    return _xml_edit(docx, change)


def drop_table(docx: bytes, anchors: list[str], title: str) -> bytes:
    """Delete the table titled ``title`` (after the anchors): its title, its caption line, the table
    and the note under it."""
    def change(xml: str) -> str:
        pos = _body_start(xml)
        for anchor in anchors:
            pos = xml.index(anchor, pos) + len(anchor)
        at = xml.index(title, pos)
        start = xml.rindex("<w:p>", 0, at) if xml.rfind("<w:p>", 0, at) > xml.rfind("<w:p ", 0, at) \
            else xml.rindex("<w:p ", 0, at)
        end = xml.index("</w:tbl>", xml.index("</w:tbl>", at) + 1) + len("</w:tbl>")  # caption, then the table
        note = re.match(r"\s*<w:p[ >](?:(?!</w:p>).)*?注：(?:(?!</w:p>).)*</w:p>", xml[end:], re.S)
        if note:
            end += note.end()
        return xml[:start] + xml[end:]
    return _xml_edit(docx, change)


def contents_as_text(docx: bytes) -> bytes:
    """The contents field's result kept as plain paragraphs: no field a layout would update."""
    def change(xml: str) -> str:
        begin = xml.index('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC')
        sep = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        after = xml.index(sep, begin) + len(sep)
        end_tag = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        end = xml.index(end_tag, after)
        return xml[:begin] + xml[after:end] + xml[end + len(end_tag):]
    return _xml_edit(docx, change)


def shift_contents_page(docx: bytes, entry: str) -> tuple[bytes, str, str]:
    """The contents' page number of ``entry`` one more; (the document, the old number, the new)."""
    found = {}

    def change(xml: str) -> str:
        m = re.search(re.escape(entry) + r'</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">([0-9]+)</w:t>',
                      xml)
        found["old"], found["new"] = m.group(1), str(int(m.group(1)) + 1)
        return xml[:m.start(1)] + found["new"] + xml[m.end(1):]
    out = _xml_edit(docx, change)
    return out, found["old"], found["new"]


# name: (edit, (code, scope, words in the place reported))
DEFECTS = {
    "narrative figure off by 0.01": (
        lambda d: edit(d, ["二、部门预算安排的总体情况"], "预算收入为812.09", "预算收入为812.10"),
        ("narrative", DEPT, "二、部门预算安排的总体情况")),
    "a 合计 off": (
        lambda d: edit(d, ["部门预算一般公共预算财政拨款支出表", ">合计<"], ">668.59<", ">668.60<"),
        ("table.total", DEPT, "部门预算一般公共预算财政拨款支出表")),
    "a 三公 sum wrong": (
        lambda d: edit(d, ["部门预算财政拨款“三公”经费支出表", "二、公务用车购置及运维费"], ">22.80<", ">22.90<"),
        ("table.total", DEPT, "部门预算财政拨款“三公”经费支出表")),
    "XX in the text": (
        lambda d: edit(d, ["一、部门职责及机构设置情况", "部门职责："], "（一）", "（一）XX"),
        ("wording.placeholder", DEPT, "一、部门职责及机构设置情况")),
    "a wrong year in a heading": (
        lambda d: edit(d, ["第一部分 部门预算"], f"{DEPT}2024年部门预算信息公开情况说明",
                       f"{DEPT}2023年部门预算信息公开情况说明"),
        ("year", DEPT, f"{DEPT}2023年部门预算信息公开情况说明")),
    "an empty table without its note": (
        lambda d: edit(d, [f"一、{OWN}收支预算", "单位预算政府性基金预算财政拨款支出表"],
                       "注：无政府性基金预算财政拨款预算，空表列示。", ""),
        ("note.empty", OWN, "单位预算政府性基金预算财政拨款支出表")),
    "a direction word contradicting its figures": (
        lambda d: edit(d, ["四、财政拨款“三公”经费预算情况及增减变化原因"], "比上年减少3.00万元", "比上年增加3.00万元"),
        ("direction", DEPT, "四、财政拨款“三公”经费预算情况及增减变化原因")),
}
DELETED = (lambda d: drop_table(d, [f"二、{CENTRE}收支预算"], "单位预算一般公共预算财政拨款支出表"),
           ("structure.table", CENTRE, "收支预算"))


def plant(docx: bytes, names=None) -> bytes:
    for name in names or DEFECTS:
        docx = DEFECTS[name][0](docx)
    return docx


def reported(result, expected) -> list:
    """The findings of ``result`` that report ``expected`` (code, scope, words of the place)."""
    code, scope, words = expected
    return [d for d in result.disagreements if d.code == code and d.scope == scope and words in d.where]
