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
from sitegen.stage_plan import plan, with_bodies
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


def test_bodies_first_resolved_where_their_pages_are_rendered_give_the_plan_what_a_replay_gives(fixture_site):
    """A media-free body without a record is resolved by the worker that renders its page
    (sitegen.bodies.DeferredBody); its links and problems are put in the plan where a build
    that replays its record puts them, and the record is remembered."""
    site_dir = fixture_site("basic")
    (site_dir / "content" / "it" / "rotti.md").write_text(
        '---\ntitle: "Rotti"\n---\n\n[uno](/non-esiste/) e [due](chi-siamo.md#storia) e [tre](manca.md)\n',
        encoding="utf-8",
    )
    config = load(BuildOptions(config_path=site_dir / "config.yaml"))
    parsed = parse(config, gather(config), SourceParser(config, use_cache=False), 1, Progress(enabled=False), None)
    site = assemble(config, parsed, FIXED_NOW, drafts=False).site
    bodies = BodyCache(None)
    cold = plan(config, site, parsed.asset_files, "settings", False, bodies, {})
    assert cold.deferred and all("<img" not in item.doc.converted.html for item in cold.deferred)
    assert all(cold.jobs[item.index].document is item.doc for item in cold.deferred)
    completed = with_bodies(cold, {}, bodies)  # (no page rendered: each body resolved here)
    replayed = plan(config, site, parsed.asset_files, "settings", False, bodies, {})
    assert replayed.deferred == () and completed.deferred == ()
    assert completed.links == replayed.links and completed.problems == replayed.problems
    broken = [problem for problem in completed.problems if problem.path.endswith("rotti.md")]
    assert [(problem.code, problem.params["target"]) for problem in broken] == [("link_missing", "manca.md")]
    found = dict(completed.links)[next(doc for doc in site.documents if doc.source.rel == "it/rotti.md")]
    assert [(link.site_path, link.fragment) for link in found] == [("/non-esiste/", ""), ("/chi-siamo/", "storia")]
