"""The render stage's shortcuts answer as the long way does.

* The Jinja environment looks ``x.name`` up on a plain dict in one step: the same value (or
  the same undefined) as Jinja's own ``getattr`` then ``[]``, dict methods included.
* The templates are looked at once per build, not once per page (``auto_reload`` is off
  while the pages render): a ``serve`` session still renders a template changed between two
  builds, and reports one broken since.
* A render worker remembers the reprs of the dicts its pages share: each one is kept alive
  while remembered, so a later page's dict is never taken for it (a page digest is always
  the one a fresh memo gives).
* A page leaves no reference cycle behind (the macros are imported without the page's
  context): nothing for the cycle collector to find, its values freed at once.

(Fixture site: tests/test_incremental.py.)
"""

from __future__ import annotations

import gc
import os

import jinja2
import pytest
from test_incremental import NOW, make_site

from sitegen import stage_render
from sitegen.build import build
from sitegen.errors import BuildError
from sitegen.incremental import page_digest
from sitegen.options import BuildOptions, load
from sitegen.render import make_environment
from sitegen.session import Session


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("site") / "site", news=0)
    return make_environment(load(BuildOptions(config_path=site / "config.yaml")))


class _Object:
    title = "attribute"

    def __getitem__(self, key: str) -> str:
        return f"item {key}"


class _Dict(dict[str, object]):
    title = "class attribute"


@pytest.mark.parametrize(
    "obj",
    [
        {"title": "T", "url": "/x/"},
        {"items": "a key named like a method", "get": 1, "__class__": 2},
        {},
        {1: "not a string key"},
        _Dict(title="item"),
        _Object(),
        ("a", "b"),
        "text",
        None,
    ],
)
@pytest.mark.parametrize("name", ["title", "url", "items", "get", "keys", "__class__", "missing", "upper", "count"])
def test_an_attribute_is_what_jinja_finds(environment, obj, name):
    ours = environment
    theirs = jinja2.Environment(undefined=jinja2.StrictUndefined)
    found, expected = ours.getattr(obj, name), theirs.getattr(obj, name)
    if isinstance(expected, jinja2.Undefined):
        assert isinstance(found, jinja2.StrictUndefined)
        assert (found._undefined_obj, found._undefined_name) == (obj, name)
    else:
        assert found == expected


def _touch(path, text: str) -> None:
    """Write ``text`` with a modification time Jinja cannot take for the old one."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_a_session_renders_the_templates_as_they_are_at_each_build(tmp_path):
    site = make_site(tmp_path / "site")
    out = tmp_path / "out"
    options = BuildOptions(config_path=site / "config.yaml", output=out, now=NOW)
    session = Session()
    build(options, session)
    env = session.environment(load(options), None)
    assert env.auto_reload  # on again after the render stage (another user of the environment)
    partial = site / "templates/partials/social.html"  # included by base.html, extended by every page
    original = partial.read_text(encoding="utf-8")
    _touch(partial, original + '<meta name="x-changed" content="1">\n')
    build(options, session)
    assert '<meta name="x-changed" content="1">' in (out / "index.html").read_text(encoding="utf-8")
    _touch(partial, original + "{% if %}\n")
    with pytest.raises(BuildError) as failed:
        build(options, session)
    assert {problem.code for problem in failed.value.problems} == {"template_syntax"}
    _touch(partial, original)
    build(options, session)
    assert "x-changed" not in (out / "index.html").read_text(encoding="utf-8")
    partial.unlink()
    with pytest.raises(BuildError) as failed:
        build(options, session)
    assert {problem.code for problem in failed.value.problems} == {"template_missing"}


def test_a_workers_memo_never_takes_a_new_dict_for_an_old_one():
    memo: dict[int, str] = {}
    alive: list[object] = []
    for number in range(200):
        # a new dict per page, dropped after it: its id is free for the next page's
        context = {"t": {"skip": f"salta {number}"}, "items": [{"url": f"/{number}/"}], "n": number}
        key = page_digest("/p/", "page.html", context, "digest", memo, alive)
        assert key == page_digest("/p/", "page.html", context, "digest", {})
    assert len(alive) == len(memo) == 400


def test_a_page_leaves_no_cycle_to_collect(tmp_path, monkeypatch):
    """Macros imported with the page's context are made again for every page, each pointing back
    at a module that holds the page's values: garbage only a collection frees (a worker's
    collections were some 85 per 570 pages, and its memory held the pages' values meanwhile)."""
    site = make_site(tmp_path / "site")
    real = stage_render.render_job
    left: dict[str, list[str]] = {}

    def render_job(env, job, context=None):
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            data = real(env, job, context)
            gc.collect()
            left.setdefault(job.template, []).append(",".join(sorted({type(o).__name__ for o in gc.garbage})))
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
        return data

    monkeypatch.setattr(stage_render, "render_job", render_job)
    build(BuildOptions(config_path=site / "config.yaml", output=tmp_path / "out", now=NOW))
    assert len(left["news_item.html"]) >= 3 and len(left["page.html"]) >= 3 and len(left["news_list.html"]) >= 2
    for template, found in left.items():
        assert found[1:] == [""] * (len(found) - 1), template  # (the first page loads the macros)
