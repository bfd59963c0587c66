"""The Jinja sandbox every template runs in: the packaged one and a budget repository's own.

A repository's ``templates/publication.docx`` is written by whoever can push to the repository
and runs in ``check`` (the pre-commit hook), ``generate --rev`` of an unmerged branch and ``diff``.
It may format and word the publication; it may not reach Python, hang or exhaust memory:

- ``TemplateEnvironment`` is Jinja's immutable sandbox (no attribute starting with ``_``, no
  method that changes a list or dict), with autoescape, StrictUndefined and no loader (no
  ``{% include %}``, ``{% import %}`` or ``{% extends %}`` can read a file);
- only known harmless things may be called: the template's own macros, ``loop``, ``caller``,
  ``range`` (at most MAX_RANGE numbers), ``dict``, ``cycler``, ``joiner``, ``namespace`` and a few
  methods of text, lists and mappings (``startswith``, ``items``, …); no ``lipsum``, ``pprint``,
  ``random`` or ``urlize``;
- every operator, ``~``, filter and ``str.format`` that makes a text or a list checks the size of
  what it would make first (MAX_STRING characters, MAX_ITEMS items, MAX_WIDTH for a width);
- a render has a ``Budget``: a time limit and a limit on the characters it outputs (the
  caller sets them from the size of the publication; the defaults bound any other render); every
  loop, call and output counts against it, and calls nest at most MAX_DEPTH deep.

Anything refused raises ``jinja2.exceptions.SecurityError`` (``TemplateLimit`` for a limit),
with a Chinese message; render.py turns it into an error naming the template.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Mapping

from jinja2 import StrictUndefined, nodes
from jinja2 import filters as jinja_filters
from jinja2.compiler import CodeGenerator
from jinja2.environment import Template
from jinja2.exceptions import SecurityError
from jinja2.runtime import BlockReference, LoopContext, Macro, Undefined, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

MAX_RANGE = 100_000  # numbers one range() may give
MAX_STRING = 1_000_000  # characters of a text a template makes (the document itself is output, counted apart)
MAX_ITEMS = 100_000  # items of a list a template makes
MAX_WIDTH = 1_000  # a width or padding (center, indent, wordwrap, format, %)
MAX_DEPTH = 100  # macro calls inside macro calls
MAX_INT_BITS = 4_096  # an integer a template makes (1,233 digits)
DEFAULT_SECONDS = 30.0
DEFAULT_OUTPUT = 64_000_000  # characters
_CHECK_EVERY = 4_096  # ticks between two looks at the clock


class TemplateLimit(SecurityError):
    """The template went past one of its limits (time, output, size, depth)."""


class Budget:
    """What one render may spend: ``seconds`` of time, ``output`` characters written."""

    def __init__(self, seconds: float = DEFAULT_SECONDS, output: int = DEFAULT_OUTPUT):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.output_left = output
        self.output = output
        self.ticks = 0
        self.next_check = _CHECK_EVERY
        self.depth = 0

    def tick(self, n: int = 1) -> None:
        self.ticks += n
        if self.ticks >= self.next_check:
            self.next_check = self.ticks + _CHECK_EVERY
            if time.monotonic() > self.deadline:
                raise TemplateLimit(f"模板运行超过 {self.seconds:g} 秒仍未完成：模板中可能有过大或层层嵌套的循环")

    def spend(self, characters: int) -> None:
        self.output_left -= characters
        if self.output_left < 0:
            raise TemplateLimit(f"模板输出的文字超过 {self.output:,} 个字符：模板中可能有过大或层层嵌套的循环")
        self.tick()


_LOCAL = threading.local()


def _budget() -> Budget:
    current = getattr(_LOCAL, "budget", None)
    return current if current is not None else Budget()  # template code run outside a render: bounded alone


@contextlib.contextmanager
def budget(seconds: float = DEFAULT_SECONDS, output: int = DEFAULT_OUTPUT):
    """Renders inside the block share one budget (the outermost one wins)."""
    if getattr(_LOCAL, "budget", None) is not None:
        yield _LOCAL.budget
        return
    _LOCAL.budget = current = Budget(seconds, output)
    try:
        yield current
    finally:
        _LOCAL.budget = None


# ---------------------------------------------------------------- sizes, estimated before anything is made

def estimate(value, limit: int = MAX_STRING) -> int:
    """About how many characters ``str(value)`` has, worked out without making it (stops past ``limit``)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return value.bit_length() * 3 // 10 + 2
    if isinstance(value, (float, complex)):
        return 32
    if isinstance(value, Namespace):
        value = dict(value._Namespace__attrs) if hasattr(value, "_Namespace__attrs") else {}
    if isinstance(value, Mapping):
        total = 2
        for key, item in value.items():
            total += estimate(key, limit) + estimate(item, limit) + 4
            if total > limit:
                break
        return total
    if isinstance(value, (list, tuple, set, frozenset)):
        total = 2
        for item in value:
            total += estimate(item, limit) + 2
            if total > limit:
                break
        return total
    return 100  # a macro, a loop, a cycler, an undefined: a short description


