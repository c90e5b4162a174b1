"""caseworker.inert: each boundary's helper makes hostile stored text inert."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text

from caseworker import inert

#: Strings real records hold (or attackers type) that have broken a boundary somewhere.
NASTY = [
    "Smith [/] Jones",
    "J Smith [deceased]",
    "[@click=app.quit]Click me[/]",
    "[b]bold[/b] [red]x",
    "\x1b[2J\x1b[H cleared",
    "\x1b]0;owned\x07 title",
    "\x9b31m C1 CSI",
    "abc\u202eevil\u202c def \u2066iso\u2069",
    "optional\x1fhyphen",
    '=HYPERLINK("http://example.invalid","x")',
    "+44 20 7946 0000",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ settings }} {% if 1 %}x{% endif %}",
    "# heading\n- item\n> quote\n1. one",
    "*bold* _it_ `code` [link](http://x) | pipe ~strike~ \\",
    "line one\r\nline two\rthree\nfour",
    "Siân £5 — naïve",
    "x" * 5000,
]

#: Hostile text: the nasty strings and anything hypothesis makes from their parts.
hostile = st.one_of(
    st.sampled_from(NASTY),
    st.text(
        alphabet=st.sampled_from(list("[]/@=+-<>&*_`#|~\\{}%'\"\t\n\r ab\x00\x07\x1b\x1f\x7f\x85\x9b\u202e\u2066£â")),
        max_size=60,
    ),
    st.text(max_size=40),
)

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@given(hostile)
def test_visible_leaves_no_control_character(value):
    assert not _CONTROLS.search(inert.visible(value))
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", inert.visible(value, multiline=False))


def test_visible_marks_escape_and_bidi_visibly():
    assert inert.visible("\x1b[2J") == "␛[2J"
    assert inert.visible("a\u202eb") == "a\ufffdb"
    assert inert.visible("\x9b") == "\ufffd"
    assert inert.visible("a\r\nb\rc") == "a\nb␍c"
    assert inert.visible("a\nb\tc", multiline=False) == "a↵b c"
    assert inert.visible(None) == ""
    assert inert.visible(42) == "42"


@given(hostile)
def test_widget_text_is_never_markup(value):
    t = inert.text(value)
    assert isinstance(t, Text)
    assert t.plain == inert.visible(value)
    assert not t.spans  # nothing was read as a style or an action
    assert inert.cell(value).plain == inert.visible(value, multiline=False)


def test_sanitise_keeps_styles_in_place():
    t = inert.sanitise(Text.assemble(("Resident: ", "dim"), ("Ann\x1b[2J\u202e", "bold"), " end"))
    assert t.plain == "Resident: Ann␛[2J\ufffd end"
    assert [(s.start, s.end, str(s.style)) for s in t.spans] == [(0, 10, "dim"), (10, 18, "bold")]


def test_join_keeps_own_styles_and_makes_stored_text_literal():
    t = inert.join(("Resident: ", "bold"), "Smith [/] Jones", Text("!", "red"))
    assert t.plain == "Resident: Smith [/] Jones!"
    assert [(s.start, s.end, str(s.style)) for s in t.spans] == [(0, 10, "bold"), (25, 26, "red")]


class _Notified:
    def notify(self, message, **kwargs):
        self.message, self.kwargs = message, kwargs


def test_notify_turns_markup_off():
    target = _Notified()
    inert.notify(target, "[/] \x1b[2J", title="T\x1b", severity="error", timeout=3)
    assert target.message == "[/] ␛[2J"
    assert target.kwargs == {"title": "T␛", "severity": "error", "markup": False, "timeout": 3}


def test_echo_prints_literally_without_escape_codes_to_a_pipe():
    out = io.StringIO()
    inert.echo("Smith [/] Jones ", ("\x1b[2J:smile:", "red"), file=out, style="bold")
    assert out.getvalue() == "Smith [/] Jones ␛[2J:smile:\n"


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_echo_colours_a_terminal_unless_no_color(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    out = _Tty()
    inert.echo(("late \x1b[2J", "red"), file=out)
    assert out.getvalue() == "\x1b[31mlate ␛[2J\x1b[0m\n"
    monkeypatch.setenv("NO_COLOR", "1")
    out = _Tty()
    inert.echo(("late", "red"), file=out)
    assert out.getvalue() == "late\n"


@given(hostile)
def test_csv_cells_are_neutralised_and_round_trip(value):
    cell = inert.csv_cell(value)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert inert.csv_uncell(cell) == value


def test_csv_cell_examples():
    assert inert.csv_cell('=HYPERLINK("http://example.invalid","x")') == '\'=HYPERLINK("http://example.invalid","x")'
    assert inert.csv_cell("'=x") == "''=x"
    assert inert.csv_uncell("''=x") == "'=x"
    assert inert.csv_cell("'plain") == "'plain" and inert.csv_uncell("'plain") == "'plain"
    assert inert.csv_cell(-5) == -5
    assert inert.csv_cell(None) == "" and inert.csv_cell(True) == "true"


def test_csv_file_has_bom_and_reads_back(tmp_path):
    path = tmp_path / "x.csv"
    with inert.csv_file(path) as writer:
        writer.writerow(["name", "amount"])
        writer.writerows([["Siân =1+1", 5], ["£\nmulti", None]])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["name", "amount"], ["Siân =1+1", "5"], ["£\nmulti", ""]]
    assert inert.csv_bytes([["=x"]]) == "\ufeff'=x\n".encode()


@given(hostile)
def test_markdown_has_no_raw_html_or_syntax(value):
    md = inert.markdown(value)
    assert "<" not in md.replace("<br>", "")
    assert "\n" not in md
    # every Markdown-active character is escaped
    assert not re.search(r"(?<!\\)[`*_\[\]|~]", md.replace("\\\\", ""))


def test_markdown_examples():
    assert inert.markdown("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert inert.markdown("# x\n- y", inline=False) == "\\# x\n\\- y"
    assert inert.markdown("1. first\n2) second", inline=False) == "1\\. first\n2\\) second"
    assert inert.markdown("a*b*") == "a\\*b\\*"
    assert inert.markdown("Tom & Jerry") == "Tom &amp; Jerry"


@given(hostile)
def test_html_escapes(value):
    out = str(inert.html(value))
    assert "<" not in out and ">" not in out.replace("&gt;", "")
    assert not _CONTROLS.search(out)


@given(hostile)
def test_xml_text_and_clean_leave_only_xml_characters(value):
    for out in (inert.xml_text(value), inert.clean(value)):
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", out)


def test_clean_fields_names_what_changed():
    values, changed = inert.clean_fields({"Definition": "optional\x1fhyphen", "Resident": "Siân", "Days": 5})
    assert values == {"Definition": "optionalhyphen", "Resident": "Siân", "Days": 5}
    assert changed == ["Definition"]
    assert "Definition" in inert.cleaned_message(changed)
    assert inert.cleaned_message([]) == ""


def test_docx_accepts_xml_text(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph(inert.xml_text("optional\x1fhyphen \x00\x1b[2J"))
    document.save(tmp_path / "x.docx")
    assert docx.Document(tmp_path / "x.docx").paragraphs[0].text == "optionalhyphen [2J"


@settings(max_examples=50)
@given(hostile)
def test_everything_is_printable_to_a_pipe(value):
    out = io.StringIO()
    inert.echo(value, file=out)
    assert "\x1b" not in out.getvalue()


@given(hostile)
def test_json_dumps_reads_back_exactly_with_no_raw_control(value):
    import json

    out = inert.json_dumps({"name": value})
    assert json.loads(out) == {"name": value}
    assert not _CONTROLS.search(out)
