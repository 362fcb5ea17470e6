"""Records decoded column by column are the records the codec decodes one by one, and a
record the codec refuses makes the whole list refused (a parse shard is then a miss).

(Fixture site: tests/test_incremental.py.)
"""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from test_incremental import NOW, assert_same_as_clean_build, make_site, news_text, run

from sitegen.cache import files, parses
from sitegen.cache.codec import Invalid, decoder, encode
from sitegen.cache.columns import records_decoder
from sitegen.frontmatter import Meta

ROME = ZoneInfo("Europe/Rome")


def _record(number: int, **meta: object) -> parses.DocumentRecord:
    values = {
        "title": f"Titolo {number}",
        "date": datetime(2026, 1, number + 1, tzinfo=ROME),
        "tags": ("ricerca", "rete")[: number % 3],
        "slug": None if number % 2 else f"voce-{number}",
        "menu": number if number % 2 else None,
        **meta,
    }
    return parses.DocumentRecord(
        Meta(**values),  # type: ignore[arg-type]
        "it",
        "news",
        f"/notizie/voce-{number}/",
        3 + number,
        f"{number:040x}",
        tuple((2, f"parte-{n}", f"Parte {n}") for n in range(number % 4)),
        number % 4 == 1,
        ("", "scheda.pdf", "è.jpg")[: number % 4],
        (("title", 2), ("date", 3))[: 1 + number % 2],
        (f"{number:032x}", number * 10, 5) if number % 3 else ("", 0, 0),
    )


RECORDS = [_record(number) for number in range(7)]


def _stored(records: list[parses.DocumentRecord]) -> list[object]:
    value = json.loads(json.dumps([encode(parses.DocumentRecord, record) for record in records]))
    assert isinstance(value, list)
    return value


def test_records_come_back_as_the_codec_reads_them_one_by_one():
    stored = _stored(RECORDS)
    one_by_one = [decoder(parses.DocumentRecord)(value) for value in stored]
    together = records_decoder(parses.DocumentRecord)(stored)
    assert together == one_by_one == RECORDS
    assert [vars(record) for record in together] == [vars(record) for record in one_by_one]
    assert [vars(record.meta) for record in together] == [vars(record.meta) for record in RECORDS]
    assert records_decoder(parses.DocumentRecord)([]) == []


def _mutations(stored: list[object]):
    """Each record with one value made wrong, in every field and in every field of its front matter."""
    width = len(dataclasses.fields(parses.DocumentRecord))
    meta_width = len(dataclasses.fields(Meta))
    for index in range(len(stored)):
        for wrong in ("text", 7, None, True, [], ["x"], [[1, "a"]], {"a": 1}):
            for field in range(width):
                changed = copy.deepcopy(stored)
                changed[index][field] = wrong  # type: ignore[index]
                yield changed
            for field in range(meta_width):
                changed = copy.deepcopy(stored)
                changed[index][0][field] = wrong  # type: ignore[index]
                yield changed
        yield [*stored[:index], stored[index][:-1], *stored[index + 1 :]]  # type: ignore[index]  # a field missing
        yield [*stored[:index], [*stored[index], 1], *stored[index + 1 :]]  # type: ignore[misc]  # a field too many
        yield [*stored[:index], "record", *stored[index + 1 :]]


def test_a_record_the_codec_refuses_makes_the_whole_list_refused():
    one = decoder(parses.DocumentRecord)
    refused = 0
    for changed in _mutations(_stored(RECORDS[:3])):
        try:
            expected = [one(value) for value in changed]
        except Invalid:
            refused += 1
            with pytest.raises(Invalid):
                records_decoder(parses.DocumentRecord)(changed)
        else:
            assert records_decoder(parses.DocumentRecord)(changed) == expected
    assert refused > 100


@pytest.mark.parametrize(
    "change",
    [
        {"lang": "fr"},
        {"kind": "post"},
        {"url": "notizie/x/"},
        {"url": "/a/../b/"},
        {"body_line": 0},
        {"digest": "g" * 40},
        {"digest": "a" * 64},
        {"body": ("../" + "0" * 29, 0, 5)},
        {"body": ("a" * 32, -1, 5)},
        {"body": ("a" * 32, 0, 0)},
    ],
)
def test_a_shard_with_a_value_out_of_range_is_refused(change):
    bad = [*RECORDS[:3], dataclasses.replace(RECORDS[3], **change)]  # type: ignore[arg-type]
    stored = dict(zip([f"{n:064x}" for n in range(4)], _stored(bad), strict=True))
    with pytest.raises(Invalid):
        parses.decode_shard(stored, ("it", "en"))
    assert len(parses.decode_shard(dict(list(stored.items())[:3]), ("it", "en"))) == 3


@pytest.mark.parametrize("meta", [{"lang": "fr"}, {"layout": "nessuno"}])
def test_front_matter_out_of_range_is_refused(meta):
    stored = {"a" * 64: _stored([_record(1, **meta)])[0]}
    with pytest.raises(Invalid):
        parses.decode_shard(stored, ("it", "en"))


