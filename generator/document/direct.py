"""Direct rendering of the publication template: the same parts as docxtpl, in linear time.

docxtpl renders the body as text, parses it, then moves the parsed body into
python-docx's document: lxml fixes up namespaces once per moved attribute
against a cache that keeps growing, which makes large documents quadratic.
This module makes the package docxtpl + python-docx would save, part for part
the same bytes (render.finish() then gives the same publication:
tests/test_render_direct.py compares the two), but:

- the template is read, patched (docxtpl's patch_xml) and compiled by Jinja
  once (``Prepared.build``); the result is kept for the process (keyed by path,
  mtime and size) and on disk (keyed by the template's content and this code),
  so a one-department run does not even import docxtpl or python-docx;
- the whole document.xml is one Jinja template, rendered piece by piece
  straight into its zip entry and put on the way into the form lxml would
  serialize it in (``_canonical``): no element moves between documents, and
  memory does not grow with the size of the document;
- a context holding a character that docxtpl's resolve_listing turns into
  markup (tab, newline, \\a, \\f) or that XML cannot hold takes the parsed path
  instead: rendered whole, resolve_listing, parsed once, serialized;
- docxtpl passes this template does not need are skipped: fix_tables (only
  matters with cell-level tags, {%tc %}, colspan, hm) and fix_docpr_ids (only
  with pictures);
- the parts are handed on as they are, uncompressed (render.finish() compresses them once).

A template that uses a feature this path leaves out (cell-level tags,
footnotes, pictures, headers or footers with relationships) gets ``None`` from
``prepared_template`` and is rendered through docxtpl.

The disk cache lives in ``$BUDGETPUB_CACHE`` (``off`` disables it), else
``$XDG_CACHE_HOME/budgetpub`` or ``~/.cache/budgetpub``. It holds compiled
Jinja code, like Jinja's own bytecode cache: a file that cannot be read is
ignored, a directory that cannot be written is not used.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import marshal
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from generator.errors import visible

from . import sandbox
from .untrusted import read_template, template_errors, unusable

_FORMAT = 2  # bump when the prepared state changes shape


def environment() -> sandbox.TemplateEnvironment:
    """The sandbox every template runs in (sandbox.py): the packaged one and a repository's alike."""
    return sandbox.TemplateEnvironment()


_BODY_START = re.compile(r"<w:body(\s[^>]*)?>")
_LISTING_CHARS = re.compile(r"<w:t(?:\s[^>]*)?>[^<]*[\t\n\a\f]")
_CELL_TAGS = re.compile(r"{%-?\s*(?:tc\s|colspan\s|cellbg\s|hm\s*-?%})|{{-?\s*tc\s")
_START_BEFORE_JINJA = re.compile(r'<([A-Za-z_][\w.:-]*)(?:\s+[^\s=<>/]+="[^"]*")*>(?={)')
# an expression in an attribute would be escaped differently by the stream (&#34;): none but the widths
# (w:w="{{ doc.w.… }}", whole numbers: widths.py), which print the same either way
_EXPRESSION_IN_ATTRIBUTE = re.compile(r'(?<!w:w)="[^"<>]*{{')
# characters that docxtpl's resolve_listing turns into markup (\t \n \a \f), that lxml writes
# as a character reference (\r) or that XML does not allow: a context holding one takes the
# parsed path, which does exactly what docxtpl does
_SPECIAL = re.compile("[\x00-\x1f\ufffe\uffff]")
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_PIECE = 1 << 20


class Unsupported(Exception):
    """The template uses something the direct path does not reproduce."""


def _jinja_source(xml: str) -> str:
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)  # as docxtpl's render_xml_part


