"""Every template runs in the sandbox (generator/document/sandbox.py), the packaged one and a budget
repository's own: random templates, built from the pieces escapes are made of, never reach an
attribute whose name starts with ``_``, never print what such an attribute holds, and end either
rendered or with one error naming the template.

Reaching is watched where it happens: every attribute and item the template code asks for goes
through the environment's getattr/getitem (Jinja's compiled code, the filters attr and map,
str.format's fields), which the tests wrap to check what they hand back.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Mapping
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2.runtime import Undefined

import generator.document.render as render
from generator.document import sandbox
from generator.document.direct import environment
from generator.document.untrusted import TemplateUnusable
from generator.resources import TEMPLATE

SECRET = "SECRET-7f3a9c"


class Trap:
    """A context value whose private attributes hold the secret."""

    _secret = SECRET
    __slots_secret__ = SECRET
    name = "陷阱"

    def __init__(self):
        self._own = SECRET

    def method(self):
        return "method"


def reached(obj, name, value) -> bool:
    """Whether the template got the value of ``obj``'s private attribute ``name`` (data of a mapping is not one)."""
    if not (isinstance(name, str) and name.startswith("_")):
        return False
    if isinstance(obj, Mapping) and name in obj:
        return False
    return not isinstance(value, Undefined)


@pytest.fixture
def watched(monkeypatch):
    seen = []

    def getattr_(self, obj, attribute, _original=sandbox.TemplateEnvironment.getattr):
        value = _original(self, obj, attribute)
        seen.append((type(obj).__name__, attribute, reached(obj, attribute, value)))
        return value

    def getitem_(self, obj, argument, _original=sandbox.TemplateEnvironment.getitem):
        value = _original(self, obj, argument)
        seen.append((type(obj).__name__, argument, reached(obj, argument, value)))
        return value

    monkeypatch.setattr(sandbox.TemplateEnvironment, "getattr", getattr_)
    monkeypatch.setattr(sandbox.TemplateEnvironment, "getitem", getitem_)
    return seen


ATTRIBUTES = ["_secret", "_own", "__slots_secret__", "__class__", "__dict__", "__globals__", "__init__", "__mro__",
              "__subclasses__", "__base__", "__bases__", "__builtins__", "__code__", "__func__", "__self__",
              "__getattribute__", "__reduce_ex__", "__closure__", "_TemplateReference__context", "_Namespace__attrs",
              "_environment", "_func", "gi_frame", "f_globals", "mro", "name", "year", "n", "format", "format_map",
              "startswith", "items", "method", "keys", "get", "next", "cycle", "append"]
NAMES = ["doc", "scopes", "trap", "cycler", "joiner", "namespace", "range", "dict", "loop", "self", "x", "caller",
         "'文字'", "''", "()", "[]", "{}", "1"]
FORMATS = ["{0.__class__}", "{0._secret}", "{0.__init__.__globals__}", "{0[_secret]}", "{0.name}", "{x._own}"]

attribute = st.sampled_from(ATTRIBUTES)
expression = st.recursive(
    st.sampled_from(NAMES),
    lambda inner: st.one_of(
        st.builds(lambda e, a: f"{e}.{a}", inner, attribute),
        st.builds(lambda e, a: f"{e}[{a!r}]", inner, attribute),
        st.builds(lambda e, a: f"({e}|attr({a!r}))", inner, attribute),
        st.builds(lambda e, a: f"({e}|map(attribute={a!r})|list)", inner, attribute),
        st.builds(lambda e: f"{e}()", inner),
        st.builds(lambda f, e: f"{f!r}.format({e}, x={e})", st.sampled_from(FORMATS), inner),
        st.builds(lambda f, e: f"{f!r}.format_map({{'x': {e}}})", st.sampled_from(FORMATS), inner),
        st.builds(lambda e: f"({e}|string)", inner),
        st.builds(lambda e: f"({e}|list)", inner),
    ),
    max_leaves=6)