def _text_limit(size: int, what: str) -> None:
    if size > MAX_STRING:
        raise TemplateLimit(f"模板要生成的{what}超过 {MAX_STRING:,} 个字符")


def _width(value, what: str = "宽度") -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
        raise TemplateLimit(f"模板中的{what} {value} 太大（最多 {MAX_WIDTH}）")


_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")


def _check_printf(form: str, args) -> None:
    """``"%5s" % x``: the widths and the size of the result, before it is made."""
    count = 0
    for found in _PRINTF.finditer(form):
        count += 1
        for number in found.group(1, 2):
            if number == "*":
                raise TemplateLimit("模板中的 % 格式不能用 * 指定宽度")
            if number is not None and int(number) > MAX_WIDTH:
                raise TemplateLimit(f"模板中的 % 格式宽度 {number} 太大（最多 {MAX_WIDTH}）")
    if isinstance(args, Mapping):
        size = len(form) + count * (max((estimate(v) for v in args.values()), default=0) + MAX_WIDTH)
    else:
        items = args if isinstance(args, tuple) else (args,)
        size = len(form) + sum(estimate(a) for a in items) + count * MAX_WIDTH
    _text_limit(size, "文字")


def _check_replace(text: str, old: str, new: str, count: int = -1) -> None:
    times = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        times = min(times, count)
    _text_limit(len(text) + times * max(len(new) - len(old), 0), "文字")


def _check_join(items, sep="") -> list:
    items = list(items)
    if len(items) > MAX_ITEMS:
        raise TemplateLimit(f"模板要连接的项超过 {MAX_ITEMS:,} 个")
    _text_limit(sum(estimate(i) for i in items) + estimate(sep) * max(len(items) - 1, 0), "文字")
    return items


# ---------------------------------------------------------------- filters: a known list, each bounded

_PLAIN_FILTERS = ("abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "filesizeformat",
                  "first", "float", "forceescape", "groupby", "int", "items", "last", "length", "list", "lower",
                  "map", "max", "min", "reject", "rejectattr", "reverse", "round", "safe", "select", "selectattr",
                  "sort", "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper",
                  "urlencode", "wordcount", "xmlattr")


def _bounded(name: str, check):
    original = jinja_filters.FILTERS[name]

    def wrapper(*args, **kwargs):
        check(*args, **kwargs)
        return original(*args, **kwargs)
    for attribute in ("jinja_pass_arg",):  # pass_environment / pass_eval_context stay as they were
        if hasattr(original, attribute):
            setattr(wrapper, attribute, getattr(original, attribute))
    wrapper.__name__ = original.__name__
    return wrapper


def _skip_context(args):
    """The filter's own arguments, after the environment or eval context Jinja passes first."""
    return args[1:] if args and not isinstance(args[0], (str, Undefined)) and hasattr(args[0], "autoescape") else args


def _center(*args, **kwargs):
    value, width = (list(_skip_context(args)) + [80])[:2]
    _width(kwargs.get("width", width))


def _indent(*args, **kwargs):
    args = list(_skip_context(args))
    text = str(args[0]) if args else ""
    width = kwargs.get("width", args[1] if len(args) > 1 else 4)
    _width(width)
    pad = len(width) if isinstance(width, str) else abs(int(width)) if isinstance(width, int) else 4
    _text_limit(len(text) + pad * (text.count("\n") + 1), "文字")


def _wordwrap(*args, **kwargs):
    args = list(_skip_context(args))
    text = str(args[0]) if args else ""
    width = kwargs.get("width", args[1] if len(args) > 1 else 79)
    _width(width)
    wrapstring = kwargs.get("wrapstring", args[3] if len(args) > 3 else None) or "\n"
    lines = len(text) // max(int(width) if isinstance(width, int) else 1, 1) + text.count("\n") + 1
    _text_limit(len(text) + estimate(wrapstring) * lines, "文字")


def _format(*args, **kwargs):
    args = list(_skip_context(args))
    if args and isinstance(args[0], str):
        _check_printf(args[0], kwargs if kwargs else tuple(args[1:]))


def _replace(*args, **kwargs):
    args = list(_skip_context(args))
    if len(args) >= 3 and all(isinstance(a, str) for a in args[:3]):
        count = kwargs.get("count", args[3] if len(args) > 3 else None)
        _check_replace(args[0], args[1], args[2], count if isinstance(count, int) else -1)


