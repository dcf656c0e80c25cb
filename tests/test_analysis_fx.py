"""The bundled USD rate table and ``to_usd``."""

from datetime import date

import pytest

from analysis import fx

REQUIRED = {"USD", "EUR", "GBP", "JPY", "CNY", "INR", "CAD", "AUD", "CHF", "SEK", "SGD",
            "HKD", "KRW", "BRL", "ILS"}


def test_table_covers_required_currencies_and_years():
    assert set(fx.supported_currencies()) >= REQUIRED
    for year in range(2019, 2027):
        assert fx.rate("EUR", date(year, 6, 30)) is not None


def test_csv_header_documents_origin_and_dates():
    header = [line for line in fx.RATES_PATH.read_text().splitlines() if line.startswith("#")]
    text = " ".join(header).lower()
    assert "approximate" in text and "origin" in text and "2026" in text


@pytest.mark.parametrize(
    ("amount", "currency", "on", "low", "high"),
    [
        (100, "USD", date(2024, 5, 1), 100, 100),
        (10_000_000, "GBP", date(2024, 6, 1), 12.0e6, 13.5e6),
        (1e9, "INR", date(2025, 4, 2), 10.5e6, 12.5e6),  # Rs 100 crore is ~$12M
        (10e9, "JPY", date(2025, 9, 17), 60e6, 75e6),
        (20e6, "CHF", date(2021, 3, 1), 20.5e6, 23e6),
        (7.8e6, "HKD", date(2023, 1, 1), 0.99e6, 1.01e6),
    ],
)
def test_to_usd_is_in_a_plausible_band(amount, currency, on, low, high):
    assert low <= fx.to_usd(amount, currency, on) <= high


def test_nearest_earlier_date_is_used():
    # every date of 2022 uses the 2022 row; 2022-12-31 must not use 2023
    assert fx.rate("EUR", date(2022, 12, 31)) == fx.rate("EUR", date(2022, 1, 1))
    assert fx.rate("EUR", date(2023, 1, 1)) != fx.rate("EUR", date(2022, 12, 31))


def test_dates_before_the_table_use_the_first_row_and_none_uses_latest():
    assert fx.rate("JPY", date(2001, 1, 1)) == fx.rate("JPY", date(2019, 1, 1))
    assert fx.rate("JPY", None) == fx.rate("JPY", date(2099, 1, 1))


@pytest.mark.parametrize(("amount", "currency"), [(None, "USD"), (5.0, None), (5.0, "XYZ")])
def test_missing_or_unknown_inputs_give_none(amount, currency):
    assert fx.to_usd(amount, currency, date(2024, 1, 1)) is None


def test_currency_code_is_case_insensitive():
    assert fx.to_usd(1, "eur", date(2024, 1, 1)) == fx.to_usd(1, "EUR", date(2024, 1, 1))
