"""The server-drawn charts: bar widths from the table's values."""

from __future__ import annotations

from decimal import Decimal

from reporting.presentation import CHART_BAR_WIDTH, chart_bars


def test_percentages_given_as_decimals_are_drawn():
    bars = chart_bars(
        [["Verifikasi", Decimal("80.0")], ["Tanggapan", Decimal("40.0")], ["Selesai", None]],
        public=False,
    )
    assert [b["width"] for b in bars] == [CHART_BAR_WIDTH, CHART_BAR_WIDTH // 2, 0]
    assert bars[0]["value"] == "80.0"


def test_counts_are_drawn_against_the_largest():
    bars = chart_bars([["A", 10], ["B", 5], ["C", None]], public=True)
    assert [b["width"] for b in bars] == [CHART_BAR_WIDTH, CHART_BAR_WIDTH // 2, 0]
    assert bars[2]["value"] == "<5"
