"""Remedy calculator: money parsing, guidance data, arithmetic, refusals and rationale."""

from __future__ import annotations

import ast
import json
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker.rules import guidance_sets, money, remedy_calculator
from caseworker.rules.guidance_sets import STATUSES, GuidanceError, guidance_keys, load_guidance, parse_guidance
from caseworker.rules.money import format_pounds, parse_pounds
from caseworker.rules.remedy_calculator import BandChoice, LineInput, RemedyError, calculate, guidance_for

BANDS = "hos-remedies-2024"
TARIFF = "hos-compensation-2026"


@pytest.fixture
def tariff():
    return load_guidance(TARIFF)


@pytest.fixture
def bands():
    return load_guidance(BANDS)


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("£1,234.50", 123450),
        ("1234.5", 123450),
        ("1234", 123400),
        ("£0.1", 10),
        ("0.01", 1),
        ("£ 12.34", 1234),
        ("  £300  ", 30000),
        ("1,000,000", 100000000),
        (".5", 50),
        ("0", 0),
    ],
)
def test_parse_pounds_accepts(text, pence):
    assert parse_pounds(text) == pence


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1.005", "more than 2 decimal places"),
        ("12.345", "more than 2 decimal places"),
        ("-5", "negative"),
        ("£-5", "negative"),
        ("-£5", "negative"),
        ("abc", "not a sum of money"),
        ("£", "not a sum of money"),
        ("12abc", "not a sum of money"),
        ("1e3", "not a sum of money"),
        ("1,23", "not a sum of money"),
        ("1 2", "not a sum of money"),
        ("nan", "not a sum of money"),
        ("5.", "digits must follow the decimal point"),
        ("", "enter an amount"),
        ("   ", "enter an amount"),
    ],
)
def test_parse_pounds_refuses_naming_the_problem(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_pounds(text)


def test_parse_pounds_refuses_a_float():
    with pytest.raises(TypeError):
        parse_pounds(12.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pence", "text"),
    [
        (123450, "£1,234.50"),
        (30000, "£300.00"),
        (5, "£0.05"),
        (0, "£0.00"),
        (100000000, "£1,000,000.00"),
        (-500, "-£5.00"),
    ],
)
def test_format_pounds_always_two_decimals(pence, text):
    assert format_pounds(pence) == text


@pytest.mark.parametrize("bad", [1.5, True, "100"])
def test_format_pounds_refuses_non_integers(bad):
    with pytest.raises(TypeError):
        format_pounds(bad)


@given(st.integers(min_value=0, max_value=10**12))
def test_pounds_round_trip(pence):
    assert parse_pounds(format_pounds(pence)) == pence


# --------------------------------------------------------------------------- data files


def test_both_guidance_sets_ship():
    assert guidance_keys() == [TARIFF, BANDS]


@pytest.mark.parametrize("key", [BANDS, TARIFF])
def test_every_figure_names_its_source_and_status(key):
    guidance = load_guidance(key)
    assert guidance.key == key and guidance.source.strip()
    entries = [*guidance.items, *guidance.bands]
    assert entries
    for entry in entries:
        assert entry.source.strip(), entry.key
        assert entry.status in STATUSES, entry.key


def test_tariff_figures_match_the_facts(tariff):
    rates = {i.key: (i.unit, i.rate_pence) for i in tariff.items}
    assert rates == {
        "heating_and_hot_water": ("day", 1500),
        "heating_or_hot_water": ("day", 800),
        "power": ("day", 1000),
        "lighting": ("week", 1000),
        "missed_appointment": ("each", 1500),
        "financial_loss": ("amount", None),
        "distress_inconvenience": ("amount", None),
    }
    assert tariff.item("financial_loss").needs_reason
    assert tariff.item("distress_inconvenience").needs_reason
    assert not tariff.item("power").needs_reason
    assert tariff.bands == ()


def test_band_figures_match_the_facts(bands):
    ranges = [(b.low_pence, b.high_pence) for b in bands.bands]
    assert ranges == [(5000, 10000), (10000, 60000), (60000, 100000), (100000, None)]
    # Only the £100-£600 band is quoted in HOS decisions (FACTS 2.2 ✔); the rest are ◐.
    assert [b.status for b in bands.bands] == ["secondary", "confirmed", "secondary", "secondary"]
    assert bands.items == ()


def test_rate_and_range_text(tariff, bands):
    assert tariff.item("heating_and_hot_water").rate_text == "£15.00 a day"
    assert tariff.item("lighting").rate_text == "£10.00 a week"
    assert tariff.item("missed_appointment").rate_text == "£15.00 each"
    assert tariff.item("financial_loss").rate_text == "amount entered"
    assert bands.band("maladministration_adverse").range_text == "£100.00 to £600.00"
    assert bands.band("severe_maladministration_serious").range_text == "£1,000.00 or more"


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2026, 3, 31), BANDS),
        (date(2026, 4, 1), TARIFF),
        (datetime(2026, 3, 31, 23, 59), BANDS),
        (datetime(2026, 4, 1, 0, 0), TARIFF),
        (date(2024, 4, 1), BANDS),
        (date(2019, 6, 1), BANDS),
        (date(2031, 1, 1), TARIFF),
    ],
)
def test_guidance_for_date(day, key):
    assert guidance_for(day).key == key