piece = st.one_of(
    st.builds(lambda e: "{{ " + e + " }}", expression),
    st.builds(lambda e: "{% for x in " + e + " %}{{ x }}{% endfor %}", expression),
    st.builds(lambda e: "{% set y = " + e + " %}{{ y }}", expression),
    st.builds(lambda e: "{% macro m(a) %}{{ a }}{{ caller() }}{% endmacro %}{% call m(" + e + ") %}c{% endcall %}",
              expression),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
)
templates = st.lists(piece, min_size=1, max_size=4).map("".join)


def context() -> dict:
    return {"doc": {"name": "某局", "year": 2023}, "scopes": [{"name": "部门", "n": {"basic": "1.00"}}], "trap": Trap()}


@given(templates)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_templates_never_reach_a_private_attribute(watched, source):
    watched.clear()
    try:
        with sandbox.budget(seconds=5):
            out = environment().from_string(source).render(context())
    except Exception:  # refused or broken: what matters is that nothing was reached on the way
        out = ""
    assert not [s for s in watched if s[2]], (source, [s for s in watched if s[2]])
    assert SECRET not in out, source


# ---------------------------------------------------------------- through a repository's template

@pytest.fixture(scope="module")
def template_parts():
    with zipfile.ZipFile(TEMPLATE) as z:
        return [(i, z.read(i)) for i in z.infolist()]


def repository_template(tmp_path, parts, text: str):
    """The packaged template with ``text`` (XML-escaped, as Word saves what is typed) in place of the name."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "word/document.xml":
                data = data.replace("{{ doc.name }}".encode(), escape(text).encode("utf-8"), 1)
            z.writestr(info, data)
    path = tmp_path / "templates" / "publication.docx"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(out.getvalue())
    return path


@given(templates)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_text_through_a_repository_template(watched, tmp_path, template_parts, pub304, source):
    watched.clear()
    path = repository_template(tmp_path, template_parts, source)
    try:
        parts = dict(render.render_parts(pub304, path))
    except TemplateUnusable as exc:  # one error, naming the template
        [problem] = exc.report.problems
        assert problem.code.startswith("template.") and problem.location.file == str(path)
        parts = {}
    assert not [s for s in watched if s[2]], (source, [s for s in watched if s[2]])
    assert SECRET.encode() not in parts.get("word/document.xml", b"")


def test_the_watch_sees_what_an_unsandboxed_environment_would_give(watched, monkeypatch):
    # the check itself can fail: with the sandbox's one rule turned off, the private attribute is reached
    assert environment().from_string("{{ trap.name }}{% if trap._secret is defined %}!{% endif %}").render(
        context()) == "陷阱"
    assert ("Trap", "_secret", False) in watched and not any(s[2] for s in watched)
    watched.clear()
    monkeypatch.setattr(sandbox.TemplateEnvironment, "is_safe_attribute", lambda self, obj, attr, value: True)
    assert environment().from_string("{{ trap._secret }}").render(context()) == SECRET
    assert ("Trap", "_secret", True) in watched
    assert reached(Trap(), "_secret", SECRET) and not reached({"_k": 1}, "_k", 1)


def test_the_packaged_template_renders_in_the_sandbox(pub304, tmp_path):
    copy = tmp_path / "publication.docx"
    shutil.copy(TEMPLATE, copy)
    assert dict(render.render_parts(pub304, copy))["word/document.xml"] == dict(render.render_parts(pub304))[
        "word/document.xml"]


@pytest.mark.parametrize("source", __import__("test_sandbox").ESCAPES)
def test_known_escapes_fail_in_the_template_sandbox_too(source, pub304, watched):
    # tests/test_sandbox.py's list, run against the environment every template renders in
    from jinja2.exceptions import SecurityError, UndefinedError
    with pytest.raises((SecurityError, UndefinedError, TypeError)):
        environment().from_string(source).render(pub=pub304)
    assert not any(s[2] for s in watched)
