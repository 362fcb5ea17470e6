"""Incremental builds are never stale; parallel builds equal serial ones; a broken cache is ignored.

The fixture site is written by :func:`make_site` (invented filler text, fixture data only)
into tmp_path, with its own copy of the repository's templates and CSS so that a test
can edit them.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from editor_site import jpeg_bytes
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen import fastpath, parallel
from sitegen.build import BuildOptions, build
from sitegen.cache.files import Notices, load_record, save_record

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
PICTURE = jpeg_bytes(40, 30)  # a picture placed next to news items

CONFIG = """base_url: "https://example.org/"
site_name: {it: "Sito di prova", en: "Test site"}
languages: [it, en]
timezone: Europe/Rome
paginate: 2
home_news: 2
messages_language: en
tags:
  alfa: {it: {label: alfa, slug: alfa}, en: {label: alpha, slug: alpha}}
  beta: {it: {label: beta, slug: beta}, en: {label: beta, slug: beta}}
  gamma: {it: {label: gamma, slug: gamma}, en: {label: gamma, slug: gamma}}
  delta: {it: {label: delta, slug: delta}, en: {label: delta, slug: delta}}
"""

PAGE = """---
title: "{title}"
translation_key: {key}
{extra}---

Testo di prova della pagina {title}.

## Sezione uno

