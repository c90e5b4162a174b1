"""Policy profiles (SPEC section 3): shipped figures, malformed files, administrator folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseworker.rules.policy import (
    CLOCK_EVENTS,
    DEFAULT_POLICY,
    Policy,
    PolicyError,
    load_policy,
    parse_policy,
    policy_files,
)

# A complete, valid profile used as the base for the malformed variants below.
VALID = """\
key = "test-profile"
name = "Test profile"
source = "tests"

[stage1.acknowledge]
days = 5
from = "received"
code_ref = "6.2"

[stage1.response]
days = 10
from = "acknowledged"
code_ref = "6.3"

[stage1.extension]
cap = 10
code_ref = "6.4"

[stage2.acknowledge]
days = 5
from = "requested"
code_ref = "6.11"

[stage2.response]
days = 20
from = "acknowledged"
code_ref = "6.14"

[stage2.extension]
cap = 20
code_ref = "6.15"

[age_limit]
months = 12
code_ref = "2.3"
"""


def write(folder: Path, stem: str, text: str) -> Path:
    path = folder / f"{stem}.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------
# Shipped profiles
# --------------------------------------------------------------------------------------


def test_default_profile_is_hoc_2024():
    assert DEFAULT_POLICY == "hoc-2024"
    assert load_policy().key == "hoc-2024"


def test_hoc_2024_figures():
    p = load_policy("hoc-2024")
    assert isinstance(p, Policy)
    assert p.key == "hoc-2024"
    assert p.name
    s1, s2 = p.stage(1), p.stage(2)
    assert (s1.acknowledge.days, s1.acknowledge.start, s1.acknowledge.code_ref) == (5, "received", "6.2")
    assert (s1.response.days, s1.response.start, s1.response.code_ref) == (10, "acknowledged", "6.3")
    assert (s1.extension_cap, s1.extension_code_ref) == (10, "6.4")
    assert (s2.acknowledge.days, s2.acknowledge.start, s2.acknowledge.code_ref) == (5, "requested", "6.11")
    assert (s2.response.days, s2.response.start, s2.response.code_ref) == (20, "acknowledged", "6.14")
    assert (s2.extension_cap, s2.extension_code_ref) == (20, "6.15")
    assert (p.age_limit_months, p.age_limit_code_ref) == (12, "2.3")


def test_mkcc_corporate_figures():
    p = load_policy("mkcc-corporate")
    assert p.key == "mkcc-corporate"
    s1, s2 = p.stage1, p.stage2
    assert (s1.acknowledge.days, s1.acknowledge.start) == (5, "received")
    assert (s1.response.days, s1.response.start) == (15, "received")
    assert s1.extension_cap == 10
    assert (s2.acknowledge.days, s2.acknowledge.start) == (5, "requested")
    assert (s2.response.days, s2.response.start) == (15, "requested")
    assert s2.extension_cap is None  # no cap: supervisor approval always
    assert p.age_limit_months == 12


def test_shipped_profiles_are_listed():
    files = policy_files()
    assert {"hoc-2024", "mkcc-corporate"} <= set(files)


def test_only_two_stages():
    with pytest.raises(ValueError):
        load_policy().stage(3)


def test_every_clock_starts_from_a_known_event():
    for key in ("hoc-2024", "mkcc-corporate"):
        p = load_policy(key)
        for stage in (p.stage1, p.stage2):
            assert stage.acknowledge.start in CLOCK_EVENTS
            assert stage.response.start in CLOCK_EVENTS


# --------------------------------------------------------------------------------------
# Malformed files: the message names the file and the dotted key
# --------------------------------------------------------------------------------------


def test_valid_base_parses():
    p = parse_policy(VALID, "base.toml")
    assert p.key == "test-profile"
    assert p.stage2.response.days == 20


def test_bad_toml(tmp_path):
    path = write(tmp_path, "broken", VALID.replace('name = "Test profile"', 'name = "Test profile'))
    with pytest.raises(PolicyError) as info:
        parse_policy(path.read_text(), str(path))
    assert str(path) in str(info.value)
    assert "TOML" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        (
            'days = 10\nfrom = "acknowledged"\ncode_ref = "6.3"\n',
            'from = "acknowledged"\ncode_ref = "6.3"\n',
            "stage1.response.days",
            "missing",
        ),
        ("[age_limit]\nmonths = 12\n", "[age_limit]\n", "age_limit.months", "missing"),
        ('name = "Test profile"\n', "", "name", "missing"),
        (
            '[stage2.extension]\ncap = 20\ncode_ref = "6.15"\n',
            "[stage2.extension]\ncap = 20\n",
            "stage2.extension.code_ref",
            "missing",
        ),
        ('days = 20\nfrom = "acknowledged"', 'days = -20\nfrom = "acknowledged"', "stage2.response.days", "negative"),
        ("cap = 10\n", "cap = -1\n", "stage1.extension.cap", "negative"),
        ("months = 12\n", "months = -12\n", "age_limit.months", "negative"),
        ('from = "requested"', 'from = "escalated"', "stage2.acknowledge.from", "unknown event"),
        ('days = 5\nfrom = "received"', 'days = "5"\nfrom = "received"', "stage1.acknowledge.days", "whole number"),
        ('days = 5\nfrom = "received"', 'days = 5.5\nfrom = "received"', "stage1.acknowledge.days", "whole number"),
        ('days = 5\nfrom = "received"', 'days = true\nfrom = "received"', "stage1.acknowledge.days", "whole number"),
        ("cap = 20\n", 'cap = "twenty"\n', "stage2.extension.cap", "whole number"),
        ('from = "received"', "from = 1", "stage1.acknowledge.from", "text"),
        ('code_ref = "6.2"', "code_ref = 6.2", "stage1.acknowledge.code_ref", "text"),
    ],
    ids=[
        "missing-days",
        "missing-months",
        "missing-name",
        "missing-code-ref",
        "negative-days",
        "negative-cap",
        "negative-months",
        "unknown-from",
        "days-as-string",
        "days-as-float",
        "days-as-bool",
        "cap-as-string",
        "from-as-number",
        "code-ref-as-number",
    ],
)
def test_malformed_file_names_file_and_key(tmp_path, old, new, key, words):
    assert old in VALID
    text = VALID.replace(old, new, 1)
    path = write(tmp_path, "test-profile", text)
    with pytest.raises(PolicyError) as info:
        parse_policy(text, str(path))
    message = str(info.value)
    assert str(path) in message
    assert f": {key}: " in message
    assert words in message
    assert info.value.key == key
    assert info.value.file == str(path)
    # the same error comes through load_policy from an administrator's folder
    with pytest.raises(PolicyError) as via_load:
        load_policy("test-profile", [tmp_path])
    assert str(path) in str(via_load.value)
    assert key in str(via_load.value)


def test_whole_stage_missing(tmp_path):
    start = VALID.index("[stage2.acknowledge]")
    end = VALID.index("[age_limit]")
    text = VALID[:start] + VALID[end:]
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "no-stage2.toml")
    assert "no-stage2.toml" in str(info.value)
    assert "stage2." in str(info.value)


def test_policy_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_policy("key = ", "x.toml")


def test_missing_cap_means_no_cap():
    text = VALID.replace("[stage2.extension]\ncap = 20\n", "[stage2.extension]\n")
    assert parse_policy(text, "nocap.toml").stage2.extension_cap is None


def test_zero_days_is_allowed():
    text = VALID.replace("cap = 10\n", "cap = 0\n")
    assert parse_policy(text, "zero.toml").stage1.extension_cap == 0


# --------------------------------------------------------------------------------------
# Administrator's folder
# --------------------------------------------------------------------------------------


def test_extra_folder_adds_a_profile(tmp_path):
    write(tmp_path, "test-profile", VALID.replace("days = 20\n", "days = 25\n"))
    p = load_policy("test-profile", [tmp_path])
    assert p.key == "test-profile"
    assert p.stage2.response.days == 25
    # shipped profiles remain available alongside it
    assert load_policy("hoc-2024", [tmp_path]).stage2.response.days == 20
    assert {"hoc-2024", "mkcc-corporate", "test-profile"} <= set(policy_files([tmp_path]))


def test_extra_folder_overrides_a_shipped_profile(tmp_path):
    text = VALID.replace('key = "test-profile"', 'key = "hoc-2024"').replace(
        "[stage1.response]\ndays = 10", "[stage1.response]\ndays = 12"
    )
    path = write(tmp_path, "hoc-2024", text)
    overridden = load_policy("hoc-2024", [tmp_path])
    assert overridden.stage1.response.days == 12
    assert policy_files([tmp_path])["hoc-2024"] == path
    # without the folder the shipped file is used again
    assert load_policy("hoc-2024").stage1.response.days == 10


def test_file_key_must_match_its_name(tmp_path):
    path = write(tmp_path, "renamed", VALID)
    with pytest.raises(PolicyError) as info:
        load_policy("renamed", [tmp_path])
    assert str(path) in str(info.value)
    assert "test-profile" in str(info.value)


def test_unknown_profile_lists_known_ones(tmp_path):
    with pytest.raises(PolicyError) as info:
        load_policy("no-such-profile")
    message = str(info.value)
    assert "no-such-profile" in message
    assert "hoc-2024" in message and "mkcc-corporate" in message

    write(tmp_path, "test-profile", VALID)
    with pytest.raises(PolicyError) as info:
        load_policy("another-missing", [tmp_path])
    assert "test-profile" in str(info.value)


def test_missing_extra_folder_is_ignored(tmp_path):
    assert load_policy("hoc-2024", [tmp_path / "does-not-exist"]).key == "hoc-2024"


def test_misspelt_key_is_refused_not_ignored():
    """A typo such as ``cpa = 20`` must not load quietly as "no cap"."""
    from caseworker.rules.policy import PolicyError, parse_policy

    shipped = load_policy_text("hoc-2024").replace("cap = 20", "cpa = 20")
    with pytest.raises(PolicyError) as exc:
        parse_policy(shipped, "mine.toml")
    assert exc.value.key == "stage2.extension.cpa"
    assert "mine.toml" in str(exc.value)


def load_policy_text(key):
    from caseworker.rules.policy import policy_files

    return policy_files()[key].read_text(encoding="utf-8")
