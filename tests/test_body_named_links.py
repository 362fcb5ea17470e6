"""The named links serve keeps per body digest (sitegen.bodies.BodyCache.named_links)."""

from __future__ import annotations

from sitegen.bodies import BodyCache, BodyRecord


def test_the_named_links_of_a_record_follow_the_record_put_under_its_digest():
    """serve keeps each replayed record's named links between rebuilds: a record put again
    under the same digest must not be answered with the old one's links."""
    cache = BodyCache(None)
    digest = "a" * 64
    first = BodyRecord((("href", "/uno/", "/uno/", ""),), ())
    cache.put(digest, first)
    assert [link.site_path for link in cache.named_links(digest, first)] == ["/uno/"]
    second = BodyRecord((("href", "/due/", "/due/", "x"),), ())
    cache.put(digest, second)
    named = cache.named_links(digest, second)
    assert [(link.site_path, link.fragment) for link in named] == [("/due/", "x")]
    cache.save()  # used this build: kept
    assert cache.named_links(digest, second) is named