Vedi [la privacy](/privacy/#sezione-uno).
"""

NEWS = """---
title: "{title}"
date: {date}
tags: [{tags}]
{extra}---

Corpo di prova {body}.

## Sezione uno

Un paragrafo con *enfasi* e un [link](https://example.org/x){link}.
"""

# A page in no menu, footer or listing: the only thing that changes when its slug changes
# is its address, so the news items linking to it (by its source path) must follow.
CONTACTS = """---
title: "Contatti"
translation_key: contacts
{extra}---

Pagina di prova senza menu.
"""


def news_text(
    title: str, day: int, tags: str = "alfa", body: str = "uno", draft: bool = False, link: bool = True
) -> str:
    return NEWS.format(
        title=title,
        date=f"2026-01-{day:02d}",
        tags=tags,
        body=body,
        extra="draft: true\n" if draft else "",
        link=" e i [contatti](../contatti.md)" if link else "",
    )


def make_site(root: Path, news: int = 4) -> Path:
    """A small bilingual site: home, a page with an anchor link, a privacy page, ``news`` items."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    for lang, name in (("it", "index"), ("en", "index")):
        path = root / "content" / lang / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            PAGE.format(title=f"Home {lang}", key="home", extra="layout: home\nmenu: 1\n"), encoding="utf-8"
        )
    (root / "content/it/chi-siamo.md").write_text(
        PAGE.format(title="Chi siamo", key="about", extra="menu: 2\n"), encoding="utf-8"
    )
    (root / "content/en/about.md").write_text(
        PAGE.format(title="About", key="about", extra="menu: 2\n"), encoding="utf-8"
    )
    (root / "content/it/privacy.md").write_text(
        PAGE.format(title="Privacy", key="privacy", extra="layout: privacy\n"), encoding="utf-8"
    )
    (root / "content/en/privacy.md").write_text(
        PAGE.format(title="Privacy", key="privacy", extra="layout: privacy\n"), encoding="utf-8"
    )
    (root / "content/it/contatti.md").write_text(CONTACTS.format(extra=""), encoding="utf-8")
    (root / "content/en/contacts.md").write_text(
        PAGE.format(title="Contacts", key="contacts", extra=""), encoding="utf-8"
    )
    (root / "content/it/notizie").mkdir()
    (root / "content/en/news").mkdir()
    for number in range(news):
        (root / f"content/it/notizie/n{number}.md").write_text(
            news_text(f"Notizia {number}", number + 1), encoding="utf-8"
        )
    (root / "content/en/news/e0.md").write_text(news_text("Item 0", 3, tags="beta", link=False), encoding="utf-8")
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(site: Path, output: Path, now: datetime = NOW, **options):
    return build(BuildOptions(config_path=site / "config.yaml", output=output, now=now, **options))


def run_command(site: Path, output: Path, now: datetime = NOW) -> None:
    """What ``build.py build`` does: the no-change fast path first, a build when it says one is due."""
    options = BuildOptions(config_path=site / "config.yaml", output=output, now=now)
    fast, taken = fastpath.check_fast(options)
    if fast is None:
        build(options, fingerprint=taken)


def assert_same_as_clean_build(site: Path, output: Path, clean: Path, now: datetime = NOW) -> None:
    shutil.rmtree(clean, ignore_errors=True)
    run(site, clean, now, cache=False, jobs=1)
    incremental, expected = tree(output), tree(clean)
    assert sorted(incremental) == sorted(expected)
    for rel in expected:
        assert incremental[rel] == expected[rel], f"{rel} is stale"


# --- edits -------------------------------------------------------------------------


def _news_files(site: Path) -> list[Path]:
    return sorted((site / "content/it/notizie").glob("*.md"))


def apply_edit(site: Path, edit: tuple, counter: list[int], clock: list[datetime] | None = None) -> None:
    """Apply one edit (a tuple drawn by :data:`EDITS`) to the site's files, or to ``clock`` (the build's time)."""
    kind, pick, value = edit
    clock = clock if clock is not None else [NOW]
    files = _news_files(site)
    target = files[pick % len(files)] if files else None
    counter[0] += 1
    if kind == "add" or target is None:
        (site / f"content/it/notizie/new{counter[0]}.md").write_text(
            news_text(f"Nuova {counter[0]}", value % 28 + 1, tags=["alfa", "beta", "gamma"][value % 3]),
            encoding="utf-8",
        )
    elif kind == "title":
        text = target.read_text(encoding="utf-8")
        old = text.split('title: "', 1)[1].split('"', 1)[0]
        target.write_text(text.replace(f'title: "{old}"', f'title: "{old} {value}"', 1), encoding="utf-8")
    elif kind == "date":
        text = target.read_text(encoding="utf-8")
        old = text.split("date: ", 1)[1].split("\n", 1)[0]
        target.write_text(text.replace(f"date: {old}", f"date: 2026-02-{value % 28 + 1:02d}", 1), encoding="utf-8")
    elif kind == "tags":
        text = target.read_text(encoding="utf-8")
        old = text.split("tags: [", 1)[1].split("]", 1)[0]
        new = ["alfa", "beta", "gamma, alfa", "delta"][value % 4]
        target.write_text(text.replace(f"tags: [{old}]", f"tags: [{new}]", 1), encoding="utf-8")
    elif kind == "body":
        text = target.read_text(encoding="utf-8")
        target.write_text(text + f"\nAltro paragrafo {value}.\n", encoding="utf-8")
    elif kind == "delete":
        target.unlink()
    elif kind == "rename":
        target.rename(target.with_name(f"renamed{counter[0]}.md"))
    elif kind == "draft":
        text = target.read_text(encoding="utf-8")
        if "draft: true\n" in text:
            target.write_text(text.replace("draft: true\n", "", 1), encoding="utf-8")
        else:
            target.write_text(text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    elif kind == "template":
        path = site / "templates" / ["news_item.html", "base.html", "news_list.html"][value % 3]
        path.write_text(path.read_text(encoding="utf-8") + f"<!-- edit {counter[0]} -->\n", encoding="utf-8")
    elif kind == "strings":
        path = site / "templates" / "strings.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("  news: ", f"  news: X{value}", 1) if "  news: " in text else text, encoding="utf-8"
        )
    elif kind == "config":
        path = site / "config.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(f"paginate: {text.split('paginate: ')[1].split()[0]}", f"paginate: {value % 3 + 1}"),
            encoding="utf-8",
        )
    elif kind == "slug":  # the linked page moves: every body linking to it changes
        path = site / "content/it/contatti.md"
        path.write_text(CONTACTS.format(extra=f"slug: contatti-{value}\n" if value % 4 else ""), encoding="utf-8")
    elif kind == "menu":  # every page of the language shows the menu
        path = site / "content/it/chi-siamo.md"
        extra = "menu: 2\n" + (f"menu_title: Noi {value}\n" if value % 3 else "")
        path.write_text(PAGE.format(title="Chi siamo", key="about", extra=extra), encoding="utf-8")
    elif kind == "footer":  # every page of the language shows the footer's links
        path = site / "content/it/privacy.md"
        path.write_text(
            PAGE.format(title=f"Privacy {value}", key="privacy", extra="layout: privacy\n"), encoding="utf-8"
        )
    elif kind == "counterpart":  # a page's language switch and hreflang follow its translation
        key = "contacts" if value % 2 else "contacts-alone"  # no address changes: only the pair breaks
        (site / "content/en/contacts.md").write_text(PAGE.format(title="Contacts", key=key, extra=""), encoding="utf-8")
    elif kind == "vocabulary":  # tags: every page showing alfa (its label, its address, a redirect)
        path = site / "config.yaml"
        text = path.read_text(encoding="utf-8")
        old = text.split("  alfa: ", 1)[1].split("\n", 1)[0]
        former = ", former_slugs: [alfa]" if value % 2 else ""
        new = f'{{it: {{label: "alfa {value}", slug: alfa-{value}{former}}}, en: {{label: alpha, slug: alpha}}}}'
        path.write_text(text.replace(f"  alfa: {old}", f"  alfa: {new}", 1), encoding="utf-8")
    elif kind == "picture":  # a picture in a body: held back while only drafts or scheduled items show it
        picture = site / "content/it/notizie/foto.jpg"
        if not picture.exists():
            picture.write_bytes(PICTURE)
        text = target.read_text(encoding="utf-8")
        shown = "\n![Una foto di prova](foto.jpg)\n"
        target.write_text(text.replace(shown, "") if shown in text else text + shown, encoding="utf-8")
    elif kind == "schedule":  # an item with its own picture, live an hour or two from the clock
        when = (clock[0] + timedelta(hours=value % 2 + 1)).astimezone(ZoneInfo("Europe/Rome"))
        (site / "content/it/notizie/foto-futura.jpg").write_bytes(PICTURE)
        (site / "content/it/notizie/futura.md").write_text(
            NEWS.format(
                title="Futura",
                date="2026-01-15",
                tags="beta",
                body="futuro",
                extra=f"publish_at: {when:%Y-%m-%d %H:%M}\n",
                link="\n\n![Una foto futura](foto-futura.jpg)",
            ),
            encoding="utf-8",
        )
    elif kind == "clock":  # time passes: a scheduled item may go live, and its picture with it
        clock[0] += timedelta(minutes=45 + value)
    elif kind == "css":
        path = site / "static" / "style.css"
        path.write_text(path.read_text(encoding="utf-8") + f"\n/* {counter[0]} */\n", encoding="utf-8")