def _join(*args, **kwargs):
    args = list(_skip_context(args))
    if args and not isinstance(args[0], str) and hasattr(args[0], "__iter__"):
        _check_join(list(args[0]) if not isinstance(args[0], (list, tuple)) else args[0],
                    kwargs.get("d", args[1] if len(args) > 1 else ""))


def _count_arg(position: int, keyword: str):
    def check(*args, **kwargs):
        args = list(_skip_context(args))
        n = kwargs.get(keyword, args[position] if len(args) > position else None)
        if isinstance(n, int) and abs(n) > MAX_ITEMS:
            raise TemplateLimit(f"模板中的 {keyword} {n} 太大（最多 {MAX_ITEMS:,}）")
    return check


FILTERS = {name: jinja_filters.FILTERS[name] for name in _PLAIN_FILTERS}
FILTERS.update({
    "center": _bounded("center", _center),
    "indent": _bounded("indent", _indent),
    "wordwrap": _bounded("wordwrap", _wordwrap),
    "format": _bounded("format", _format),
    "replace": _bounded("replace", _replace),
    "join": _bounded("join", _join),
    "batch": _bounded("batch", _count_arg(1, "linecount")),
    "slice": _bounded("slice", _count_arg(1, "slices")),
})


# ---------------------------------------------------------------- what may be called

def safe_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"模板中的 range 超过 {MAX_RANGE:,} 个数")
    return numbers


def make_dict(**items) -> dict:
    """``dict(a=1)``."""
    return dict(**items)


def make_cycler(*items) -> Cycler:
    return Cycler(*items)


def make_joiner(sep: str = ", ") -> Joiner:
    return Joiner(sep)


def make_namespace(*args, **kwargs) -> Namespace:
    return Namespace(*args, **kwargs)


_STR_METHODS = frozenset((
    "startswith", "endswith", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "lower", "upper",
    "title", "capitalize", "casefold", "swapcase", "find", "rfind", "index", "rindex", "count", "partition",
    "rpartition", "removeprefix", "removesuffix", "isdigit", "isalpha", "isalnum", "isspace", "isnumeric",
    "isdecimal", "islower", "isupper", "istitle", "replace", "join", "format", "format_map", "unescape",
    "striptags", "escape"))
_MAPPING_METHODS = frozenset(("get", "items", "keys", "values"))
_SEQUENCE_METHODS = frozenset(("index", "count"))
_RUNTIME_METHODS = {LoopContext: frozenset(("cycle", "changed")), Cycler: frozenset(("next", "reset")),
                    BlockReference: frozenset(("super",))}
_CALLABLE_TYPES = (Macro, LoopContext, BlockReference, Joiner, Undefined)


class _BoundedFormatter(SandboxedFormatter):
    """``"{:>10}".format(x)``: the sandbox's formatter, with the width bounded."""

    def format_field(self, value, format_spec: str):
        for number in re.findall(r"\d+", format_spec or ""):
            if int(number) > MAX_WIDTH:
                raise TemplateLimit(f"模板中的格式宽度 {number} 太大（最多 {MAX_WIDTH}）")
        _text_limit(estimate(value), "文字")
        return super().format_field(value, format_spec)


