"""The admin's Vietnamese catalogue (locale/vi/LC_MESSAGES): every string the project marks
for translation is in it and translated, nothing in it is a guess (fuzzy) or left over, the
compiled .mo that the site reads says exactly what its .po says (django: Python and templates;
djangojs: the admin's scripts), and every text in it
is NFC."""

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"
# The templates' and Python's strings, and the admin scripts' (static/admin/js).
DOMAINS = ["django", "djangojs"]
# What the copy for makemessages leaves out: not code, or not the project's own strings.
NOT_SOURCE = (".git", ".venv", "node_modules", "media", "staticfiles", "backups", "fixtures",
              "bench", "tests", "*.sqlite3", "*.mo", "__pycache__")  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


@pytest.fixture(scope="module", params=DOMAINS)
def catalogue(request):
    return polib.pofile(str(LOCALE / f"{request.param}.po"))


def _entries(catalogue):
    return [entry for entry in catalogue if entry.msgid]


def test_every_string_in_the_catalogue_is_translated_and_none_is_fuzzy(catalogue):
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert [e.msgid for e in catalogue.obsolete_entries()] == []
    assert "fuzzy" not in catalogue.metadata_as_entry().flags


def test_every_translation_keeps_the_placeholders_of_its_english(catalogue):
    for entry in _entries(catalogue):
        english = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert sorted(PLACEHOLDER.findall(translation)) == english, entry.msgid


def test_every_text_in_the_catalogue_is_nfc(catalogue):
    for entry in _entries(catalogue):
        texts = [entry.msgid, entry.msgid_plural, entry.msgstr, *entry.msgstr_plural.values()]
        for text in texts:
            assert unicodedata.is_normalized("NFC", text), text


def test_the_compiled_catalogue_says_what_the_po_says(catalogue):
    """git keeps no file times, so the check compares contents: a .po edited without
    `make messages` leaves a django.mo that differs from it."""
    compiled_file = Path(catalogue.fpath).with_suffix(".mo")
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(compiled_file)) if e.msgid}
    written = {(e.msgctxt, e.msgid): e for e in _entries(catalogue)}
    assert compiled.keys() == written.keys()
    for key, entry in written.items():
        if entry.msgid_plural:
            assert compiled[key].msgstr_plural == entry.msgstr_plural, key
        else:
            assert compiled[key].msgstr == entry.msgstr, key


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogue_holds_every_string_the_project_marks(tmp_path, domain):
    """makemessages, run on a copy of the code, finds no string the .po lacks and none it
    no longer needs (`make messages` updates the .po; then translate what is new)."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext is not installed: `apt-get install gettext` (as .ci/run does)")
    copy = tmp_path / "code"
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-d", domain, "-l", "vi", "--no-location",
         "--no-obsolete", "--ignore=.venv", "--ignore=node_modules"],
        cwd=copy, check=True, capture_output=True,
    )  # fmt: skip
    fresh = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / f"{domain}.po"))
    marked = {(e.msgctxt, e.msgid) for e in _entries(fresh)}
    written = {(e.msgctxt, e.msgid) for e in _entries(polib.pofile(str(LOCALE / f"{domain}.po")))}
    assert sorted(marked - written, key=str) == [], "marked in the code, missing from the .po"
    assert sorted(written - marked, key=str) == [], "in the .po, no longer in the code"