EDITS = st.tuples(
    st.sampled_from(
        [
            "add",
            "title",
            "date",
            "tags",
            "body",
            "delete",
            "rename",
            "draft",
            "template",
            "strings",
            "config",
            "css",
            "slug",
            "menu",
            "footer",
            "counterpart",
            "vocabulary",
            "picture",
            "schedule",
            "clock",
        ]
    ),
    st.integers(0, 20),
    st.integers(0, 50),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDITS, min_size=1, max_size=5))
# Edits of what many pages show without being their own document, always tried: a broken
# translation pair, the menu, the footer.
@example(edits=[("counterpart", 0, 0), ("counterpart", 0, 1), ("menu", 0, 1), ("footer", 0, 2)])
@example(edits=[("vocabulary", 0, 1), ("vocabulary", 0, 2)])  # tags: a label and slug change, a redirect
@example(edits=[("tags", 0, 1), ("tags", 0, 0)])  # tags: the English beta page gains, then loses, its counterpart
# A scheduled item's picture is held back, then published when its time comes (sitegen.holdback);
# a draft's picture, when the draft is published.
@example(edits=[("schedule", 0, 0), ("clock", 0, 0), ("clock", 0, 0)])
@example(edits=[("draft", 0, 0), ("picture", 0, 0), ("draft", 0, 0)])
def test_incremental_build_is_never_stale(tmp_path_factory, edits):
    """After every random edit, the incremental output equals a clean build, byte for byte (the
    builds go through the no-change fast path, as the command line's do)."""
    root = tmp_path_factory.mktemp("site")
    site = make_site(root / "site")
    output, clean = root / "out", root / "clean"
    run(site, output)
    counter, clock = [0], [NOW]
    for edit in edits:
        apply_edit(site, edit, counter, clock)
        run_command(site, output, clock[0])
        assert_same_as_clean_build(site, output, clean, clock[0])
        # At once again, as an editor would: every input is recent, so the fast path may answer
        # only when the bytes of the recent files are those the last build saw.
        run_command(site, output, clock[0])
        assert_same_as_clean_build(site, output, clean, clock[0])


def test_unchanged_pages_are_not_rewritten(tmp_path):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    before = {rel: (output / rel).stat().st_mtime_ns for rel in tree(output)}
    target = site / "content/it/notizie/n1.md"
    target.write_text(target.read_text(encoding="utf-8").replace("Corpo di prova", "Corpo cambiato"), encoding="utf-8")
    result = run(site, output)
    after = {rel: (output / rel).stat().st_mtime_ns for rel in tree(output)}
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    # the search index is made again from the pages (it must describe the changed one)
    assert [rel for rel in changed if not rel.startswith("pagefind/")] == ["notizie/n1/index.html"]
    assert result.summary.converted == 1
    assert result.summary.rendered == 1


