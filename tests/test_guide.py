"""The editor guide's examples are real: its example files build, its broken files give its messages.

In ``docs/guida-redazione.md`` a fenced ```markdown block preceded by
``<!-- esempio: PATH -->`` is a file of the example site, ``<!-- esempio-file: PATH -->``
names an image or attachment the examples use (made here), and
``<!-- errore: PATH -->`` is a broken file whose exact message is the ```text block after it.
"""

from __future__ import annotations

import re

import pytest
from editor_site import PROJECT, jpeg_bytes, make_site, run

GUIDE = PROJECT / "docs" / "guida-redazione.md"
NOW = "2026-12-01T12:00:00+01:00"
_BLOCK = re.compile(r"<!-- (esempio|errore): (\S+) -->\n```markdown\n(.*?)```\n", re.DOTALL)
_ERROR = re.compile(r"<!-- errore: (\S+) -->\n```markdown\n.*?```\n\n```text\n(.*?)\n```", re.DOTALL)
_MEDIA = re.compile(r"<!-- esempio-file: (\S+) -->")
_LOG = re.compile(r"<!-- log-degli-esempi -->\n```text\n(.*?)\n```", re.DOTALL)


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def examples() -> dict[str, str]:
    return {path: text for kind, path, text in _BLOCK.findall(guide()) if kind == "esempio"}


def broken() -> dict[str, tuple[str, str]]:
    texts = {path: text for kind, path, text in _BLOCK.findall(guide()) if kind == "errore"}
    return {path: (texts[path], message) for path, message in _ERROR.findall(guide())}


def media_files() -> dict[str, bytes]:
    files = {}
    for path in _MEDIA.findall(guide()):
        if path.endswith(".pdf"):
            files[path] = b"%PDF-1.4\n" + b"0" * 180_000  # fixture bytes: a 180 kB "PDF"
        else:
            files[path] = _png() if path.endswith(".png") else jpeg_bytes(1800, 1200)
    return files


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 400), (240, 240, 240)).save(out, "PNG")
    return out.getvalue()


def test_the_guide_has_examples_of_everything():
    assert len(examples()) >= 5
    assert len(broken()) >= 13  # one per named error an editor can make in a file
    assert len(media_files()) == 3


def test_guide_examples_build(tmp_path, monkeypatch, capsys):
    make_site(tmp_path, {**examples(), **media_files()})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, out, err = run(capsys, "build", "--config", "config.yaml", "--output", "public", "--now", NOW)
    assert code == 0, err
    public = tmp_path / "public"
    for path in ("notizie/seminario-di-esempio/index.html", "notizie/notizia-con-foto/index.html"):
        assert (public / path).is_file()
    for hidden in ("bozza-di-esempio", "programmata-di-esempio", "evento-di-esempio"):
        assert not (public / "notizie" / hidden).exists()
    photo = (public / "notizie/notizia-con-foto/index.html").read_text(encoding="utf-8")
    assert photo.count("<picture>") == 2 and 'loading="lazy"' in photo
    assert 'Comunicato stampa <span class="file-info">(PDF, 180 kB)</span>' in photo
    links = (public / "notizie/collegamenti-di-esempio/index.html").read_text(encoding="utf-8")
    assert 'href="/rete-di-esempio/#l-hub-di-catania"' in links
    # The build log printed in the guide is the one the examples give (the line about the
    # fixture config's empty fields aside: the guide says it in words).
    shown = [line for line in out.splitlines()[1:] if not line.startswith("config.yaml: nota: ")]
    assert shown == _LOG.search(guide()).group(1).splitlines()


_COMMAND = re.compile(r"(?:^|`|\n)(?:python|\.venv/bin/python|\.venv\\Scripts\\python) build\.py ([^`\n]*)")


def test_every_command_of_the_guide_is_one_the_command_line_accepts():
    """``python build.py ...`` as the guide writes it (inline or in a block): the options exist."""
    import shlex

    from sitegen.usage import make_parser

    commands = _COMMAND.findall(guide())
    assert len(commands) >= 10
    for command in commands:
        args = shlex.split(command.replace("\\", "/"))
        if not args or args[0] not in ("build", "check", "serve", "new") and not args[0].startswith("-"):
            continue
        try:
            make_parser("it").parse_args(args)
        except SystemExit as exit:
            assert exit.code == 0, f"python build.py {command}"


def test_the_install_commands_name_files_that_exist():
    for name in re.findall(r"-r (requirements/\S+)", guide()):
        assert (PROJECT / name).is_file(), name


@pytest.mark.parametrize("path", sorted(broken()))
def test_guide_error_examples_give_the_message_shown(path, tmp_path, monkeypatch, capsys):
    text, message = broken()[path]
    make_site(tmp_path, {**examples(), **media_files(), path: text})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, _out, err = run(capsys, "build", "--config", "config.yaml", "--output", "public", "--now", NOW)
    assert code == 1
    assert message in err.splitlines()
