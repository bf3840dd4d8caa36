"""One way to write numbers (samverkan.formatting): pages and documents round the same
(half up) and differ only in the space, which is non-breaking on pages."""

from decimal import Decimal

from portfolio.charts import format_number
from samverkan.formatting import NBSP, kr, number


def test_pages_and_documents_round_half_up_alike():
    for value, shown in ((2.5, "3"), (3.5, "4"), (1999.5, f"2{NBSP}000"), (-2.5, "-3")):
        assert format_number(value) == shown
        assert number(value) == shown.replace(NBSP, " ")


def test_pages_keep_amounts_together_and_documents_use_plain_spaces():
    assert format_number(-1_234_567, "kr") == f"-1{NBSP}234{NBSP}567{NBSP}kr"
    assert kr(-1_234_567) == "-1 234 567 kr"


def test_a_decimal_keeps_its_decimals_with_a_comma():
    assert format_number(Decimal("12.50")) == "12,5"
    assert format_number(Decimal("1234.25")) == f"1{NBSP}234,25"
