"""Every page type is valid HTML according to the W3C Nu checker."""

import json
import subprocess


def test_every_page_type_has_no_html_errors(client, site, vnu_jar, tmp_path):
    files = []
    for name, url in site.items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, response.status_code)
        path = tmp_path / (name.replace(" ", "-") + ".html")
        path.write_bytes(response.content)
        files.append(path)

    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0
