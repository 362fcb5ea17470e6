"""The cheap pass before the ownership check (sitegen.addresses._may_clash) never hides a clash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen import addresses
from sitegen.addresses import Claim, ownership_problems

_SEGMENTS = st.sampled_from(["a", "b", "en", "index.html", "x.html", "pagefind"])
_OUTPUTS = st.builds(
    lambda parts, whole: "/".join(parts) + ("/" if whole else ""),
    st.lists(_SEGMENTS, min_size=1, max_size=3),
    st.booleans(),
)
_CLAIMS = st.builds(
    Claim,
    _OUTPUTS,
    st.sampled_from(["content/a.md", "config.yaml", "static/x"]),
    st.sampled_from([None, 1, 2]),
    st.sampled_from(["claim_page", "claim_static", "claim_search_index", "claim_file"]),
)


def _full_check(claims: list[Claim]) -> list:
    """ownership_problems without the cheap pass: the sort and the walk over every claim."""
    cheap = addresses._may_clash
    addresses._may_clash = lambda _claims: True
    try:
        return ownership_problems(claims)
    finally:
        addresses._may_clash = cheap


@settings(max_examples=300, deadline=None)
@given(claims=st.lists(_CLAIMS, max_size=8))
def test_the_cheap_pass_finds_every_clash_the_full_check_finds(claims):
    assert ownership_problems(claims) == _full_check(claims)


def test_a_file_where_a_folder_is_needed_and_a_file_inside_a_whole_folder_are_clashes():
    page = Claim("en/index.html", "content/en/index.md", None, "claim_page")
    assert addresses._may_clash([page, Claim("en", "content/en", None, "claim_file")])
    assert addresses._may_clash(
        [
            Claim("pagefind/", "config.yaml", 3, "claim_search_index"),
            Claim("pagefind/x.js", "static/x", None, "claim_static"),
        ]
    )
    assert addresses._may_clash([page, Claim("en/index.html", "content/en/other.md", None, "claim_page")])
    assert not addresses._may_clash([page, page, Claim("en/a/index.html", "content/en/a.md", None, "claim_page")])