def test_load_unknown_guidance_names_the_file():
    with pytest.raises(GuidanceError, match="nope.toml") as info:
        load_guidance("nope")
    assert info.value.file == "nope.toml"


_GOOD = """
key = "x"
name = "Test guidance"
source = "test"
effective_from = 2026-04-01

[[items]]
key = "a"
label = "A thing"
unit = "day"
rate_pence = 100
status = "confirmed"
source = "test source"
"""


def test_parse_guidance_reads_a_minimal_file():
    guidance = parse_guidance(_GOOD, "x.toml")
    assert guidance.items[0].rate_pence == 100
    assert guidance.effective_from == date(2026, 4, 1) and guidance.effective_to is None


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (('source = "test source"', ""), "items[0].source"),
        (('source = "test source"', 'source = "  "'), "items[0].source"),
        (("rate_pence = 100", "rate_pence = 1.5"), "items[0].rate_pence"),
        (("rate_pence = 100", "rate_pence = -100"), "items[0].rate_pence"),
        (("rate_pence = 100", ""), "items[0].rate_pence"),
        (('unit = "day"', 'unit = "fortnight"'), "items[0].unit"),
        (('status = "confirmed"', 'status = "probably"'), "items[0].status"),
        (('status = "confirmed"', 'status = "confirmed"\ncolour = "red"'), "items[0].colour"),
        (("effective_from = 2026-04-01", 'effective_from = "soon"'), "effective_from"),
        (('name = "Test guidance"', ""), "name"),
        (('key = "x"\n', 'key = "x"\neffective_to = 2020-01-01\n'), "effective_to"),
    ],
)
def test_malformed_guidance_names_file_and_key(change, key):
    old, new = change
    assert old in _GOOD
    with pytest.raises(GuidanceError) as info:
        parse_guidance(_GOOD.replace(old, new, 1), "broken.toml")
    assert info.value.file == "broken.toml"
    assert info.value.key == key
    assert "broken.toml" in str(info.value) and key in str(info.value)


def test_malformed_guidance_bad_toml_and_duplicate_keys():
    with pytest.raises(GuidanceError, match="not valid TOML"):
        parse_guidance("key = ", "bad.toml")
    doubled = _GOOD + _GOOD[_GOOD.index("[[items]]") :]
    with pytest.raises(GuidanceError) as info:
        parse_guidance(doubled, "dup.toml")
    assert info.value.key == "items[1].key"


def test_malformed_band_high_below_low():
    text = """
key = "x"
name = "n"
source = "s"
[[bands]]
key = "b"
finding = "f"
impact = "i"
low_pence = 500
high_pence = 100
status = "secondary"
source = "s"
"""
    with pytest.raises(GuidanceError) as info:
        parse_guidance(text, "b.toml")
    assert info.value.key == "bands[0].high_pence"


@pytest.mark.parametrize("module", [money, guidance_sets, remedy_calculator], ids=lambda m: m.__name__)
def test_remedy_rules_import_only_the_standard_library_and_each_other(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module)
    ours = {"caseworker.rules.money", "caseworker.rules.guidance_sets"}
    outside = {
        n for n in names if n not in ours and n.split(".")[0] not in set(sys.stdlib_module_names) | {"__future__"}
    }
    assert names and not outside, outside


# --------------------------------------------------------------------------- arithmetic


