"""The English catalogue is complete, checked and compiled.

Plain Python, so it runs where gettext's tools are not installed (CI): a small .po reader,
then the compiled .mo loaded with the standard library. A forgotten translation, a fuzzy
guess left in, a placeholder lost in translation or a forgotten compilemessages fails here,
naming the entries.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "painpath" / "locale" / "en" / "LC_MESSAGES"

# A printf conversion, named or not. "%%" is matched so that "%%(x)s" is not read as a
# placeholder, then dropped: it is a literal percent sign, which a translation may reword.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%%")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    def __str__(self):
        return f"line {self.line}: {self.msgid!r}"


def _unquote(text):
    # A .po string is a C string literal; for the escapes gettext writes, Python's are the same.
    return ast.literal_eval(text)


def parse_po(text):
    """The live entries of a .po file, header excluded; obsolete (#~) entries are skipped."""
    entries, entry, key = [], Entry(), None

    def finish():
        nonlocal entry, key
        if entry.line and entry.msgid:
            entries.append(entry)
        entry, key = Entry(), None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#"):
            if key is not None:  # a comment straight after the strings starts the next entry
                finish()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith('"'):
            _append(entry, key, _unquote(line))
        else:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and key not in (None, "msgctxt"):
                finish()
            entry.line = entry.line or number
            key = keyword
            _append(entry, key, _unquote(rest), start=True)
    finish()
    return entries


def _append(entry, key, value, start=False):
    if key == "msgctxt":
        entry.msgctxt = value if start else entry.msgctxt + value
    elif key in ("msgid", "msgid_plural"):
        setattr(entry, key, value if start else getattr(entry, key) + value)
    else:
        index = int(key[7:-1]) if key.startswith("msgstr[") else 0
        entry.msgstr[index] = value if start else entry.msgstr[index] + value


def placeholders(text):
    return sorted(found for found in PLACEHOLDER.findall(text) if found != "%%")


def faults(entries):
    """(entry, what is wrong) for each entry that would show Swedish, a guess or a crash."""
    found = []
    for entry in entries:
        forms = list(entry.msgstr.values())
        if not forms or not all(forms):
            found.append((entry, "untranslated"))
        if "fuzzy" in entry.flags:
            found.append((entry, "fuzzy"))
        for index, form in entry.msgstr.items():
            source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            if form and placeholders(source) != placeholders(form):
                found.append((entry, f"placeholders {placeholders(form)} in msgstr[{index}]"))
    return found


def catalogue():
    return parse_po((LOCALE / "django.po").read_text(encoding="utf-8"))


def _report(found):
    return "\n".join(f"{entry}: {what}" for entry, what in found)


def test_it_finds_each_kind_of_fault_in_a_sample():
    sample = "\n".join(
        [
            'msgid ""',
            'msgstr "Language: en\\n"',
            "",
            'msgid "Klar"',
            'msgstr ""',
            "",
            "#, fuzzy",
            '#| msgid "Gjord"',
            'msgid "Gjord %(d)s"',
            'msgstr "Done %(d)s"',
            "",
            "#, python-format",
            'msgid "Hej %(name)s"',
            'msgstr "Hello %(namn)s"',
            "",
            "#, python-format",
            'msgid "%(n)s träff"',
            'msgid_plural "%(n)s träffar"',
            'msgstr[0] "%(n)s match"',
            'msgstr[1] ""',
            "",
            "#, python-format",
            'msgid "%(p)s %%-enheter"',
            'msgstr "%(p)s percentage points"',
            "",
            '#~ msgid "Gammal"',
            '#~ msgstr ""',
        ]
    )
    found = [(entry.msgid, what) for entry, what in faults(parse_po(sample))]
    assert found == [
        ("Klar", "untranslated"),
        ("Gjord %(d)s", "fuzzy"),
        ("Hej %(name)s", "placeholders ['%(namn)s'] in msgstr[0]"),
        ("%(n)s träff", "untranslated"),
    ]


def test_every_entry_is_translated_checked_and_keeps_its_placeholders():
    entries = catalogue()
    assert len(entries) > 500
    found = faults(entries)
    assert not found, f"{len(found)} entries need work:\n{_report(found)}"


def test_the_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in catalogue():
        if entry.msgid_plural:
            got = [
                compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if entry.msgctxt
                else compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                for n in (1, 2)
            ]
            want = [entry.msgstr.get(0), entry.msgstr.get(1)]
        elif entry.msgctxt:
            got, want = compiled.pgettext(entry.msgctxt, entry.msgid), entry.msgstr.get(0)
        else:
            got, want = compiled.gettext(entry.msgid), entry.msgstr.get(0)
        if got != want:
            stale.append(f"{entry}: .mo has {got!r}")
    assert not stale, "Run `cd painpath && ../.venv/bin/painpath compilemessages -l en`:\n" + (
        "\n".join(stale)
    )


def test_django_serves_the_english_catalogue():
    with translation.override("en"):
        assert translation.gettext("Smärtskola") == "Pain school"
        assert translation.ngettext("%(n)s träff", "%(n)s träffar", 2) == "%(n)s matches"
