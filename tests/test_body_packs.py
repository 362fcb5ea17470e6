"""The body store's packs: a few files per build, every place read back checked, packs no record
names removed, mostly dead ones compacted.  (Fixture site: tests/test_incremental.py.)"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from test_incremental import assert_same_as_clean_build, make_site, run

from sitegen import parallel
from sitegen.cache import files, packs, parses
from sitegen.cache.codec import Invalid
from sitegen.cache.files import Notices
from sitegen.cache.packs import BodyStore, check_place
from sitegen.cache.parses import DocumentRecord
from sitegen.content import ParsedBody
from sitegen.errors import BuildError
from sitegen.markdown_render import Converted
from sitegen.options import BuildOptions, load


def _body(text: str) -> ParsedBody:
    return ParsedBody(text, Converted(f"<p>{text}</p>", ()))


class _Recovered:
    """A ``recover`` that notes which documents it was asked for."""

    def __init__(self) -> None:
        self.asked: list[object] = []

    def __call__(self, doc: object) -> ParsedBody:
        self.asked.append(doc)
        return _body("made again")


def _store(tmp_path: Path) -> tuple[BodyStore, _Recovered, Notices]:
    recovered, notices = _Recovered(), Notices()
    return BodyStore(tmp_path / "parsed", recovered, notices), recovered, notices


A, B = "a" * 64, "b" * 64


def test_bodies_read_back_from_their_places(tmp_path):
    store, recovered, notices = _store(tmp_path)
    first, second = store.save(A, _body("uno")), store.save(B, _body("due"))
    store.close()
    assert first[0] == second[0] and second[1] == first[1] + first[2]  # one pack, one after the other
    assert [p.name for p in (tmp_path / "parsed").iterdir()] == [first[0] + ".pack"]
    fresh, _, _ = _store(tmp_path)
    assert fresh._read(B, second) == _body("due")
    assert fresh._read(A, first) == _body("uno")
    assert recovered.asked == [] and notices.problems == []


def test_a_truncated_pack_is_a_miss_with_a_notice(tmp_path):
    store, recovered, notices = _store(tmp_path)
    first, second = store.save(A, _body("uno")), store.save(B, _body("due"))
    store.close()
    path = store.path(first[0])
    path.write_bytes(path.read_bytes()[: second[1] + 5])
    body, place = store.body_of(B, second, object())
    assert body == _body("made again") and len(recovered.asked) == 1
    assert place != second and store.moved == {B: place}  # stored again, in a new pack
    assert [(p.code, p.params["detail"]) for p in notices.problems] == [("cache_entry_ignored", f"{B[:12]}: truncated")]
    assert store.body_of(A, first, object())[0] == _body("uno")  # what is whole is still read


@pytest.mark.parametrize("offset", [10**12, 2**63 - 1, 1])
def test_an_offset_outside_the_pack_or_inside_a_record_is_a_miss(tmp_path, offset):
    store, recovered, notices = _store(tmp_path)
    name, _offset, length = store.save(A, _body("uno"))
    store.close()
    body, _place = store.body_of(A, (name, offset, length), object())
    assert body == _body("made again") and len(recovered.asked) == 1
    assert [p.code for p in notices.problems] == ["cache_entry_ignored"]


def test_the_place_of_another_body_is_a_miss(tmp_path):
    store, recovered, notices = _store(tmp_path)
    first = store.save(A, _body("uno"))
    store.close()
    assert store.body_of(B, first, object())[0] == _body("made again")
    assert "another body" in notices.problems[0].params["detail"]


@pytest.mark.parametrize(
    "place",
    [
        ("../" + "a" * 29, 0, 1),
        ("/etc/passwd", 0, 1),
        ("A" * 32, 0, 1),
        ("a" * 31, 0, 1),
        ("a" * 32, -1, 1),
        ("a" * 32, 0, 0),
    ],
)
def test_a_place_that_cannot_be_one_is_refused(place):
    with pytest.raises(Invalid):
        check_place(place)


def _config(site: Path):
    return load(BuildOptions(config_path=site / "config.yaml"))


def _shard_records(site: Path):
    """(path, its payload) of every parse shard."""
    found = []
    for path in sorted((site / ".cache").glob("parsed-*.json")):
        _header, payload = path.read_bytes().split(b"\n", 1)
        found.append((path, json.loads(payload)))
    return found


def test_a_pack_name_leading_out_of_the_store_is_refused(tmp_path):
    """A record with a valid checksum whose place names '../outside': never read, made again."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    outside = tmp_path / "site" / ".cache" / "outside.pack"
    outside.write_bytes(b"not to be read")
    where = [f.name for f in dataclasses.fields(DocumentRecord)].index("body")
    for path, payload in _shard_records(site):
        for record in payload.values():
            record[where] = ["../outside" + "0" * 22, 0, 10]
        files.save_record(path, "parses", payload)
    template = site / "templates/news_item.html"
    template.write_text(template.read_text(encoding="utf-8") + "<!-- changed -->\n", encoding="utf-8")
    result = run(site, output, jobs=1)
    assert result.summary.converted > 0  # the records were refused: parsed again
    assert outside.read_bytes() == b"not to be read"
    assert_same_as_clean_build(site, output, tmp_path / "clean")


def _pack_names(site: Path) -> set[str]:
    return {p.name for p in (site / ".cache/parsed").glob("*.pack")}


