"""The parts of the .docx package around the document: true properties, Chinese language, fonts.

- docProps/app.xml says budgetpub and its version made the file (not the Word
  that made python-docx's default template), and its page count only when a
  layout gave one; the default template's thumbnail (a picture of another
  document) is dropped, and so is word/stylesWithEffects.xml (Word 2010's
  optional copy of the styles, which no longer agreed with styles.xml);
- docProps/core.xml: title, creator budgetpub, language zh-CN, the dates of
  ``epoch()``, and the git revision of the sources (cp:version) when known;
- word/settings.xml: no ``updateFields`` (Word would ask to update fields at
  every opening; the contents are written by generator/document/toc.py), theme font
  language zh-CN;
- word/styles.xml: East Asian language zh-CN in the document defaults;
- word/fontTable.xml: 宋体, 仿宋 and 黑体 with their Latin names (SimSun,
  FangSong, SimHei) as altName and the GB2312 character set, so that a
  machine without them picks a Chinese face.

Dates (see docs/formats.md): SOURCE_DATE_EPOCH when set (integer seconds up to the end
of 2107, the last year a zip entry can hold; zip entries before 1980 say
1980); else the commit time of the sources' git revision when they have no
uncommitted change (so a build at ``--rev`` equals a build of a checkout of
it); else 2000-01-01.
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from xml.sax.saxutils import escape

from generator.errors import OutputError

DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z
ZIP_MIN, ZIP_MAX = 315532800, 4354819199  # 1980-01-01 .. 2107-12-31T23:59:59Z, what a zip entry can hold
ZIP64_FROM = (1 << 31) - 1  # an entry this large needs zip64 headers, which zipfile.open must be told of
THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"

FONTS = {  # name: (altName, panose, family, pitch)
    "宋体": ("SimSun", "02010600030101010101", "auto", "variable"),
    "仿宋": ("FangSong", "02010609060101010101", "modern", "fixed"),
    "黑体": ("SimHei", "02010609060101010101", "modern", "fixed"),
}


def version() -> str:
    try:
        from importlib.metadata import version as v
        return v("budgetpub")
    except Exception:  # running from a checkout that is not installed
        return "0"


def epoch(revision=None) -> int:
    """Seconds since 1970 for the dates written into the file (see the module docstring)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is not None and value.strip() != "":
        text = value.strip()
        if not re.fullmatch(r"[0-9]+", text) or int(text) > ZIP_MAX:
            raise OutputError(f"环境变量 SOURCE_DATE_EPOCH 应为 0 到 {ZIP_MAX} 之间的整数秒（1970 年至 2107 年底；"
                              f"docx 的 zip 格式记录不了更晚的日期），而不是 “{value}”。")
        return int(text)
    when = getattr(revision, "time", 0) if revision is not None and not getattr(revision, "dirty", True) else 0
    if when:  # when the sources were committed (gitsrc.Revision)
        return min(when, ZIP_MAX)
    return DEFAULT_EPOCH


def _app_xml(pages: int | None) -> bytes:
    extra = f"<Pages>{pages}</Pages>" if pages else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"{extra}<Application>budgetpub/{escape(version())}</Application><DocSecurity>0</DocSecurity>"
            "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            "<HyperlinksChanged>false</HyperlinksChanged></Properties>").encode("utf-8")


def _core_xml(text: str, title: str, stamp: str, revision: str | None = None) -> str:
    def put(tag: str, value: str, attrs: str = "") -> None:
        nonlocal text
        pattern = rf"<{tag}(\s[^>]*)?/>|<{tag}(\s[^>]*)?>[^<]*</{tag}>"
        new = f"<{tag}{attrs}>{escape(value)}</{tag}>"
        if re.search(pattern, text):
            text = re.sub(pattern, lambda m: new, text, count=1)
        else:
            text = text.replace("</cp:coreProperties>", new + "</cp:coreProperties>")
    put("dc:title", title)
    put("dc:creator", "budgetpub")
    put("cp:lastModifiedBy", "budgetpub")
    put("dc:language", "zh-CN")
    put("cp:revision", "1")
    if revision:  # the git revision of the sources (gitsrc.Revision.identifier)
        put("cp:version", revision)
    put("dcterms:created", stamp, ' xsi:type="dcterms:W3CDTF"')
    put("dcterms:modified", stamp, ' xsi:type="dcterms:W3CDTF"')
    text = re.sub(r"<cp:lastPrinted>[^<]*</cp:lastPrinted>", "", text)
    return text


def _settings(text: str) -> str:
    text = re.sub(r"<w:updateFields[^>]*/>", "", text)
    return re.sub(r"<w:themeFontLang [^>]*/>", '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>', text)


def _style_block(text: str, style_id: str) -> re.Match | None:
    return re.search(rf'<w:style [^>]*w:styleId="{re.escape(style_id)}"[^>]*>.*?</w:style>', text, flags=re.S)


