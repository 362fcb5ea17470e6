"""The pipeline's stages called one by one, and the two output targets giving the same site."""

from __future__ import annotations

from pathlib import Path

from sitetest import FIXED_NOW, tree

from sitegen.bodies import BodyCache
from sitegen.build import BuildOptions, build, build_in_memory
from sitegen.options import load
from sitegen.output_guard import MARKER
from sitegen.progress import Progress
from sitegen.sources import SourceParser
from sitegen.stage_parse import assemble, gather, parse
from sitegen.stage_plan import plan
from sitegen.target import MemoryTarget, put_all


def test_the_stages_are_functions_from_values_to_values(fixture_site):
    site_dir = fixture_site("basic")
    config = load(BuildOptions(config_path=site_dir / "config.yaml"))
    gathered = gather(config)
    assert any(s.rel == "it/chi-siamo.md" for s in gathered.sources)
    parsed = parse(config, gathered, SourceParser(config, use_cache=False), 1, Progress(enabled=False), None)
    assert len(parsed.documents) == len(gathered.sources)
    assembled = assemble(config, parsed, FIXED_NOW, drafts=False)
    assert all(not doc.meta.draft for doc in assembled.site.documents)
    planned = plan(config, assembled.site, parsed.asset_files, "settings", False, BodyCache(None), {})
    paths = [job.site_path for job in planned.jobs]
    assert "/chi-siamo/" in paths and len(paths) == len(set(paths))
    assert planned.keys == (None,) * len(planned.jobs)  # a cold plan: keys are made where pages are rendered
    assert "sitemap.xml" in planned.others and "robots.txt" in planned.others


def test_check_in_memory_and_build_on_disk_make_the_same_files(fixture_site, tmp_path):
    site_dir = fixture_site("basic")
    options = BuildOptions(config_path=site_dir / "config.yaml", output=tmp_path / "out", now=FIXED_NOW, cache=False)
    built = build_in_memory(load(options), options)
    assert not (tmp_path / "out").exists()  # nothing of the site is written
    build(options)
    on_disk = tree(tmp_path / "out")
    pages = {rel: data for rel, data in on_disk.items() if not rel.startswith("pagefind/") and rel != MARKER}
    in_memory = {rel: data if isinstance(data, bytes) else Path(data).read_bytes() for rel, data in built.files.items()}
    assert in_memory == pages


def test_the_memory_target_keeps_what_is_put_and_drops_the_rest():
    target = MemoryTarget(Path("unused"))
    target.begin()
    written = put_all(target, {"a.html": b"<p id=x>", "b.txt": b"b"})
    assert written["a.html"].new and written["a.html"].size == 8
    target.drop_others(frozenset({"a.html"}))
    assert target.read("a.html") == b"<p id=x>" and target.read("b.txt") is None
    assert target.commit(frozenset({"a.html"}), spare=False).files == {"a.html": b"<p id=x>"}