class TemplateEnvironment(ImmutableSandboxedEnvironment):
    """See the module docstring."""

    intercepted_binops = frozenset(["+", "-", "*", "/", "//", "%", "**"])

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self.globals.clear()  # functions only: no class a template could subscript or look into
        self.globals.update(range=safe_range, dict=make_dict, cycler=make_cycler, joiner=make_joiner,
                            namespace=make_namespace)
        self.filters = dict(FILTERS)
        self._own = {self.looped}
        self._functions = (safe_range, make_dict, make_cycler, make_joiner, make_namespace)

    template_class = None  # set below (BoundedTemplate)
    code_generator_class = None  # set below (BoundedCodeGenerator)

    # -- what the compiled template calls ------------------------------------------------------

    def emitting(self, value):
        """Every expression written out, before it is made text: its size counts against the budget."""
        _budget().spend(estimate(value, MAX_STRING * 8))
        return value

    def emitted(self, text: str) -> str:
        """Every piece of the template's own text written out."""
        _budget().spend(len(text))
        return text

    def looped(self, iterable):
        """Every ``{% for %}``: a sized collection is counted at once, anything else item by item."""
        budget = _budget()
        try:
            size = len(iterable)
        except TypeError:
            return self._counted(iterable, budget)
        budget.tick(size + 1)
        return iterable

    @staticmethod
    def _counted(iterable, budget: Budget):
        for item in iterable:
            budget.tick()
            yield item

    def joined(self, context, parts: tuple):
        """``a ~ b``: the size checked first, then joined as Jinja joins."""
        _text_limit(sum(estimate(p) for p in parts), "文字")
        return (markup_join if context.eval_ctx.autoescape else str_join)(parts)

    # -- the sandbox ---------------------------------------------------------------------------

    def is_safe_callable(self, obj) -> bool:
        if not super().is_safe_callable(obj):
            return False
        if isinstance(obj, _CALLABLE_TYPES) or getattr(obj, "budgetpub_safe", False):
            return True
        if any(obj is f for f in self._functions) or obj in self._own:
            return True
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if isinstance(owner, str):
            return name in _STR_METHODS
        if isinstance(owner, Mapping):
            return name in _MAPPING_METHODS
        if isinstance(owner, (list, tuple)):
            return name in _SEQUENCE_METHODS
        for kind, names in _RUNTIME_METHODS.items():
            if isinstance(owner, kind):
                return name in names
        return False

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - as Jinja's
        if not __self.is_safe_callable(__obj):
            what = getattr(__obj, "__name__", type(__obj).__name__)
            raise SecurityError(f"模板不能调用 “{what}”：模板只能排版和措辞，不能调用 Python 的函数")
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            name = __obj.__name__
            if name == "replace" and len(args) >= 2:
                _check_replace(owner, str(args[0]), str(args[1]), args[2] if len(args) > 2 else -1)
            elif name == "join" and args:
                args = (_check_join(args[0], owner),) + args[1:]
        budget = _budget()
        budget.tick()
        budget.depth += 1
        try:
            if budget.depth > MAX_DEPTH:
                raise TemplateLimit(f"模板中的宏调用嵌套超过 {MAX_DEPTH} 层（可能是无尽的递归）")
            result = __context.call(__obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        if isinstance(result, str):
            _text_limit(len(result), "文字")
        return result

    def call_binop(self, context, operator, left, right):
        _budget().tick()
        _check_binop(operator, left, right)
        return self.binop_table[operator](left, right)

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        owner = value.__self__
        formatter = _BoundedFormatter(self)
        is_map = value.__name__ == "format_map"

        def bounded(*args, **kwargs):
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            largest = max([estimate(a) for a in args] + [estimate(v) for v in kwargs.values()], default=0)
            _text_limit(len(owner) + owner.count("{") * largest, "文字")
            return type(owner)(formatter.vformat(owner, args, kwargs))
        bounded.budgetpub_safe = True
        return bounded

    # -- compiling: every loop counted, every ~ bounded ----------------------------------------

    def _generate(self, source, name, filename, defer_init=False):
        for loop in source.find_all(nodes.For):  # each loop counted (looped), whatever it runs over
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("looped"), [loop.iter], [], None, None,
                                   lineno=loop.iter.lineno)
        return super()._generate(source, name, filename, defer_init=defer_init)


def _check_binop(operator: str, left, right) -> None:
    if operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            if max(left.bit_length(), 1) * right > MAX_INT_BITS:
                raise TemplateLimit("模板中的乘方结果太大")
        return
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                cap = MAX_STRING if isinstance(seq, str) else MAX_ITEMS
                if len(seq) * max(times, 0) > cap:
                    raise TemplateLimit(f"模板中的重复（*）结果超过 {cap:,} 个{'字符' if isinstance(seq, str) else '项'}")
                return
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise TemplateLimit("模板中的乘积太大")
        return
    if operator == "+":
        if isinstance(left, str) and isinstance(right, str):
            _text_limit(len(left) + len(right), "文字")
        elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)) \
                and len(left) + len(right) > MAX_ITEMS:
            raise TemplateLimit(f"模板中的列表超过 {MAX_ITEMS:,} 项")
        return
    if operator == "%" and isinstance(left, str):
        _check_printf(left, right)


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every output going through the environment's counters."""

    def _output_const_repr(self, group) -> str:
        return f"environment.emitted({super()._output_const_repr(group)})"

    def _output_child_pre(self, node, frame, finalize) -> None:
        super()._output_child_pre(node, frame, finalize)
        self.write("environment.emitting(")

    def _output_child_post(self, node, frame, finalize) -> None:
        self.write(")")
        super()._output_child_post(node, frame, finalize)

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.joined(context, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedTemplate(Template):
    """A template whose render and generate run within a budget (their own unless one is active)."""

    def render(self, *args, **kwargs) -> str:
        with budget():
            return super().render(*args, **kwargs)

    def generate(self, *args, **kwargs):
        with budget():
            yield from super().generate(*args, **kwargs)


TemplateEnvironment.template_class = BoundedTemplate
TemplateEnvironment.code_generator_class = BoundedCodeGenerator

_ = Markup  # re-exported for callers that build safe text