def test_twelve_days_without_heating_and_hot_water(tariff):
    calc = calculate(tariff, [LineInput("heating_and_hot_water", quantity=12)])
    # 12 days x £15.00 = £180.00 = 18,000 pence
    assert calc.total_pence == 18000
    (line,) = calc.lines
    assert (line.quantity, line.unit, line.rate_pence, line.amount_pence) == (12, "day", 1500, 18000)
    assert "blog.anthonycollins.com" in line.basis and "secondary" in line.basis


def test_every_item_together(tariff):
    calc = calculate(
        tariff,
        [
            LineInput("heating_and_hot_water", 12),  # 12 x 1500 = 18000
            LineInput("heating_or_hot_water", 5),  # 5 x 800 = 4000
            LineInput("power", 3),  # 3 x 1000 = 3000
            LineInput("lighting", 2, note="1 to 14 March"),  # 2 weeks x 1000 = 2000
            LineInput("missed_appointment", 3),  # 3 x 1500 = 4500
            LineInput("financial_loss", amount_pence=parse_pounds("£120.50"), note="redecoration after the leak"),
            LineInput("distress_inconvenience", amount_pence=20000, note="repeated failed repairs over winter"),
        ],
    )
    assert [line.amount_pence for line in calc.lines] == [18000, 4000, 3000, 2000, 4500, 12050, 20000]
    # 18000 + 4000 + 3000 + 2000 + 4500 + 12050 + 20000 = 63550
    assert calc.total_pence == 63550
    assert calc.guidance_key == TARIFF
    text = calc.rationale
    assert text.startswith("We have calculated £635.50 under the Housing Ombudsman's Compensation guidance 2026: ")
    for phrase in [
        "12 days without heating and hot water at £15.00 a day (£180.00)",
        "5 days without heating or without hot water at £8.00 a day (£40.00)",
        "3 days without any power at £10.00 a day (£30.00)",
        "2 weeks without lighting (1 to 14 March) at £10.00 a week (£20.00)",
        "3 missed appointments at £15.00 each (£45.00)",
        "£120.50 for financial loss (redecoration after the leak)",
        "£200.00 for distress and inconvenience (repeated failed repairs over winter)",
    ]:
        assert phrase in text
    assert text.endswith(".")


def test_singular_wording(tariff):
    calc = calculate(tariff, [LineInput("missed_appointment", 1), LineInput("power", 1), LineInput("lighting", 1)])
    assert "1 missed appointment at £15.00 each (£15.00)" in calc.rationale
    assert "1 day without any power" in calc.rationale
    assert "1 week without lighting" in calc.rationale
    assert calc.total_pence == 1500 + 1000 + 1000


def test_basis_keeps_inputs_and_sources(tariff):
    calc = calculate(
        tariff, [LineInput("power", 4), LineInput("financial_loss", amount_pence=999, note="  spoiled food  ")]
    )
    basis = json.loads(calc.basis)
    assert basis["guidance"] == TARIFF
    assert basis["total_pence"] == 4 * 1000 + 999
    assert basis["band"] is None
    assert [(line["item"], line["quantity"], line["rate_pence"], line["amount_pence"]) for line in basis["lines"]] == [
        ("power", 4, 1000, 4000),
        ("financial_loss", 1, None, 999),
    ]
    assert basis["lines"][1]["note"] == "spoiled food"
    assert all(line["source"] and line["status"] == "secondary" for line in basis["lines"])


# --------------------------------------------------------------------------- refusals


def _refusal(guidance, lines=(), band=None) -> RemedyError:
    with pytest.raises(RemedyError) as info:
        calculate(guidance, lines, band)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == info.value.message
    return info.value


def test_nothing_chosen_is_refused(tariff):
    error = _refusal(tariff)
    assert error.field == "lines" and "choose at least one item" in error.message


def test_unknown_item_is_refused(tariff, bands):
    error = _refusal(tariff, [LineInput("power", 1), LineInput("hot_tub", 1)])
    assert (error.field, error.index, error.item_key) == ("item", 1, "hot_tub")
    assert "hot_tub" in error.message
    # The 2024 bands have no items at all.
    assert _refusal(bands, [LineInput("power", 1)]).field == "item"


