"""Money: the one place where amounts are converted, rounded and written out.

Amounts are Decimal from the YAML text to the page. Sources hold at most two
decimals and sums of such amounts are exact, so rounding happens only when a
figure is converted between 元 and 万元; it is ROUND_HALF_UP, here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
_PER_WAN = Decimal(10000)


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_unit(value: Decimal, unit: str, target: str) -> Decimal:
    """Convert ``value`` given in ``unit`` (元 or 万元) to ``target``, exactly."""
    if unit == target:
        return value
    if unit == "元" and target == "万元":
        return value / _PER_WAN
    if unit == "万元" and target == "元":
        return value * _PER_WAN
    raise ValueError(f"unknown money unit {unit!r} → {target!r}")


def fmt(value: Decimal | None, thousands: bool = False) -> str:
    """Two decimals, ROUND_HALF_UP: 6.8 → "6.80"; with ``thousands``: 1234567.8 → "1,234,567.80"."""
    if value is None:
        return ""
    return f"{round2(value):,.2f}" if thousands else f"{round2(value):.2f}"


def cell(value: Decimal | None, thousands: bool = False) -> str:
    """A table cell: two decimals, blank for zero (as the published tables have it)."""
    if value is None or value == 0:
        return ""
    return fmt(value, thousands)


class Display:
    """How amounts written in ``authored`` (元 or 万元) are shown in ``shown``: converted exactly,
    then rounded once (ROUND_HALF_UP), each figure from its own exact amount. A roll-up is
    therefore the rounded exact sum, and may differ by 0.01 from the sum of its rounded parts
    when amounts authored in 元 are shown in 万元; amounts authored in 万元 and shown in 元 are
    exact. ``thousands`` groups digits (1,234.50)."""

    def __init__(self, authored: str, shown: str, thousands: bool = False):
        self.authored, self.unit, self.thousands = authored, shown, thousands

    def value(self, amount: Decimal) -> Decimal:
        return to_unit(amount, self.authored, self.unit)

    def fmt(self, amount: Decimal | None) -> str:
        return "" if amount is None else fmt(self.value(amount), self.thousands)

    def cell(self, amount: Decimal | None) -> str:
        return "" if amount is None else cell(self.value(amount), self.thousands)