def test_a_pack_dead_but_for_entries_that_wait_for_their_shard_is_compacted_and_removed(tmp_path, monkeypatch):
    """A deleted document's parse waits in a shard not written (at most a quarter stale), but its
    body no longer counts as alive: the pack it makes mostly dead is compacted, and removed."""
    monkeypatch.setattr(packs, "GRACE_NS", 0)
    monkeypatch.setattr(parses, "SHARDS", 1)  # one shard: one deletion among 10 entries leaves it 10 % stale
    site = make_site(tmp_path / "site", news=8)
    big = site / "content/it/notizie/n0.md"
    big.write_text(
        big.read_text(encoding="utf-8") + "\n" + "Una frase lunga, ripetuta. " * 3000 + "\n", encoding="utf-8"
    )
    output = tmp_path / "out"
    run(site, output, jobs=1)
    (cold,) = _pack_names(site)
    size = os.path.getsize(site / ".cache/parsed" / cold)
    big.unlink()  # most of the pack's bytes: its body
    run(site, output, jobs=1)
    (compacted,) = _pack_names(site)
    assert compacted != cold and os.path.getsize(site / ".cache/parsed" / compacted) < size / 2
    assert_same_as_clean_build(site, output, tmp_path / "clean")


def test_edits_add_small_packs_which_are_merged_beyond_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(packs, "MAX_PACKS", 3)
    monkeypatch.setattr(packs, "GRACE_NS", 0)
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    counts = []
    for number in range(6):
        target = site / f"content/it/notizie/n{number % 4}.md"
        target.write_text(target.read_text(encoding="utf-8") + f"\nAggiunta {number}.\n", encoding="utf-8")
        run(site, output, jobs=1)
        counts.append(len(_pack_names(site)))
    assert max(counts) <= 3  # merged whenever there were MAX_PACKS
    assert_same_as_clean_build(site, output, tmp_path / "clean")


def test_a_mostly_dead_pack_is_compacted_and_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(packs, "GRACE_NS", 0)
    site = make_site(tmp_path / "site", news=8)
    output = tmp_path / "out"
    run(site, output, jobs=1)
    (cold,) = _pack_names(site)
    size = os.path.getsize(site / ".cache/parsed" / cold)
    for number in range(8):  # most bodies of the cold pack go
        (site / f"content/it/notizie/n{number}.md").unlink()
    run(site, output, jobs=1)
    (compacted,) = _pack_names(site)
    assert compacted != cold and os.path.getsize(site / ".cache/parsed" / compacted) < size / 2
    assert_same_as_clean_build(site, output, tmp_path / "clean")


def test_a_recent_pack_no_record_names_is_left_to_its_build(tmp_path):
    """serve and build may share a cache: the other's pack, still filling up, stays."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    other = site / ".cache/parsed" / ("f" * 32 + ".pack")
    other.write_bytes(b"another build's bodies")
    target = site / "content/it/notizie/n1.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nAltro.\n", encoding="utf-8")
    run(site, output)
    assert other.exists()
    old = 1_000_000_000
    os.utime(other, (old, old))
    target.write_text(target.read_text(encoding="utf-8") + "\nAncora.\n", encoding="utf-8")
    run(site, output)
    assert not other.exists()


def test_a_cold_build_creates_one_body_file_per_worker_not_per_document(tmp_path, monkeypatch):
    """O(workers), not O(documents): the store adds one pack per worker, whatever the count."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    for news in (4, 28):
        site = make_site(tmp_path / f"site{news}", news=news)
        run(site, tmp_path / f"out{news}", jobs=2)
        made = list((site / ".cache/parsed").iterdir())
        assert 1 <= len(made) <= 2 and all(p.name.endswith(".pack") for p in made)


def test_compaction_copies_the_live_bodies_and_gives_up_the_damaged_ones(tmp_path):
    store, _recovered, notices = _store(tmp_path)
    first, second = store.save(A, _body("uno")), store.save(B, _body("due"))
    store.save("c" * 64, _body("tre " * 500))  # dead: no record names it
    store.close()
    path = store.path(second[0])
    data = bytearray(path.read_bytes())
    data[second[1] + second[2] - 2] ^= 0xFF  # the second body flipped
    path.write_bytes(bytes(data))
    moved = store.compact({A: first, B: second})
    assert moved[B] == packs.NO_PLACE  # its parse is dropped: converted again next time
    assert moved[A][0] != first[0] and store._read(A, moved[A]) == _body("uno")
    assert [p.code for p in notices.problems] == ["cache_entry_ignored"]


def test_a_failed_build_leaves_the_cache_it_found_usable(tmp_path):
    """Its new packs are named by no record; the next build reads the old ones, then sweeps."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    before = _pack_names(site)
    edited, broken = site / "content/it/notizie/n1.md", site / "content/it/notizie/n2.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAltro.\n", encoding="utf-8")
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("date: 2026-", "date: 2026-13-", 1), encoding="utf-8")
    with pytest.raises(BuildError):
        run(site, output, jobs=1)
    assert before < _pack_names(site)  # the edited body was stored; the old packs are intact
    broken.write_text(text, encoding="utf-8")
    result = run(site, output, jobs=1)
    # n1 converted again (the failed build recorded nothing), n2 back to its old, cached parse
    assert result.summary.converted == 1 and not [p for p in result.warnings if p.code == "cache_entry_ignored"]
    assert_same_as_clean_build(site, output, tmp_path / "clean")