@pytest.mark.parametrize("quantity", [0, -3, 1.5, True, "2"])
def test_bad_quantity_is_refused(tariff, quantity):
    error = _refusal(tariff, [LineInput("heating_and_hot_water", quantity=quantity)])
    assert (error.field, error.index, error.item_key) == ("quantity", 0, "heating_and_hot_water")
    assert "quantity" in error.message


def test_entered_amount_missing_is_refused(tariff):
    error = _refusal(tariff, [LineInput("financial_loss", note="rent overpaid")])
    assert (error.field, error.item_key) == ("amount", "financial_loss")


@pytest.mark.parametrize("amount", [-100, 0, 12.5])
def test_bad_entered_amount_is_refused(tariff, amount):
    error = _refusal(tariff, [LineInput("financial_loss", amount_pence=amount, note="rent overpaid")])
    assert error.field == "amount"


def test_amount_on_a_fixed_rate_item_is_refused(tariff):
    error = _refusal(tariff, [LineInput("power", 2, amount_pence=5000)])
    assert error.field == "amount" and "£10.00 a day" in error.message


def test_quantity_on_an_entered_amount_is_refused(tariff):
    error = _refusal(tariff, [LineInput("financial_loss", 3, amount_pence=5000, note="rent")])
    assert error.field == "quantity"


@pytest.mark.parametrize("item", ["financial_loss", "distress_inconvenience"])
@pytest.mark.parametrize("note", ["", "   "])
def test_missing_reason_is_refused(tariff, item, note):
    error = _refusal(tariff, [LineInput(item, amount_pence=5000, note=note)])
    assert (error.field, error.item_key) == ("note", item)


def test_band_from_the_wrong_guidance_is_refused(tariff, bands):
    error = _refusal(tariff, band=BandChoice("maladministration_adverse", 30000))
    assert error.field == "band" and BANDS in error.message
    error = _refusal(bands, band=BandChoice("no_such_band", 30000))
    assert error.field == "band" and "no_such_band" in error.message


# --------------------------------------------------------------------------- bands


def test_band_amount_inside_the_band_needs_no_reason(bands):
    calc = calculate(bands, band=BandChoice("maladministration_adverse", parse_pounds("£450")))
    assert calc.total_pence == 45000
    (line,) = calc.lines
    assert (line.key, line.unit, line.amount_pence) == ("maladministration_adverse", "band", 45000)
    assert "in the band £100.00 to £600.00" in calc.rationale
    assert calc.rationale.startswith("We have calculated £450.00 under the Housing Ombudsman's Guidance on remedies")
    basis = json.loads(calc.basis)
    assert basis["band"]["within_band"] is True and basis["band"]["band"] == "maladministration_adverse"


@pytest.mark.parametrize(
    ("key", "pence"),
    [("service_failure_minimal", 5000), ("service_failure_minimal", 10000), ("maladministration_adverse", 10000)],
)
def test_band_ends_are_inclusive(bands, key, pence):
    assert calculate(bands, band=BandChoice(key, pence)).total_pence == pence


@pytest.mark.parametrize(("pence", "side"), [(59999, "below"), (100001, "above")])
def test_band_amount_outside_the_band(bands, pence, side):
    error = _refusal(bands, band=BandChoice("maladministration_significant", pence))
    assert error.field == "band_reason" and "outside the band £600.00 to £1,000.00" in error.message
    assert _refusal(bands, band=BandChoice("maladministration_significant", pence, reason="  ")).field == "band_reason"
    calc = calculate(bands, band=BandChoice("maladministration_significant", pence, reason="two years of disrepair"))
    assert calc.total_pence == pence
    assert f"{side} the band £600.00 to £1,000.00" in calc.rationale
    assert "two years of disrepair" in calc.rationale
    assert json.loads(calc.basis)["band"]["within_band"] is False


def test_open_band_always_needs_a_reason(bands):
    error = _refusal(bands, band=BandChoice("severe_maladministration_serious", 150000))
    assert error.field == "band_reason" and "no upper limit" in error.message
    calc = calculate(
        bands, band=BandChoice("severe_maladministration_serious", 150000, reason="long-term harm to health")
    )
    assert calc.total_pence == 150000
    assert "£1,000.00 or more" in calc.rationale


@pytest.mark.parametrize("pence", [-5000, 0])
def test_band_amount_must_be_positive(bands, pence):
    assert _refusal(bands, band=BandChoice("service_failure_minimal", pence, reason="x")).field == "band_amount"
