"""The stylesheet's web fonts are the site's own files, woff2 only, with their licence."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSS = ROOT / "static" / "css" / "site.css"


def test_every_font_face_is_a_committed_woff2_file_with_its_licence_beside_it():
    sources = re.findall(r'src:\s*url\("([^"]+)"\)\s*format\("([^"]+)"\)', CSS.read_text())
    assert sources, "site.css declares no @font-face"
    for url, form in sources:
        assert form == "woff2" and url.endswith(".woff2"), url
        assert not re.match(r"(https?:)?//", url), f"{url} is loaded from elsewhere"
        path = (CSS.parent / url).resolve()
        assert path.is_file(), url
        assert "SIL Open Font License" in (path.parent / "OFL.txt").read_text()


def test_every_font_face_shows_while_it_loads():
    faces = re.findall(r"@font-face\s*{([^}]*)}", CSS.read_text())
    assert faces and all("font-display: swap" in face for face in faces)