def test_parallel_build_equals_single_process_build(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)  # use the pool even for a small site
    site = make_site(tmp_path / "site", news=12)
    run(site, tmp_path / "one", cache=False, jobs=1)
    run(site, tmp_path / "two", cache=False, jobs=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_corrupt_cache_is_detected_and_rebuilt(tmp_path, damage):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    cache_files = sorted((site / ".cache").glob("*.json"))
    assert cache_files
    for path in cache_files:
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "flip":
            path.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
        else:
            path.write_bytes(b"not a cache file at all")
    target = site / "content/it/notizie/n2.md"
    target.write_text(target.read_text(encoding="utf-8").replace("Notizia 2", "Notizia due"), encoding="utf-8")
    result = run(site, output)
    sources = len(list((site / "content").rglob("*.md")))
    assert result.summary.converted == sources  # nothing trusted: every source parsed again
    assert_same_as_clean_build(site, output, tmp_path / "clean")


def test_record_checksum_rejects_a_flipped_byte(tmp_path):
    path = tmp_path / "x.json"
    save_record(path, "test", {"a": "b" * 100})
    assert load_record(path, "test", None) == {"a": "b" * 100}
    data = bytearray(path.read_bytes())
    data[-10] ^= 1
    path.write_bytes(bytes(data))
    notices = Notices()
    assert load_record(path, "test", notices) is None
    assert [p.code for p in notices.problems] == ["cache_entry_ignored"]
    assert load_record(tmp_path / "missing.json", "test", notices) is None
    assert len(notices.problems) == 1  # a missing file is a cold cache, not a surprise


def test_deleting_the_cache_is_safe(tmp_path):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    shutil.rmtree(site / ".cache")
    (site / "content/it/notizie/n0.md").unlink()
    run(site, output)
    assert_same_as_clean_build(site, output, tmp_path / "clean")


def test_moving_a_linked_page_updates_the_bodies_linking_to_it(tmp_path):
    """Bodies are resolved once and remembered (sitegen.bodies); a new address of a link target
    must still reach every page linking to it, and only those."""
    site = make_site(tmp_path / "site")
    output, clean = tmp_path / "out", tmp_path / "clean"
    run(site, output)
    before = {rel: (output / rel).stat().st_mtime_ns for rel in tree(output)}
    apply_edit(site, ("slug", 0, 1), [0])
    run(site, output)
    assert_same_as_clean_build(site, output, clean)
    assert b'href="/contatti-1/"' in (output / "notizie/n0/index.html").read_bytes()
    changed = sorted(
        rel
        for rel in tree(output)
        if (output / rel).stat().st_mtime_ns != before.get(rel) and not rel.startswith("pagefind/")
    )  # the search index follows the pages' text
    # The page, the bodies linking to it, its translation (hreflang, language switch), the sitemap.
    assert changed == [
        "contatti-1/index.html",
        "en/contacts/index.html",
        "notizie/n0/index.html",
        "notizie/n1/index.html",
        "notizie/n2/index.html",
        "notizie/n3/index.html",
        "sitemap.xml",
    ]


def test_the_spare_folder_is_reused_only_when_the_manifest_vouches_for_it(tmp_path):
    """The site before the live one is kept (.out.spare) and updated in place by the next build;
    a spare that is not the folder the manifest recorded is thrown away, never published."""
    site = make_site(tmp_path / "site")
    output, clean = tmp_path / "out", tmp_path / "clean"
    spare = tmp_path / ".out.spare"
    run(site, output)
    apply_edit(site, ("body", 0, 1), [0])
    run(site, output)
    assert spare.is_dir()
    page = "notizie/n2/index.html"  # unchanged by these edits: the spare holds the live file itself
    assert (spare / page).stat().st_ino == (output / page).stat().st_ino
    apply_edit(site, ("body", 1, 2), [0])
    run(site, output)
    assert_same_as_clean_build(site, output, clean)
    # A folder that merely has the spare's name: its files must not reach the site.
    shutil.rmtree(spare)
    shutil.copytree(output, spare)
    (spare / "junk.html").write_text("not ours", encoding="utf-8")
    apply_edit(site, ("body", 2, 3), [0])
    run(site, output)
    assert not (output / "junk.html").exists()
    assert_same_as_clean_build(site, output, clean)


def test_a_cold_build_leaves_a_spare_of_links_to_the_live_files_that_the_next_build_updates(tmp_path):
    site = make_site(tmp_path / "site")
    output, clean = tmp_path / "out", tmp_path / "clean"
    run(site, output)
    spare = tmp_path / ".out.spare"
    live = [rel for rel in tree(output) if not rel.startswith("pagefind/")]
    assert live and all(os.path.samefile(output / rel, spare / rel) for rel in live)
    apply_edit(site, ("body", 0, 7), [0])
    run(site, output)
    assert_same_as_clean_build(site, output, clean)
    assert b"Altro paragrafo 7." in (output / "notizie/n0/index.html").read_bytes()