def test_a_damaged_record_costs_its_shard_a_parse_and_nothing_else(tmp_path):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    shard = next(path for path in sorted((site / ".cache").glob("parsed-*.json")) if len(_payload(path)) > 0)
    payload = _payload(shard)
    digest = next(iter(payload))
    payload[digest][1] = "fr"  # a language the site does not have, behind a valid checksum
    files.save_record(shard, "parses", payload)
    template = site / "templates/news_item.html"
    template.write_text(template.read_text(encoding="utf-8") + "<!-- changed -->\n", encoding="utf-8")
    result = run(site, output, jobs=1)
    assert any(p.code == "cache_entry_ignored" and "parsed-" in p.path for p in result.warnings)
    assert 0 < result.summary.converted
    assert_same_as_clean_build(site, output, tmp_path / "clean", NOW)


def _payload(path):
    return json.loads(path.read_bytes().split(b"\n", 1)[1])


def test_resolved_body_records_come_back_as_the_codec_reads_them():
    """The bodies' shards (sitegen.bodies) are read by table_decoder: the same records, the same refusals."""
    from sitegen.bodies import BodyRecord, _checked_records
    from sitegen.errors import WARNING, Problem

    records = {
        f"{n:064x}": BodyRecord(
            tuple(("href", f"/x{k}/", f"/x{k}/", "") for k in range(n)),
            (Problem("link_missing", "content/it/a.md", n, {"url": "/y/"}, WARNING),) if n % 2 else (),
        )
        for n in range(5)
    }
    stored = json.loads(json.dumps(encode(dict[str, BodyRecord], records)))
    assert _checked_records(stored) == decoder(dict[str, BodyRecord])(stored) == records
    for bad in (
        {**stored, "f" * 63: stored[f"{1:064x}"]},  # a key that is no digest
        {**stored, f"{1:064x}": [[["href", "/x/", "/x/"]], []]},  # a link of three values
        {**stored, f"{1:064x}": [[], [["no_such_message", "a.md", 1, {}, "warning"]]]},
        {**stored, f"{1:064x}": [[], [["link_missing", "a.md", "1", {}, "warning"]]]},
        [stored],
    ):
        with pytest.raises(Invalid):
            _checked_records(bad)


def _shard_payloads(site, kind="parsed"):
    return {path.name: _payload(path) for path in sorted((site / ".cache").glob(f"{kind}-*.json"))}


NEWS = 128


def test_an_edit_leaves_the_old_parse_until_its_shard_is_written(tmp_path):
    """The edited source's old parse is stale: it goes when its shard is written (for a new
    parse, or once a quarter of it is stale), not at once in a shard written only for it;
    the same for its resolved body's record (sitegen.bodies)."""

    site = make_site(tmp_path / "site", news=0)
    for number in range(NEWS):  # several records a shard: one stale entry is less than a quarter
        (site / f"content/it/notizie/n{number}.md").write_text(
            news_text(f"Notizia {number}", 1 + number % 28), encoding="utf-8"
        )
    output = tmp_path / "out"
    run(site, output)
    before, bodies_before = _shard_payloads(site), _shard_payloads(site, "bodies")
    source = site / "content/it/notizie/n7.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nAggiunto.\n", encoding="utf-8")
    run(site, output)
    after = _shard_payloads(site)
    changed = [name for name in before if before[name] != after[name]]
    added = {d for payload in after.values() for d in payload} - {d for payload in before.values() for d in payload}
    assert len(added) == 1 and len(changed) == 1  # only the new parse's shard was written
    bodies_after = _shard_payloads(site, "bodies")
    assert len([name for name in bodies_before if bodies_before[name] != bodies_after[name]]) == 1
    assert_same_as_clean_build(site, output, tmp_path / "clean", NOW)
    for number in range(NEWS):  # the news gone: their shards, mostly stale, are emptied of them
        (site / f"content/it/notizie/n{number}.md").unlink()
    run(site, output)
    left = [d for payload in _shard_payloads(site).values() for d in payload]
    assert len(left) == len(list((site / "content").rglob("*.md")))


def test_the_codec_reads_tables_and_tuples_of_records_column_by_column():
    """dict[str, X] and tuple[X, ...] of a dataclass X (a manifest's pages, a fast record's
    warnings) are decoded by sitegen.cache.columns: the same values, the same refusals."""
    from sitegen.errors import NOTICE, WARNING, Problem
    from sitegen.incremental import PageRecord

    pages = {f"p{n}/index.html": PageRecord("a" * 64, n, n * 7, frozenset({"x"}) if n % 2 else None) for n in range(4)}
    stored = json.loads(json.dumps(encode(dict[str, PageRecord], pages)))
    assert decoder(dict[str, PageRecord])(stored) == pages
    problems = (
        Problem("link_missing", "a.md", 3, {"url": "/x/"}, WARNING),
        Problem("cache_entry_ignored", "b", None, {}, NOTICE),
    )
    assert decoder(tuple[Problem, ...])(json.loads(json.dumps(encode(tuple[Problem, ...], problems)))) == problems
    for bad in (
        {**stored, "p9": ["a" * 64, "1", 2, None, None]},
        {**stored, "p9": ["a" * 64, 1, 2]},
        {3: stored["p0/index.html"]},
    ):
        with pytest.raises(Invalid):
            decoder(dict[str, PageRecord])(bad)
    with pytest.raises(Invalid):
        decoder(tuple[Problem, ...])([["link_missing", "a.md", 3, {"url": 1}, "warning"]])
