"""merge_people: the indexed merge gives exactly what comparing every pair gives, and
stays near-linear on a hostile number of candidates."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from warcite.core.models import Affiliation, Person
from warcite.extract import names
from warcite.extract.names import (
    MAX_MERGED_CANDIDATES,
    NameCandidate,
    merge_people,
)


def merge_by_every_pair(candidates: list[NameCandidate]) -> tuple[Person, ...]:
    """merge_people with its index made useless: one key for every token, so each
    candidate is compared with every earlier form (the original quadratic algorithm)."""
    original = names._token_keys
    names._token_keys = lambda token: [("token", "")]
    try:
        return merge_people(candidates)
    finally:
        names._token_keys = original


# Tokens chosen to hit every branch of same_person: romanisation variants (Hyun/Hyeon,
# Lee/Yi, Park/Pak), initials, joined letters (In Ae / Inae), reordered names.
GIVEN = ["Jane", "J.", "John", "In Ae", "Inae", "In-ae", "Mary", "M.", "Ji-hoon", "A."]
FAMILY = ["Doe", "Hyun", "Hyeon", "Lee", "Yi", "Park", "Pak", "Smith", "Kim", "Gim"]


@st.composite
def printed_name(draw: st.DrawFn) -> str:
    given_name = draw(st.sampled_from(GIVEN))
    family = draw(st.sampled_from(FAMILY))
    middle = draw(st.sampled_from(["", "A. ", "B. "]))
    order = draw(st.sampled_from(["given-first", "family-first", "inverted", "lower"]))
    if order == "family-first":
        return f"{family} {given_name}"
    if order == "inverted":
        return f"{family}, {given_name}"
    if order == "lower":
        return f"{given_name} {middle}{family}".lower()
    return f"{given_name} {middle}{family}"


candidate_lists = st.lists(
    st.builds(
        NameCandidate,
        name=printed_name(),
        source=st.sampled_from(["json-ld", "meta:author", "byline", "url"]),
        supporting=st.booleans(),
    ),
    max_size=25,
)


@given(candidate_lists)
def test_indexed_merge_groups_exactly_like_every_pair(candidates: list[NameCandidate]) -> None:
    assert merge_people(candidates) == merge_by_every_pair(candidates)


def test_known_merges_still_hold() -> None:
    people = merge_people(
        [
            NameCandidate("In Ae Hyun", "json-ld"),
            NameCandidate("Jane Doe", "byline"),
            NameCandidate("Hyeon In-ae", "bio", bio="Hyeon In-ae is a fellow."),
            NameCandidate("J. Doe", "meta:author"),
            NameCandidate("Inae Hyun", "url", supporting=True),
            NameCandidate("John Smith", "url", supporting=True),
        ]
    )
    assert [person.forms for person in people] == [
        ("Hyeon In-ae", "In Ae Hyun", "Inae Hyun"),
        ("Jane Doe", "J. Doe"),
    ]


def test_merging_ten_thousand_candidates_considers_the_first_ones() -> None:
    affiliation = Affiliation(name="University", role=None, raw="University")
    candidates = [
        NameCandidate(f"Author{i} Person{i % 7}", "meta:author", affiliations=(affiliation,))
        for i in range(10_000)
    ]
    people = merge_people(candidates)
    assert len(people) <= MAX_MERGED_CANDIDATES
    assert people[0].name == "Author0 Person0"
    same = merge_people([NameCandidate("Jane Doe", "meta:author")] * 10_000)
    assert [person.forms for person in same] == [("Jane Doe",)]


def test_the_cap_is_documented() -> None:
    assert "MAX_MERGED_CANDIDATES" in (names.merge_people.__doc__ or "")