def _build_state(template: bytes) -> dict:
    """Everything rendering needs from the template (its bytes, as checked), as plain data (strings and bytes)."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docxtpl import DocxTemplate
    from lxml import etree

    tpl = DocxTemplate(io.BytesIO(template))
    document = Document(io.BytesIO(template))
    tpl.docx = document
    package = document.part.package

    # every entry in the order python-docx writes them, as python-docx writes them
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]

    # word/document.xml: the whole part as one Jinja template, the body patched as docxtpl does
    whole = etree.tostring(document.element, encoding="UTF-8", standalone=True).decode("utf-8")
    body = tpl.xml_to_string(document.element.body)
    head, tail = whole[:whole.find("<w:body")], whole[whole.rfind("</w:body>") + len("</w:body>"):]
    if _CELL_TAGS.search(body) or "docPr" in body or "{" in head + tail or not head or not tail:
        raise Unsupported("cell tags, pictures or tags outside the body")
    patched = tpl.patch_xml(body)
    start = _BODY_START.match(patched)
    if not start:
        raise Unsupported("patched body does not start with <w:body>")
    # the body's namespace declarations repeat the root's: lxml drops them when docxtpl
    # moves the body into the document, so they are dropped here too
    source = _jinja_source(head + "<w:body>" + patched[start.end():] + tail)

    # headers and footers: rendered like the body when they hold tags, else fixed bytes
    parts: dict[str, str] = {}
    fixed: dict[str, bytes] = {}
    for rel in document.part.rels.values():
        if rel.is_external or rel.reltype not in (RT.HEADER, RT.FOOTER):
            continue
        part = rel.target_part
        if len(part.rels):
            raise Unsupported("header or footer with relationships")
        name = part.partname.lstrip("/")
        xml = _jinja_source(tpl.patch_xml(tpl.get_part_xml(part)))
        if "{" in xml:
            parts[name] = xml
        else:
            fixed[name] = _serialize_part(Prepared._listing(_unjinja(xml)))
    if any(p.content_type.endswith(".footnotes+xml") for p in package.iter_parts()):
        raise Unsupported("footnotes")

    # core properties: python-docx sets the six string properties docxtpl renders; each value
    # is marked, so that a render only puts its values in the places python-docx made
    core_part = package._core_properties_part
    core = core_part.core_properties
    properties = [(p, getattr(core, p)) for p in _PROPERTIES]
    for i, (p, _) in enumerate(properties):
        setattr(core, p, f"\ue000{i}\ue001")
    core_template = core_part.blob.decode("utf-8")

    document_name = document.part.partname.lstrip("/")
    core_name = core_part.partname.lstrip("/")
    names = [n for n, _ in entries]
    if document_name not in names or core_name not in names:
        raise Unsupported("unexpected package layout")
    return {
        "format": _FORMAT, "entries": entries, "document_name": document_name, "source": source,
        "parts": parts, "fixed": fixed, "core_name": core_name, "core_template": core_template,
        "properties": properties,
        # streaming needs every expression in element text and no character resolve_listing changes
        "streamable": not (_EXPRESSION_IN_ATTRIBUTE.search(source)
                           or re.search(r"<w:t(?:\s[^>]*)?>[^<]*[\x00-\x1f]", source)),
        # an element can only be left empty by Jinja if its content starts with a tag or an
        # expression: <w:t xml:space="preserve">{{ r[3] }}</w:t> for a blank cell; lxml writes <x/>
        "empty_elements": sorted({(m.group(0) + "</" + m.group(1) + ">", m.group(0)[:-1] + "/>")
                                  for m in _START_BEFORE_JINJA.finditer(source)}),
    }


def _unjinja(xml: str) -> str:
    xml = xml.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
    return xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")


def _serialize_part(xml: str) -> bytes:
    """As python-docx stores a header or footer docxtpl replaced: parsed, then serialized."""
    from lxml import etree

    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # python-docx's
    return etree.tostring(etree.fromstring(xml.encode("utf-8"), parser), encoding="UTF-8", standalone=True)


def _has_special_characters(value) -> bool:
    if isinstance(value, str):
        return _SPECIAL.search(value) is not None
    if isinstance(value, dict):
        return any(_has_special_characters(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_special_characters(v) for v in value)
    return False


def _piece_end(text: str) -> int:
    """Where a piece may end: before the last start tag (and the newline before it)."""
    i = text.rfind("<")
    while i > 0 and text.startswith("</", i):
        i = text.rfind("<", 0, i)
    if i > 0 and text[i - 1] == "\n":
        i -= 1
    return max(i, 0)


class Prepared:
    """One template, ready to render many publications."""

    def __init__(self, state: dict, codes: dict | None = None):
        codes = {} if codes is None else codes  # filled with the compiled code when empty
        self.env = environment()
        self.state = state
        self.entries = state["entries"]
        self.document_name = state["document_name"]
        self.core_name = state["core_name"]
        self.streamable = state["streamable"]
        self.empty_elements = state["empty_elements"]
        # each part compiled under its own name: an error in it is reported at its part and line
        self.sources = {self.document_name: state["source"], **state["parts"]}
        self.document = self._template("document", state["source"], codes, self.document_name)
        self.parts = {name: self._template(f"part:{name}", xml, codes, name) for name, xml in state["parts"].items()}
        self.properties = [(p, self._template(f"property:{p}", initial, codes, f"{self.core_name}（{p}）"))
                           for p, initial in state["properties"]]

    def _template(self, key: str, source: str, codes: dict, name: str):
        code = codes.get(key)
        if code is None:
            code = codes[key] = self.env.compile(source, filename=name)
        return self.env.template_class.from_code(self.env, code, self.env.make_globals(None))

    # -------------------------------------------------------------- rendering

    @staticmethod
    def _listing(xml: str) -> str:
        if _LISTING_CHARS.search(xml):
            from docxtpl import DocxTemplate

            xml = DocxTemplate.resolve_listing(None, xml)
        return xml

    def _rendered_xml(self, template, context: dict) -> str:
        return self._listing(_unjinja(template.render(context)))

    def _document(self, context: dict) -> bytes:
        from lxml import etree

        xml = self._rendered_xml(self.document, context)
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True, huge_tree=True))
        return etree.tostring(root, encoding="UTF-8", standalone=True)

    def _core(self, context: dict) -> bytes:
        values = [template.render(context) for _, template in self.properties]
        if any(len(v) > 255 or _SPECIAL.search(v) for v in values):
            return self._core_python_docx(values)  # python-docx's own checks and escaping
        text = self.state["core_template"]
        for i, value in enumerate(values):
            text = text.replace(f"\ue000{i}\ue001",
                                value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        return text.encode("utf-8")

    def _core_python_docx(self, values: list[str]) -> bytes:
        from docx.opc.packuri import PackURI
        from docx.opc.parts.coreprops import CorePropertiesPart

        blob = dict(self.entries)[self.core_name]
        part = CorePropertiesPart.load(PackURI("/" + self.core_name), "", blob, None)
        for (name, _), value in zip(self.properties, values):
            setattr(part.core_properties, name, value)
        return part.blob

    def _canonical(self, text: str) -> str:
        text = text.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
        if "_" in text:
            text = text.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        text = text.replace("&#34;", '"').replace("&#39;", "'")
        for empty, closed in self.empty_elements:
            text = text.replace(empty, closed)
        return text

    def _document_stream(self, context: dict, out) -> None:
        """Render document.xml straight into the zip entry ``out``, in pieces of about 1 MB.

        The text is put in the form lxml would serialize it in (what the parsed path
        gives): Jinja's &#34; and &#39; become " and ' (every expression is in element
        text, never in an attribute: checked when the template is prepared) and an
        element left empty is written <x/>. A piece ends before a start tag, so that
        neither an entity nor an empty element nor a "\\n<w:p" is ever cut in two."""
        pending: list[str] = []
        size = 0
        carry = ""
        for chunk in self.document.generate(context):
            pending.append(chunk)
            size += len(chunk)
            if size < _PIECE:
                continue
            text = carry + "".join(pending)
            cut = _piece_end(text)
            out.write(self._canonical(text[:cut]).encode("utf-8"))
            carry, pending, size = text[cut:], [], 0
        out.write(self._canonical(carry + "".join(pending)).encode("utf-8"))

    def render_parts(self, context: dict) -> list[tuple[str, bytes]]:
        """The package's parts as docxtpl saves them, in its entry order: (name, bytes).

        The document is rendered piece by piece into one buffer: the only copy of it held."""
        stream = self.streamable and not _has_special_characters(context)
        rendered = dict(self.state["fixed"])
        rendered[self.core_name] = self._core(context)
        if stream:
            buffer = io.BytesIO()
            self._document_stream(context, buffer)
            rendered[self.document_name] = buffer.getvalue()  # the buffer's own bytes, not a copy
            del buffer
        else:
            rendered[self.document_name] = self._document(context)
        for name, template in self.parts.items():
            rendered[name] = _serialize_part(self._rendered_xml(template, context))
        return [(name, rendered.get(name, data)) for name, data in self.entries]


# ------------------------------------------------------------ caches

def cache_dir() -> Path | None:
    value = os.environ.get("BUDGETPUB_CACHE")
    if value is not None:
        return None if value.strip().lower() in ("", "off", "0", "no") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "budgetpub"


@functools.lru_cache(maxsize=1)
def _dependency_stamp() -> str:
    """This code and the docxtpl / python-docx / Jinja it reproduces, without importing them."""
    stamp = [sys.implementation.cache_tag or "", str(_FORMAT)]
    stamp += [hashlib.sha256(Path(module).read_bytes()).hexdigest() for module in (__file__, sandbox.__file__)]
    # find_spec of a top-level package does not import it (of a submodule, it would)
    for package, file in (("docxtpl", "template.py"), ("docx", "opc/package.py"), ("jinja2", "compiler.py"),
                          ("markupsafe", "__init__.py")):
        spec = importlib.util.find_spec(package)
        origin = Path(spec.origin).parent / file if spec and spec.origin else None
        if origin and origin.exists():
            st = origin.stat()
            stamp.append(f"{origin}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(stamp)


def _load_cached(path: Path) -> tuple[dict, dict] | None:
    try:
        state, codes = marshal.loads(path.read_bytes())
        if state.get("format") != _FORMAT:
            return None
        return state, codes
    except Exception:  # missing, unreadable, truncated or from another Python: prepare again
        return None


def _store_cached(path: Path, state: dict, codes: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".prepared.", dir=path.parent)
    except OSError:  # a read-only home: the cache is only an optimisation
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps((state, codes)))
        os.replace(tmp, path)
    except OSError:  # a full disk
        try:
            os.unlink(tmp)
        except OSError:
            pass


_PREPARED: dict[str, Prepared | None] = {}


def prepared_template(template: Path) -> Prepared | None:
    """The template ready to render, once per process and on disk (keyed by its content); None: the
    template needs docxtpl. The file is read once and checked (untrusted.read_template): what is
    prepared is what was checked. Whatever is wrong with it is a TemplateUnusable naming it."""
    data = read_template(template)
    digest = hashlib.sha256(data + _dependency_stamp().encode("utf-8")).hexdigest()
    if digest in _PREPARED:
        return _PREPARED[digest]
    directory = cache_dir()
    cached = None
    if directory is not None:
        cached = directory / f"prepared-{digest[:32]}.marshal"
        hit = _load_cached(cached)
        if hit is not None:
            _PREPARED[digest] = Prepared(*hit)
            return _PREPARED[digest]
    with template_errors(template):
        try:
            state = _build_state(data)
        except Unsupported:
            _PREPARED[digest] = None
            return None
        except Exception as exc:  # python-docx or docxtpl could not read it: not a Word file it understands
            raise unusable(template, "template.not-docx",
                           f"模板不是可用的 Word 文件（.docx）：{visible(type(exc).__name__)}。") from None
    codes: dict = {}
    with template_errors(template, {state["document_name"]: state["source"], **state["parts"]}):
        _PREPARED[digest] = Prepared(state, codes)
    if cached is not None:
        _store_cached(cached, state, codes)
    return _PREPARED[digest]
