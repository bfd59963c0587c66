"""Plain scalars read by the YAML 1.2 core schema, and numbers written in a form that is not a plain decimal.

PyYAML resolves plain scalars by YAML 1.1: ``0167`` is octal 119, ``27:56`` (a typo for 27.56) is
base 60, 1676, and ``yes``, ``no``, ``on`` and ``off`` are booleans. The sources are read by the
YAML 1.2 core schema instead (``resolve``):

- ``null``, ``Null``, ``NULL``, ``~`` and nothing at all are null; ``true``/``false`` (also
  ``True``, ``TRUE``…) are booleans; any other word, ``yes`` and ``on`` included, is text;
- a plain decimal (``812``, ``812.32``, ``-3``, ``0.04``) is a number, an int or a Decimal made from
  its text (never a float);
- a scalar that YAML 1.2 or YAML 1.1 would read as a number but that is not a plain decimal
  (``0167``, ``27:56``, ``1_000``, ``1e3``, ``+5``, ``.5``, ``5.``, ``0x1F``, ``.inf``) is a
  ``NumberForm``: neither text nor a number, so an amount, a code and a text field each refuse
  it with a message saying how to write it (``advice``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import yaml

PLAIN_TAG = "tag:budgetpub,2024:plain"  # a plain scalar without a tag: resolved here, by YAML 1.2 core

_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
# what YAML 1.2 core or YAML 1.1 reads as a number (ints, floats, base 60, infinity, not-a-number)
_NUMBERISH = re.compile(r"""[-+]?(?:
      [0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?   # 12, 0167, 1_000, 27:56, 1., 1e3
    | \.[0-9_]+(?:[eE][-+]?[0-9]+)?                                     # .5
    | 0[xX][0-9a-fA-F_]+ | 0[oO][0-7_]+ | 0[bB][01_]+                     # 0x1F, 0o17, 0b101
    | \.(?:inf|Inf|INF) ) | \.(?:nan|NaN|NAN)""", re.X)


class NumberForm:
    """A number written in a form that is not a plain decimal (``0167``, ``27:56``): see ``advice``."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"NumberForm({self.text!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, NumberForm) and other.text == self.text

    def __hash__(self) -> int:
        return hash(("NumberForm", self.text))


def resolve(text: str):
    """The value of a plain scalar ``text`` (see the module docstring)."""
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    if _NUMBERISH.fullmatch(text):
        return NumberForm(text)
    return text


class PlainResolver:
    """A resolver mixin: every plain scalar without a tag gets PLAIN_TAG (resolved by ``resolve``),
    a quoted one is text, and nothing is resolved by YAML 1.1's rules."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return PLAIN_TAG if implicit[0] else yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


def _read_by_yaml_11(text: str):
    """What a YAML 1.1 reader (PyYAML's safe_load) makes of ``text``: said in the message."""
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


_THOUSANDS = re.compile(r"-?[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"-?[0-9]+[,，][0-9]{1,2}")


def plain_decimal(text: str) -> str | None:
    """``text`` written as a plain decimal, when it can be told what was meant: 1_000 → 1000,
    0167 → 167, +5 → 5, .5 → 0.5, 5. → 5, 1e3 → 1000, 1,234.50 → 1234.50, 6,00 → 6.00, 27:56 → 27.56."""
    t = text.strip().replace("_", "")
    if _THOUSANDS.fullmatch(t):
        t = t.replace(",", "").replace("，", "")
    elif _DECIMAL_COMMA.fullmatch(t):  # 6,00: a comma typed for the decimal point
        t = t.replace(",", ".").replace("，", ".")
    if re.fullmatch(r"[0-9]+:[0-9]{2}", t):  # 27:56: a colon typed for the decimal point
        t = t.replace(":", ".")
    t = t[1:] if t.startswith("+") else t
    if re.fullmatch(r"-?[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?", t) and re.search(r"[0-9]", t):
        try:
            value = Decimal(t)
        except InvalidOperation:
            return None
        if not value.is_finite() or abs(value.adjusted()) > 15:
            return None
        shown = format(value, "f")
        if "." in t and not re.search(r"[eE]", t):  # keep the decimals written (6.80 stays 6.80)
            decimals = len(t.split(".", 1)[1])
            shown = format(value.quantize(Decimal(1).scaleb(-decimals)), "f") if decimals else shown
        return shown if shown not in ("", "-") else None
    return None


def advice(text: str) -> str:
    """Why ``text`` is not a plain decimal, and how to write it (for a message about an amount)."""
    t = text.strip()
    read_11 = _read_by_yaml_11(t)
    as_11 = f"（有的 YAML 工具会把它读成 {read_11}）" if read_11 is not None and str(read_11) != plain_decimal(t) else ""
    if re.search(r"\.(?:inf|nan)", t, re.I):
        why = "它不是一个具体的数"
    elif ":" in t:
        why = f"带冒号的数会被当作六十进制{as_11}"
    elif re.match(r"[-+]?0[xXoObB]", t):
        why = "只能用十进制"
    elif re.match(r"[-+]?0[0-9]", t):
        why = f"以 0 开头的数有歧义{as_11}"
    elif "_" in t:
        why = "数字中不能有下划线"
    elif _DECIMAL_COMMA.fullmatch(t):
        why = "小数点不能写成逗号"
    elif "," in t or "，" in t:
        why = "数字中不能有千位分隔符（逗号）"
    elif re.search(r"[eE]", t):
        why = "不能用科学计数法"
    elif t.startswith("+"):
        why = "不必写正号"
    elif t.startswith(".") or t.endswith("."):
        why = "小数点前后都要有数字"
    else:
        why = "这不是十进制数的写法"
    fixed = plain_decimal(t)
    return f"{why}。请只用数字、负号和小数点写成十进制数" + (f"，如 {fixed}" if fixed else "，如 1234.56")