def _styles(text: str, looks: dict[str, str] | None = None) -> str:
    """zh-CN and the Chinese default font; each style of ``looks`` given the paragraph and run
    properties of the style named beside it (tables.AMOUNT_LOOK), when the template has both."""
    def defaults(m):
        block = re.sub(r"<w:lang [^>]*/>", '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>', m.group(0))
        return re.sub(r"<w:rFonts [^>]*/>", '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
                      'w:eastAsia="宋体" w:cs="Times New Roman"/>', block)
    text = re.sub(r"<w:docDefaults>.*?</w:docDefaults>", defaults, text, count=1, flags=re.S)
    for style, look in (looks or {}).items():
        target, source = _style_block(text, style), _style_block(text, look)
        if target is None or source is None:
            continue
        properties = "".join(re.findall(r"<w:pPr>.*?</w:pPr>|<w:pPr/>|<w:rPr>.*?</w:rPr>|<w:rPr/>",
                                        source.group(0), flags=re.S))
        block = re.sub(r"<w:pPr>.*?</w:pPr>|<w:pPr/>|<w:rPr>.*?</w:rPr>|<w:rPr/>", "", target.group(0), flags=re.S)
        block = block.replace("</w:style>", properties + "</w:style>")
        text = text[:target.start()] + block + text[target.end():]
    return text


def _font_table(text: str) -> str:
    for name, (alt, panose, family, pitch) in FONTS.items():
        entry = (f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
                 f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
        text = re.sub(rf'<w:font w:name="{name}">.*?</w:font>', "", text, flags=re.S)
        text = text.replace("</w:fonts>", entry + "</w:fonts>")
    return text


def zip_entry(name: str, epoch_seconds: int) -> zipfile.ZipInfo:
    """An entry as budgetpub writes every one: dated ``epoch_seconds`` (as a zip entry can hold it),
    deflated, readable by all."""
    entry = zipfile.ZipInfo(name, time.gmtime(min(max(epoch_seconds, ZIP_MIN), ZIP_MAX))[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def read_parts(docx: bytes) -> list[tuple[str, bytes]]:
    """A package's parts, (name, bytes) in entry order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return [(info.filename, z.read(info)) for info in z.infolist()]


def finish(parts: list[tuple[str, bytes | list]], title: str, epoch_seconds: int, pages: int | None = None,
           revision: str | None = None, looks: dict[str, str] | None = None) -> bytes:
    """The package with true properties, zh-CN, the font table, fixed dates and a fixed entry order,
    compressed. A part's data may be a list of pieces (bytes-like), written one after another."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in finished_parts(parts, title, epoch_seconds, pages, revision, looks):
            entry = zip_entry(name, epoch_seconds)
            if isinstance(data, list):
                with dst.open(entry, "w", force_zip64=sum(len(p) for p in data) > ZIP64_FROM) as f:
                    for piece in data:
                        f.write(piece)
            else:
                dst.writestr(entry, data)
    return out.getvalue()


def finished_parts(parts: list[tuple[str, bytes | list]], title: str, epoch_seconds: int, pages: int | None = None,
                   revision: str | None = None, looks: dict[str, str] | None = None):
    """The parts as ``finish`` writes them, (name, data) in entry order: what a layout of the
    package sees (formats/layout.py lays parts of the document out with them)."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_seconds))
    for name, data in parts:
        if name in ("docProps/thumbnail.jpeg", "word/stylesWithEffects.xml"):
            continue
        if name == "docProps/app.xml":
            data = _app_xml(pages)
        elif name == "docProps/core.xml":
            data = _core_xml(data.decode("utf-8"), title, stamp, revision).encode("utf-8")
        elif name == "word/settings.xml":
            data = _settings(data.decode("utf-8")).encode("utf-8")
        elif name == "word/styles.xml":
            data = _styles(data.decode("utf-8"), looks).encode("utf-8")
        elif name == "word/fontTable.xml":
            data = _font_table(data.decode("utf-8")).encode("utf-8")
        elif name == "_rels/.rels":
            data = re.sub(rf'<Relationship [^>]*Type="{re.escape(THUMBNAIL_REL)}"[^>]*/>', "",
                          data.decode("utf-8")).encode("utf-8")
        elif name == "[Content_Types].xml":
            text = re.sub(r'<Default Extension="jpeg"[^>]*/>', "", data.decode("utf-8"))
            data = re.sub(r'<Override PartName="/word/stylesWithEffects.xml"[^>]*/>', "", text).encode("utf-8")
        elif name == "word/_rels/document.xml.rels":
            data = re.sub(r'<Relationship [^>]*Target="stylesWithEffects.xml"[^>]*/>', "",
                          data.decode("utf-8")).encode("utf-8")
        yield name, data
