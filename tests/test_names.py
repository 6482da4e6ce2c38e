"""Personal names: parsing, name order, particles, organisations, initials, merging, bios."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warcite.extract.names import (
    NameCandidate,
    clean_name,
    is_organization,
    merge_people,
    names_from_url,
    parse_bio,
    parse_name,
    plausible_name,
    same_person,
    split_names,
    strip_roles,
)


@pytest.mark.parametrize(
    ("raw", "given", "family", "order"),
    [
        ("Hyeon In-ae", "In-ae", "Hyeon", "family-first"),
        ("In Ae Hyun", "In Ae", "Hyun", "given-first"),
        ("Kim Jong-un", "Jong-un", "Kim", "family-first"),
        ("Xi Jinping", "Jinping", "Xi", "family-first"),
        ("Wei Wang", "Wei", "Wang", "given-first"),  # both could be family names: as written
        ("Jane Doe", "Jane", "Doe", "given-first"),
        ("J. R. R. Tolkien", "J. R. R.", "Tolkien", "given-first"),
        ("J.K. Rowling", "J.K.", "Rowling", "given-first"),
        ("Doe, Jane", "Jane", "Doe", "given-first"),
        ("By Jane Doe, Ph.D.", "Jane", "Doe", "given-first"),
        ("Dr. Jane Doe", "Jane", "Doe", "given-first"),
    ],
)
def test_parse_name_orders(raw: str, given: str, family: str, order: str) -> None:
    parsed = parse_name(raw)
    assert parsed is not None
    assert (parsed.given, parsed.family, parsed.name_order) == (given, family, order)
    assert parsed.kind == "person"


@pytest.mark.parametrize(
    ("raw", "family", "particle"),
    [
        ("Ludwig van Beethoven", "van Beethoven", "van"),
        ("Juan de la Cruz", "de la Cruz", "de la"),
        ("Pieter van der Berg", "van der Berg", "van der"),
        ("Ursula von der Leyen", "von der Leyen", "von der"),
    ],
)
def test_particles_stay_with_the_family_name(raw: str, family: str, particle: str) -> None:
    parsed = parse_name(raw)
    assert parsed is not None
    assert (parsed.family, parsed.particle) == (family, particle)


def test_suffixes() -> None:
    parsed = parse_name("Martin Luther King Jr.")
    assert parsed is not None
    assert (parsed.given, parsed.family, parsed.suffix) == ("Martin Luther", "King", "Jr.")
    third = parse_name("John Smith III")
    assert third is not None and (third.family, third.suffix) == ("Smith", "III")


def test_single_names_and_organisations() -> None:
    single = parse_name("Madonna")
    assert single is not None and single.name_order == "single" and single.kind == "person"
    for organisation in ("Associated Press", "The Upwork Team", "BBC", "Reuters", "Podium Staff"):
        assert is_organization(organisation), organisation
        parsed = parse_name(organisation)
        assert parsed is not None and parsed.kind == "organization"
        assert parsed.family is None and parsed.given is None
    assert is_organization("Quiet Archive", site_name="The Quiet Archive") is False
    assert is_organization("quietarchive", site_name="QuietArchive")
    assert not is_organization("Jane Doe")


def test_same_person_ignores_case_hyphens_order_and_romanisation() -> None:
    assert same_person("Hyeon In-ae", "In Ae Hyun")
    assert same_person("In-ae-Hyun", "Hyeon In-ae")
    assert same_person("HYUN IN AE", "hyeon in-ae")
    assert same_person("Lee Min-jung", "Min Jung Rhee")
    assert same_person("Park Ji-sung", "Ji-sung Pak")
    assert same_person("Jane A. Doe", "Jane Doe")
    assert same_person("J. Doe", "Jane Doe")
    assert same_person("José García", "Jose Garcia")
    assert not same_person("Jane Doe", "John Doe")
    assert not same_person("Hyeon In-ae", "Hyeon In-ho")
    assert not same_person("Kim Jong-un", "Kim Jong-il")


def test_merge_prefers_the_bio_form_and_keeps_every_form() -> None:
    people = merge_people(
        [
            NameCandidate("In Ae Hyun", "text:author-box"),
            NameCandidate("Hyeon In-ae", "bio", bio="Hyeon In-ae is a fellow of X."),
            NameCandidate("In-ae-Hyun", "url", supporting=True),
        ]
    )
    assert len(people) == 1
    person = people[0]
    assert person.name == "Hyeon In-ae"
    assert person.forms == ("Hyeon In-ae", "In Ae Hyun", "In-ae-Hyun")
    assert (person.family, person.given, person.name_order) == ("Hyeon", "In-ae", "family-first")
    assert person.sources == ("text:author-box", "bio", "url")


def test_merge_keeps_distinct_people_and_drops_supporting_only() -> None:
    people = merge_people(
        [
            NameCandidate("Jane Doe", "byline"),
            NameCandidate("John Smith", "byline"),
            NameCandidate("J. Doe", "meta:author"),
            NameCandidate("Somebody Else", "url", supporting=True),
        ]
    )
    assert [p.name for p in people] == ["Jane Doe", "John Smith"]
    assert people[0].forms == ("Jane Doe", "J. Doe")


def test_split_names() -> None:
    assert split_names("By Jane Doe and John Smith") == ["Jane Doe", "John Smith"]
    assert split_names("Jane Doe, John Smith & Mary Major") == [
        "Jane Doe",
        "John Smith",
        "Mary Major",
    ]
    assert split_names("Doe, Jane") == ["Jane Doe"]
    assert split_names("A. B. Cole; E. F. Gray") == ["A. B. Cole", "E. F. Gray"]


def test_roles_and_repetitions_are_not_names() -> None:
    assert strip_roles("Keith Barry Senior Autos Reporter") == "Keith Barry"
    # a name does not end in an initial: the role-like word is the surname
    assert strip_roles("Jane Q. Reporter") == "Jane Q. Reporter"
    assert strip_roles("Liam Austin Liam Austin") == "Liam Austin"
    assert split_names("Paul Frew, Home and Digital Security Expert", roles=True) == ["Paul Frew"]
    assert split_names("Read more about The Upwork Team") == ["The Upwork Team"]


def test_plausible_name() -> None:
    assert plausible_name("Jane Doe")
    assert plausible_name("Pieter van der Berg")
    assert not plausible_name("Updated")
    assert not plausible_name("20256 min read")
    assert not plausible_name("share this article")
    assert not plausible_name("kirstin boatto")
    assert plausible_name("kirstin boatto", strict=False)  # structured data states it


def test_names_from_url() -> None:
    url = (
        "https://www.opednews.com/articles/Why-North-Korean-Elites-De-by-In-ae-Hyun-"
        "Asylum_Defection_Diplomats_Elitism-160829-249.html"
    )
    assert names_from_url(url) == [("In-ae-Hyun", "In ae Hyun")]
    assert names_from_url("https://example.org/author/jane-doe/") == [("jane-doe", "Jane Doe")]
    assert names_from_url("https://example.org/news/2016/08/29/story") == []
    assert names_from_url(None) == []


def test_bio_affiliation_and_role() -> None:
    bio = parse_bio(
        "Hyeon In-ae, Ph.D., North Korean defector, is a visiting Research Fellow of Korea "
        "Institute for National Unification(KINU). Born in Chongju, North Pyongan, North Korea "
        "on Feb. 7, 1957. (more...)"
    )
    assert bio is not None
    assert bio.name == "Hyeon In-ae"
    (affiliation,) = bio.affiliations
    assert affiliation.name == "Korea Institute for National Unification"
    assert affiliation.alternate_name == "KINU"
    assert affiliation.role == "Visiting Research Fellow"
    assert not bio.text.endswith("(more...)")


@pytest.mark.parametrize(
    ("text", "name", "organisation", "role"),
    [
        (
            "Jane Doe is a professor of history at the University of Leeds.",
            "Jane Doe",
            "University of Leeds",
            "Professor of History",
        ),
        (
            "John Smith, a senior fellow at the Brookings Institution, writes about trade.",
            "John Smith",
            "Brookings Institution",
            "Senior Fellow",
        ),
        (
            "Maria Rossi is an associate editor with Example Press (EP) in Rome.",
            "Maria Rossi",
            "Example Press",
            "Associate Editor",
        ),
    ],
)
def test_bio_forms(text: str, name: str, organisation: str, role: str) -> None:
    bio = parse_bio(text)
    assert bio is not None
    assert bio.name == name
    assert bio.affiliations[0].name == organisation
    assert bio.affiliations[0].role == role


def test_not_a_bio() -> None:
    assert parse_bio("The weather is a constant topic of conversation in Leeds.") is None
    assert parse_bio("It is a long way to Tipperary.") is None


def test_clean_name() -> None:
    assert clean_name("  By\u00a0Jane  Doe (Staff) ") == "Jane Doe"
    assert clean_name("@janedoe") == "janedoe"
    assert clean_name("Written by: Prof. Jane Doe, MD") == "Jane Doe"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120), st.text(max_size=120))
def test_name_functions_never_crash(first: str, second: str) -> None:
    parse_name(first)
    split_names(first, roles=True)
    same_person(first, second)
    parse_bio(first + " is a professor at " + second)
    plausible_name(first)


def test_organisation_names_keep_their_role_like_words() -> None:
    assert strip_roles("Our Editors") == "Our Editors"
    assert strip_roles("Top Growth Marketing") == "Top Growth Marketing"
    assert strip_roles("Help Net Security Sponsored") == "Help Net Security"


def test_bio_with_a_repeated_name() -> None:
    bio = parse_bio("Written by Bhaval Patel Bhaval Patel is a Director of Operations at Space-O.")
    assert bio is not None and bio.name == "Bhaval Patel"


def test_template_placeholders_are_not_names() -> None:
    assert not plausible_name("page.head.extra.author", strict=False)
    assert plausible_name("andrew.keaveney", strict=False)


def test_family_names_that_are_also_words_stay_people() -> None:
    for person in ("Emily Post", "Charlotte Church", "Anna Bank"):
        parsed = parse_name(person)
        assert parsed is not None and parsed.kind == "person", person
    for organisation in ("The Washington Post", "The Guardian", "Associated Press"):
        assert is_organization(organisation), organisation


def test_labels_before_by() -> None:
    assert clean_name("Guide by Will Judd") == "Will Judd"
    assert clean_name("Story and photos by Ana Lima") == "Ana Lima"
    assert clean_name("Photos by Ana Lima") == ""
    assert clean_name("Reviewed by Gene Petrino") == ""
    assert clean_name("Medically reviewed by Dr. Ann Lee") == ""
    assert split_names("Will Judd Former Deputy Tech Editor", roles=True) == ["Will Judd"]
    assert strip_roles("CM Craig McCarthy Last") == "Craig McCarthy"


def test_possessive_affiliation() -> None:
    bio = parse_bio("Jim Donnelly is MASV's Head of Editorial and a senior writer.")
    assert bio is not None
    assert (bio.affiliations[0].name, bio.affiliations[0].role) == ("MASV", "Head of Editorial")


def test_english_article_an_is_not_a_preposition() -> None:
    bio = parse_bio("Jane Doe is a writer and an Emmy winner based in Leeds.")
    assert bio is not None
    assert all(a.name != "Emmy" for a in bio.affiliations)


def test_places_are_not_affiliations() -> None:
    for text in (
        "Jane Doe is a writer and an Emmy winner based in Leeds.",
        "John Roe is a freelance journalist in Berlin.",
    ):
        bio = parse_bio(text)
        assert bio is not None and bio.affiliations == (), text
    bio = parse_bio("Ann Lee is a lecturer in the Department of History.")
    assert bio is not None
    assert [(a.name, a.role) for a in bio.affiliations] == [("Department of History", "Lecturer")]


def test_clean_name_drops_an_author_label_run_into_the_name() -> None:
    assert clean_name("Author Escalon") == "Escalon"
    assert clean_name("Authors: Jane Doe") == "Jane Doe"
    assert clean_name("AUTHOR Jane Doe") == "Jane Doe"
    # only a label before a capitalised name
    assert clean_name("author jane") == "author jane"
