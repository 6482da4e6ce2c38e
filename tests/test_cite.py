"""Citations: exact strings for the reference record, golden files for every style on the
reference record and on constructed records, and the data formats read back by real parsers.

Rule sources, next to the tests that pin them:
- APA: Publication Manual of the APA, 7th ed. (2020): 9.8 author names (initials; hyphenated
  given names "Girard, J.-B."; up to 20 authors, 21+ first 19 ". . ." last), 9.12 no author
  (title moves to the author position), 9.14 dates ("n.d."), 9.19 sentence-case titles,
  9.35 no period after a URL, 10.16 web pages on news websites (site name in roman; an
  organisation that is also the site drops the site name), 8.17/8.28 in-text citations
  and paragraph pinpoints ("para. 6").
- MLA Handbook, 9th ed. (2021): 5.6-5.8 authors (two: "and"; three or more: "et al."),
  5.51 publisher omitted when it is the website's name, 5.93 URLs without http(s)://,
  5.98 an archive as a second container; appendix 1 month abbreviations ("Aug.", "Sept.").
- Chicago Manual of Style, 17th ed. (2017): 14.76 authors (notes: up to three, four or
  more "et al."; bibliography: up to ten, more than ten: seven and "et al."), 14.29-14.30
  shortened notes (short title of up to four words), 14.206 web pages (no date: the archive
  date serves as the access date), 6.125 comma kept after a title ending in "?", 8.14
  East Asian names (family first, uninverted, no comma).
- biblatex manual (3.x) 2.1.1 @online, 2.2.2 fields (organization, urldate, langid,
  addendum); BibTeX (btxdoc) @misc with howpublished and note; names "von Last, Jr, First".
- RIS (Research Information Systems format; tags as read by Zotero, EndNote and rispy):
  TY NEWS/ELEC, AU, TI, T2, DA YYYY/MM/DD/, PY, UR, Y2 access date, M3 type of work,
  DB name of database, AN accession number, LA, ER.
- CSL-JSON: the vendored official schema schemas/vendor/csl-data.json; titles stored in
  sentence case (CSL 1.0.2 text-case conventions); rendered by citeproc-js in
  tests/test_cite_citeproc.py.
- Robust Links (robustlinks.mementoweb.org/spec): data-originalurl and data-versiondate
  required, data-versionurl recommended.
- Chicago 17, 8.159 and MLA 9, 1.2: headline-style titles; CMOS 14.191/14.206: periodical
  sites italic, other website titles roman.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from warcite.cite import (
    STYLES,
    Markup,
    apa_in_text,
    citation_source,
    cite,
    csl_item,
    format_citation,
)
from warcite.cite.names import initials
from warcite.cite.titles import sentence_case, short_title
from warcite.core.config import Config, load_config, parse_config
from warcite.core.errors import CitationError, RecordError, UsageError

TESTS = Path(__file__).resolve().parent
PROJECT_ROOT = TESTS.parent
DATA = TESTS / "data"
GOLDEN = TESTS / "golden" / "cite"
CSL_SCHEMA = PROJECT_ROOT / "schemas" / "vendor" / "csl-data.json"
UPDATE_GOLDEN = os.environ.get("WARCITE_UPDATE_GOLDEN") == "1"

URL = (
    "https://www.opednews.com/articles/Why-North-Korean-Elites-De-by-In-ae-Hyun-Asylum_"
    "Defection_Diplomats_Elitism-160829-249.html"
)
REPLAY = "https://archive.example.org/web"
ARCHIVED_URL = f"{REPLAY}/20261126120000/urn:transcript:{URL}"
WITH_REPLAY = Config(archive_name="warcite", replay_base=REPLAY)
WITHOUT_REPLAY = Config(archive_name="warcite")
LOCATOR = (
    "archive/opednews-160829-249-20261126120000.warc.gz, "
    "WARC record urn:uuid:7c9e6f1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"
)


def reference_record() -> dict[str, Any]:
    """A record following docs/record-format.md with the reference page's facts."""
    record: dict[str, Any] = json.loads((DATA / "cite_reference.json").read_text("utf-8"))
    return record


def person(family: str, given: str | None, order: str = "given-first", **extra: Any) -> dict:
    name = f"{family} {given}" if order == "family-first" else f"{given} {family}"
    return {
        "type": "person",
        "name": name,
        "family": family,
        "given": given,
        "particle": extra.get("particle"),
        "suffix": extra.get("suffix"),
        "name_order": order,
        "forms": [name],
        "alternate_names": [],
        "affiliations": [],
        "bio": None,
        "sources": ["byline"],
    }


def organization(name: str) -> dict:
    return {
        "type": "organization",
        "name": name,
        "family": None,
        "given": None,
        "particle": None,
        "suffix": None,
        "name_order": "single",
        "forms": [name],
        "alternate_names": [],
        "affiliations": [],
        "bio": None,
        "sources": ["json-ld"],
    }


def evidence(value: str, source: str = "json-ld") -> dict:
    return {"value": value, "source": source, "raw": value, "note": None}


def variant(**work: Any) -> dict[str, Any]:
    """The reference record with some ``work`` fields replaced."""
    record = reference_record()
    record["work"].update(copy.deepcopy(work))
    return record


def titled(title: str, sentence: str | None) -> dict:
    value = evidence(title, "json-ld")
    value["sentence_case"] = sentence
    return value


CASES: dict[str, dict[str, Any]] = {
    "reference": reference_record(),
    "two-authors": variant(
        authors=[person("Hyeon", "In-ae", "family-first"), person("Kim", "Jane")]
    ),
    "three-authors": variant(
        authors=[
            person("Smith", "John Ronald"),
            person("Girard", "Jean-Baptiste"),
            person("Doe", "Ann"),
        ]
    ),
    "four-authors": variant(
        authors=[
            person("Smith", "John"),
            person("Girard", "Jean-Paul"),
            person("Doe", "Ann"),
            person("Roe", "Rick"),
        ]
    ),
    "no-author": variant(authors=[]),
    "no-date": variant(published=None),
    "no-author-no-date": variant(authors=[], published=None, genre=None),
    "year-month": variant(published=evidence("2016-09")),
    "exclamation-title": variant(
        title=titled("Stop the Purges Now!", "Stop the purges now!"),
        authors=[person("Lee", "Min-jun", "family-first")],
    ),
    "hangul-name": variant(
        title=titled("탈북 엘리트는 왜 늘어나는가", None),
        authors=[person("현", "인애", "family-first")],
        language=evidence("ko", "html:lang"),
    ),
    "hanzi-name": variant(
        title=titled("Why Elites Leave", "Why elites leave"),
        authors=[person("王", "小明", "family-first"), person("Hyeon", "In-ae", "family-first")],
    ),
    "particle-suffix": variant(
        authors=[
            person("Gogh", "Vincent", particle="van"),
            person("King", "Martin Luther", suffix="Jr."),
        ]
    ),
    "organization": variant(authors=[organization("Human Rights Watch")]),
    "organization-is-site": variant(authors=[organization("OpEdNews")]),
    "separate-publisher": variant(
        container_title="The Daily Example", publisher=evidence("Example Media Group")
    ),
    "german-title": variant(
        title=titled("Die Rückkehr der Wölfe nach Brandenburg", None),
        authors=[person("Müller", "Anna")],
        language=evidence("de", "html:lang"),
        container_title="Die Zeit",
        publisher=evidence("Die Zeit"),
        genre=evidence("News"),
    ),
    "korean-title": variant(
        title=titled("북한 엘리트의 탈출", None),
        authors=[person("이", "민준", "family-first")],
        language=evidence("ko", "html:lang"),
    ),
    "spanish-surnames": variant(
        title=titled("La Memoria de los Ríos", None),
        authors=[person("López", "María García"), person("Zapatero", "José Luis Rodríguez")],
        language=evidence("es", "html:lang"),
        container_title="El Diario",
        publisher=evidence("El Diario"),
    ),
    "web-page": variant(
        title=titled("Annual Report on River Otters in the Valley", None),
        authors=[organization("Valley Wildlife Trust")],
        container_title="Valley Wildlife Trust",
        publisher=evidence("Valley Wildlife Trust"),
        genre=None,
    ),
    "seen-on-the-web": variant(
        title=titled("Lessons From the American West", "Lessons from the American West"),
        genre=None,
        container_title="Water Notes",
        publisher=evidence("Water Notes"),
    ),
}
CASES["seen-on-the-web"]["capture"].update(
    method="http-capture",
    observed_at="2026-11-20T09:30:00Z",
    target_uri="https://www.opednews.com/x.html",
)


def golden_path(case: str, config_name: str, style: str) -> Path:
    extension = {"bibtex": "bib", "biblatex": "bib", "ris": "ris", "csl-json": "json"}.get(
        style, "md"
    )
    return GOLDEN / case / f"{config_name}.{style}.{extension}"


def test_golden_files_cover_every_case() -> None:
    """Every golden file belongs to a case and style here (stale goldens are caught)."""
    expected = {
        golden_path(case, config_name, style)
        for case in CASES
        for config_name in ("replay", "local")
        for style in STYLES
    }
    present = set(GOLDEN.rglob("*.*"))
    assert present == expected or UPDATE_GOLDEN, sorted(map(str, present ^ expected))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("config_name", ["replay", "local"])
@pytest.mark.parametrize("case", list(CASES))
def test_golden(case: str, config_name: str, style: str) -> None:
    config = WITH_REPLAY if config_name == "replay" else WITHOUT_REPLAY
    output = cite(CASES[case], style, config=config, markup=Markup.MARKDOWN) + "\n"
    path = golden_path(case, config_name, style)
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with WARCITE_UPDATE_GOLDEN=1 and review it"
    assert output == path.read_text(encoding="utf-8")


# ----------------------------------------------------------------- the exact strings


def reference(style: str, *, config: Config = WITH_REPLAY, **options: Any) -> str:
    return cite(reference_record(), style, config=config, markup=Markup.MARKDOWN, **options)


def test_apa_reference() -> None:
    # APA 7, 10.16: the page's URL always; then the archived copy
    assert reference("apa") == (
        "Hyeon, I. (2016, August 29). *Why North Korean elites defect from their country?* "
        f"OpEdNews. {URL} (archived in warcite, November 26, 2026: {ARCHIVED_URL})"
    )


def test_mla_reference() -> None:
    archived = ARCHIVED_URL.removeprefix("https://")
    assert reference("mla") == (
        'Hyeon, In-ae. "Why North Korean Elites Defect from Their Country?" *OpEdNews*, '
        "29 Aug. 2016, www.opednews.com/articles/Why-North-Korean-Elites-De-by-In-ae-Hyun-"
        "Asylum_Defection_Diplomats_Elitism-160829-249.html. "
        f"*warcite*, 26 Nov. 2026, {archived}."
    )


def test_chicago_reference() -> None:
    assert reference("chicago-note") == (
        '1. In-ae Hyeon, "Why North Korean Elites Defect from Their Country?," *OpEdNews*, '
        f"August 29, 2016, {URL}, archived November 26, 2026, at warcite, {ARCHIVED_URL}."
    )
    assert reference("chicago-short-note") == 'Hyeon, "Why North Korean Elites."'
    assert reference("chicago-bib") == (
        'Hyeon, In-ae. "Why North Korean Elites Defect from Their Country?" *OpEdNews*, '
        f"August 29, 2016. {URL}. Archived November 26, 2026, at warcite. {ARCHIVED_URL}."
    )


def test_without_replay_base_the_warc_file_and_record_are_named() -> None:
    assert reference("apa", config=WITHOUT_REPLAY).endswith(
        f"OpEdNews. {URL} (archived in warcite, November 26, 2026: {LOCATOR})"
    )
    assert reference("chicago-bib", config=WITHOUT_REPLAY).endswith(
        f"Archived November 26, 2026, at warcite. {LOCATOR}."
    )


def test_markup_plain_and_html() -> None:
    record = reference_record()
    assert cite(record, "apa", config=WITH_REPLAY).startswith(
        "Hyeon, I. (2016, August 29). Why North Korean elites defect from their country? OpEdNews."
    )
    html = cite(record, "mla", config=WITH_REPLAY, markup="html")
    assert "<i>OpEdNews</i>" in html and "<i>warcite</i>" in html
    apa_html = cite(record, "apa", config=WITH_REPLAY, markup="html")
    assert f'<a href="{ARCHIVED_URL}">{ARCHIVED_URL}</a>' in apa_html


def test_family_first_name_order() -> None:
    assert reference("chicago-note", name_order="family-first").startswith(
        '1. Hyeon In-ae, "Why North Korean'
    )
    assert reference("chicago-bib", name_order="family-first").startswith("Hyeon In-ae. ")
    assert reference("mla", name_order="family-first").startswith("Hyeon In-ae. ")
    assert reference("apa", name_order="family-first").startswith("Hyeon In-ae. (2016")
    # a given-first name is unaffected
    record = variant(authors=[person("Smith", "Jane")])
    assert cite(record, "mla", config=WITH_REPLAY, name_order="family-first").startswith(
        "Smith, Jane. "
    )


def test_biblatex_reference() -> None:
    library = bibtexparser.parse_string(reference("biblatex"))
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "online"
    fields = {key: field.value for key, field in entry.fields_dict.items()}
    assert fields["author"] == "Hyeon, In-ae"
    assert fields["title"] == "Why {North Korean} Elites Defect from Their Country?"
    assert fields["date"] == "2016-08-29"
    assert fields["organization"] == "OpEdNews"
    assert fields["url"] == URL
    assert "urldate" not in fields  # the transcript: nobody knows when the page was seen
    assert fields["langid"] == "english"
    assert fields["addendum"] == f"Archived 2026-11-26 in warcite: \\url{{{ARCHIVED_URL}}}"


def test_bibtex_reference() -> None:
    library = bibtexparser.parse_string(reference("bibtex"))
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    assert entry.key == "hyeon2016why"
    fields = {key: field.value for key, field in entry.fields_dict.items()}
    assert fields["howpublished"] == f"\\url{{{URL}}}"
    assert fields["year"] == "2016" and fields["month"] == "aug"
    assert fields["note"].startswith("OpEdNews, Op-ed. Archived 2026-11-26 in warcite: \\url{")


def test_ris_reference() -> None:
    text = reference("ris")
    assert text.splitlines() == [
        "TY  - NEWS",
        "AU  - Hyeon, In-ae",
        "TI  - Why North Korean Elites Defect from Their Country?",
        "T2  - OpEdNews",
        "DA  - 2016/08/29/",
        "PY  - 2016",
        f"UR  - {URL}",
        "M3  - Op-ed",
        "DB  - warcite",
        f"AN  - {ARCHIVED_URL}",
        "LA  - en",
        "ER  - ",
    ]


# ----------------------------------------------------------------- authors, dates, titles


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("In-ae", "I."),  # lowercase second part: one name
        ("Jean-Paul", "J.-P."),  # APA 9.8: "Girard, J.-B."
        ("John Ronald", "J. R."),
        ("J.R.R.", "J. R. R."),
        ("J. R.", "J. R."),
        ("Élodie", "É."),
        ("Min-jun", "M."),
    ],
)
def test_apa_initials(given: str, expected: str) -> None:
    assert initials(given) == expected


def cited(case: str, style: str, **options: Any) -> str:
    return cite(CASES[case], style, config=WITH_REPLAY, markup=Markup.MARKDOWN, **options)


def test_authors_per_style() -> None:
    assert cited("two-authors", "apa").startswith("Hyeon, I., & Kim, J. (2016")
    assert cited("three-authors", "apa").startswith("Smith, J. R., Girard, J.-B., & Doe, A. (2016")
    assert cited("two-authors", "mla").startswith("Hyeon, In-ae, and Jane Kim. ")
    assert cited("three-authors", "mla").startswith("Smith, John Ronald, et al. ")
    assert cited("three-authors", "chicago-note").startswith(
        "1. John Ronald Smith, Jean-Baptiste Girard, and Ann Doe, "
    )
    assert cited("four-authors", "chicago-note").startswith("1. John Smith et al., ")
    assert cited("four-authors", "chicago-short-note").startswith("Smith et al., ")
    assert cited("three-authors", "chicago-short-note").startswith("Smith, Girard, and Doe, ")
    assert cited("four-authors", "chicago-bib").startswith(
        "Smith, John, Jean-Paul Girard, Ann Doe, and Rick Roe. "
    )
    assert cited("two-authors", "chicago-bib").startswith("Hyeon, In-ae, and Jane Kim. ")


def test_many_authors() -> None:
    authors = [person(f"Author{index:02d}", "Ann") for index in range(1, 23)]
    record = variant(authors=authors)
    text = cite(record, "apa", config=WITH_REPLAY)
    assert "Author19, A., . . . Author22, A. (2016" in text
    assert "Author20" not in text
    bib = cite(record, "chicago-bib", config=WITH_REPLAY)
    assert bib.startswith("Author01, Ann, Ann Author02,")
    assert "Ann Author07, et al. " in bib and "Author08" not in bib
    ten = cite(variant(authors=authors[:10]), "chicago-bib", config=WITH_REPLAY)
    assert ", and Ann Author10. " in ten


def test_particle_suffix_and_organisation_names() -> None:
    assert cited("particle-suffix", "apa").startswith("van Gogh, V., & King, M. L., Jr. (2016")
    assert cited("particle-suffix", "chicago-note").startswith(
        "1. Vincent van Gogh and Martin Luther King Jr., "
    )
    assert cited("particle-suffix", "mla").startswith(
        "van Gogh, Vincent, and Martin Luther King Jr. "
    )
    assert cited("organization", "apa").startswith("Human Rights Watch. (2016, August 29). ")
    assert (
        cited("organization", "chicago-short-note")
        == 'Human Rights Watch, "Why North Korean Elites."'
    )
    # APA 10.16: an organisation that is also the site drops the site name; MLA 5.51 (and
    # the MLA Style Center): it is not the author, the entry begins with the title
    assert cited("organization-is-site", "apa").startswith(
        "OpEdNews. (2016, August 29). *Why North Korean elites defect from their country?* https://"
    )
    assert cited("organization-is-site", "mla").startswith('"Why North Korean Elites')


def test_east_asian_scripts_are_never_inverted() -> None:
    assert cited("hangul-name", "apa").startswith(
        "현인애. (2016, August 29). *탈북 엘리트는 왜 늘어나는가*."
    )
    assert cited("hangul-name", "mla").startswith('현인애. "탈북 엘리트는 왜 늘어나는가." ')
    assert cited("hanzi-name", "chicago-note").startswith("1. 王小明 and In-ae Hyeon, ")
    assert cited("hanzi-name", "chicago-short-note").startswith("王小明 and Hyeon, ")
    assert cited("hanzi-name", "mla").startswith("王小明 and In-ae Hyeon. ")
    assert cited("hanzi-name", "chicago-bib").startswith("王小明 and In-ae Hyeon. ")
    assert cited("two-authors", "mla", name_order="family-first").startswith(
        "Hyeon In-ae and Jane Kim. "
    )
    assert "AU  - 王, 小明" in cited("hanzi-name", "ris")
    assert cited("korean-title", "apa").startswith(
        "이민준. (2016, August 29). *북한 엘리트의 탈출*."
    )
    assert "langid = {korean}" in cited("hangul-name", "biblatex")


def test_missing_author_and_date() -> None:
    assert cited("no-author", "apa").startswith(
        "*Why North Korean elites defect from their country?* (2016, August 29). OpEdNews. "
    )
    assert cited("no-author", "mla").startswith('"Why North Korean Elites Defect')
    assert cited("no-author", "chicago-note").startswith('1. "Why North Korean Elites Defect')
    assert cited("no-author", "chicago-short-note") == '"Why North Korean Elites."'
    assert cited("no-date", "apa").startswith("Hyeon, I. (n.d.). ")
    assert "*OpEdNews*, www.opednews.com" in cited("no-date", "mla")
    assert "*OpEdNews*. https://www.opednews.com" in cited("no-date", "chicago-bib")
    assert "DA  -" not in cited("no-date", "ris") and "PY  -" not in cited("no-date", "ris")
    assert cited("year-month", "apa").startswith("Hyeon, I. (2016, September). ")
    assert "Sept. 2016" in cited("year-month", "mla")
    assert "DA  - 2016/09//" in cited("year-month", "ris")


def test_titles_ending_in_exclamation() -> None:
    assert "*Stop the purges now!* OpEdNews." in cited("exclamation-title", "apa")
    assert '"Stop the Purges Now!" *OpEdNews*' in cited("exclamation-title", "mla")
    assert '"Stop the Purges Now!," *OpEdNews*' in cited("exclamation-title", "chicago-note")
    assert cited("exclamation-title", "chicago-short-note") == 'Lee, "Stop the Purges Now!"'


def test_separate_publisher() -> None:
    assert "*The Daily Example*, Example Media Group, 29 Aug. 2016" in cited(
        "separate-publisher", "mla"
    )
    assert "PB  - Example Media Group" in cited("separate-publisher", "ris")


def test_sentence_case_is_conservative() -> None:
    title = "Why North Korean Elites Defect from Their Country?"
    assert sentence_case(title) == "Why North Korean Elites Defect from their Country?"
    context = (DATA / "cite_reference.txt").read_text("utf-8")
    assert sentence_case(title, context) == "Why North Korean elites defect from their country?"
    assert sentence_case("The UN and OpEdNews: A Study of the Kim Regime") == (
        "The UN and OpEdNews: A Study of the Kim Regime"
    )
    assert sentence_case("Notes On The War: In Search Of Peace") == (
        "Notes on the War: In Search of Peace"
    )
    # a record without a stored sentence case gets the derived one, from its text
    record = variant(title=titled(title, None))
    source = citation_source(record, config=WITH_REPLAY, text=context)
    assert source.title_sentence_case == "Why North Korean elites defect from their country?"


def test_short_title() -> None:
    assert short_title("Why North Korean Elites Defect from Their Country?") == (
        "Why North Korean Elites"
    )
    assert short_title("The Purges") == "Purges"
    assert short_title("River Otters Return to the Valley") == "River Otters Return"
    assert short_title("Why?") == "Why?"
    assert short_title("Kim: A Biography of the Leader") == "Kim"


def test_apa_in_text() -> None:
    source = citation_source(reference_record(), config=WITH_REPLAY)
    assert apa_in_text(source, pinpoint="para. 6") == "(Hyeon, 2016, para. 6)"
    two = citation_source(CASES["two-authors"], config=WITH_REPLAY)
    assert apa_in_text(two) == "(Hyeon & Kim, 2016)"
    three = citation_source(CASES["three-authors"], config=WITH_REPLAY)
    assert apa_in_text(three) == "(Smith et al., 2016)"
    none = citation_source(CASES["no-author"], config=WITH_REPLAY)
    assert apa_in_text(none, markup=Markup.MARKDOWN) == "(*Why North Korean Elites*, 2016)"
    undated = citation_source(CASES["no-date"], config=WITH_REPLAY)
    assert apa_in_text(undated) == "(Hyeon, n.d.)"


# ----------------------------------------------------------------- data formats, parsed back


@pytest.mark.parametrize("case", list(CASES))
def test_csl_json_validates_against_the_vendored_schema(case: str) -> None:
    assert CSL_SCHEMA.is_file(), f"{CSL_SCHEMA} is missing: the CSL schema must be vendored"
    schema = json.loads(CSL_SCHEMA.read_text("utf-8"))
    validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    for config in (WITH_REPLAY, WITHOUT_REPLAY):
        for name_order in ("style", "family-first"):
            items = json.loads(
                format_citation(
                    citation_source(CASES[case], config=config), "csl-json", name_order=name_order
                )
            )
            errors = [error.message for error in validator.iter_errors(items)]
            assert errors == []
            assert items[0] == csl_item(CASES[case], config=config) or name_order != "style"


def test_csl_item_reference() -> None:
    item = csl_item(reference_record(), config=WITH_REPLAY)
    assert item["type"] == "article-newspaper" and item["genre"] == "Op-ed"
    assert item["author"] == [{"family": "Hyeon", "given": "In-ae"}]
    assert item["issued"] == {"date-parts": [[2016, 8, 29]]}
    assert "accessed" not in item  # observed_at is null: no invented access date
    assert item["container-title"] == "OpEdNews" and "publisher" not in item
    assert item["archive"] == "warcite" and item["archive_location"] == ARCHIVED_URL
    particle = csl_item(CASES["particle-suffix"], config=WITH_REPLAY)["author"]
    assert particle == [
        {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
    ]
    assert csl_item(CASES["organization"], config=WITH_REPLAY)["author"] == [
        {"literal": "Human Rights Watch"}
    ]


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("style", ["bibtex", "biblatex"])
def test_bibtex_parses(case: str, style: str) -> None:
    for config in (WITH_REPLAY, WITHOUT_REPLAY):
        library = bibtexparser.parse_string(cite(CASES[case], style, config=config))
        assert not library.failed_blocks
        assert len(library.entries) == 1
        entry = library.entries[0]
        assert entry.entry_type == ("misc" if style == "bibtex" else "online")
        assert "title" in entry.fields_dict


@pytest.mark.parametrize("case", list(CASES))
def test_ris_round_trips(case: str) -> None:
    text = cite(CASES[case], "ris", config=WITHOUT_REPLAY)
    (entry,) = rispy.loads(text)
    source = citation_source(CASES[case], config=WITHOUT_REPLAY)
    assert entry["title"] == source.title
    assert entry["urls"] == [source.url]
    assert len(entry.get("authors", [])) == len(source.authors)
    assert entry["name_of_database"] == "warcite"
    assert entry["accession_number"] == LOCATOR
    assert rispy.loads(rispy.dumps([entry])) == [entry]


def test_unknown_style_and_options() -> None:
    record = reference_record()
    with pytest.raises(CitationError, match="unknown citation style 'harvard'"):
        cite(record, "harvard", config=WITH_REPLAY)
    with pytest.raises(CitationError, match="unknown markup"):
        cite(record, "apa", config=WITH_REPLAY, markup="latex")
    with pytest.raises(CitationError, match="unknown name order"):
        cite(record, "apa", config=WITH_REPLAY, name_order="reversed")


def test_records_lacking_what_a_citation_needs() -> None:
    record = reference_record()
    record["work"]["title"] = None
    with pytest.raises(RecordError, match=r"\$\.work\.title"):
        cite(record, "apa", config=WITH_REPLAY)
    record = reference_record()
    record["work"]["published"] = evidence("29/08/2016")
    with pytest.raises(RecordError, match="not an ISO 8601 date"):
        cite(record, "apa", config=WITH_REPLAY)
    record = reference_record()
    del record["capture"]["warc"]
    with pytest.raises(RecordError, match=r"\$\.capture\.warc"):
        cite(record, "apa", config=WITH_REPLAY)


# ----------------------------------------------------------------- configuration


def test_config_defaults_to_the_folder_name(tmp_path: Path) -> None:
    project = tmp_path / "my-archive"
    project.mkdir()
    assert load_config(project) == Config(archive_name="my-archive", replay_base=None)


def test_config_file(tmp_path: Path) -> None:
    (tmp_path / "warcite.toml").write_text(
        '[archive]\nname = "Example  Archive"\nreplay_base = "https://replay.example.org/web/"\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config == Config("Example Archive", "https://replay.example.org/web")
    overridden = config.with_overrides(archive_name="Other", replay_base="http://x.example")
    assert overridden == Config("Other", "http://x.example")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[archive\n", "not valid TOML"),
        ('[archive]\nnmae = "x"\n', "unknown key archive.nmae"),
        ('title = "x"\n', "unknown table or key 'title'"),
        ("[archive]\nname = 3\n", "archive.name must be a non-empty string"),
        ('[archive]\nreplay_base = "ftp://x"\n', "absolute http"),
        ('archive = "x"\n', "must be a table"),
    ],
)
def test_bad_config(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "warcite.toml").write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_config(tmp_path)


def test_bad_overrides() -> None:
    with pytest.raises(UsageError, match="--replay-base"):
        WITH_REPLAY.with_overrides(replay_base="not a url")
    with pytest.raises(UsageError, match="--archive-name"):
        WITH_REPLAY.with_overrides(archive_name="  ")


def test_project_config_names_the_bundled_archive() -> None:
    config = load_config(PROJECT_ROOT)
    assert config.archive_name == "warcite"
    assert config.replay_base is None
    assert parse_config({}, defaults=config, where="x") == Config("warcite")


# ----------------------------------------------------------------- robustness

_NAME_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda value: value.strip() != "")


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60).filter(
        lambda value: value.strip() != ""
    ),
    names=st.lists(st.tuples(_NAME_TEXT, st.one_of(st.none(), _NAME_TEXT)), max_size=4),
    published=st.one_of(st.none(), st.dates().map(lambda day: day.isoformat()[:10])),
)
def test_any_record_gives_parseable_data_formats(
    title: str, names: list[tuple[str, str | None]], published: str | None
) -> None:
    """Arbitrary titles and names (braces, backslashes, %, quotes, any script) never break
    BibTeX, biblatex, RIS or CSL-JSON, and the prose styles always produce text."""
    record = variant(
        title=titled(title, None),
        authors=[person(family, given) for family, given in names],
        published=evidence(published) if published and published[:4] != "0000" else None,
    )
    for style in STYLES:
        assert cite(record, style, config=WITHOUT_REPLAY, markup="html").strip()
    for style in ("bibtex", "biblatex"):
        library = bibtexparser.parse_string(cite(record, style, config=WITH_REPLAY))
        assert not library.failed_blocks and len(library.entries) == 1
    (entry,) = rispy.loads(cite(record, "ris", config=WITH_REPLAY))
    assert entry["title"] == " ".join(title.split())
    items = json.loads(cite(record, "csl-json", config=WITH_REPLAY))
    schema = json.loads(CSL_SCHEMA.read_text("utf-8"))
    assert list(Draft7Validator(schema).iter_errors(items)) == []


def test_markup_escapes_text_but_not_urls() -> None:
    record = variant(title=titled("Fish & <Chips> *now*_", "Fish & <chips> *now*_"))
    html = cite(record, "mla", config=WITH_REPLAY, markup="html")
    assert '"Fish &amp; &lt;Chips&gt; *Now*_."' in html  # headline style (CMOS 8.159)
    markdown = cite(record, "apa", config=WITH_REPLAY, markup="markdown")
    assert "*Fish & <chips> \\*now\\*\\_*." in markdown
    assert URL.removeprefix("https://") in markdown  # the URL's underscores are not escaped


def test_quotation_marks_inside_quoted_titles_become_single() -> None:
    record = variant(
        title=titled('Why "Information Bombs" Matter', 'Why "information bombs" matter')
    )
    assert "\"Why 'Information Bombs' Matter.\" *OpEdNews*" in cite(
        record, "mla", config=WITH_REPLAY, markup="markdown"
    )
    assert "\"Why 'Information Bombs' Matter,\"" in cite(record, "chicago-note", config=WITH_REPLAY)
    assert '*Why "information bombs" matter*.' in cite(
        record, "apa", config=WITH_REPLAY, markup="markdown"
    )


# ----------------------------------------------------------------- issue 10 and issue 8 points


def test_sentence_case_keeps_capitals_without_evidence_and_follows_the_language() -> None:
    # no text writes "American" or "West" in lowercase mid-sentence: the capitals stay
    assert sentence_case("Lessons From the American West", "The American West is dry.") == (
        "Lessons from the American West"
    )
    # positive evidence lowercases: the text writes "lessons" in lowercase
    text = "We learnt hard lessons from the flood. Hard times are over for the valley."
    assert sentence_case("Hard Lessons", text) == "Hard lessons"
    # German capitalises nouns; other languages are not recased
    assert sentence_case("Die Rückkehr der Wölfe", language="de") == "Die Rückkehr der Wölfe"
    assert sentence_case("La Memoria de los Ríos", language="es") == "La Memoria de los Ríos"
    assert cited("german-title", "apa").startswith(
        "Müller, A. (2016, August 29). *Die Rückkehr der Wölfe nach Brandenburg*. Die Zeit."
    )
    # BibTeX protection follows the same decision: German nouns are braced
    title = bibtexparser.parse_string(cited("german-title", "biblatex")).entries[0]["title"]
    assert title == "Die {Rückkehr} der {Wölfe} nach {Brandenburg}"


def test_csl_item_does_not_repeat_the_site_and_claims_access_only_when_seen() -> None:
    for case in CASES:
        item = csl_item(CASES[case], config=WITHOUT_REPLAY)
        if "publisher" in item and "container-title" in item:
            assert item["publisher"].casefold() != item["container-title"].casefold()
        seen = CASES[case]["capture"]["observed_at"] is not None
        assert ("accessed" in item) == seen, case
        assert ("Y2  - " in cite(CASES[case], "ris", config=WITHOUT_REPLAY)) == seen
        assert ("urldate" in cite(CASES[case], "biblatex", config=WITHOUT_REPLAY)) == seen
    seen_item = csl_item(CASES["seen-on-the-web"], config=WITHOUT_REPLAY)
    assert seen_item["accessed"] == {"date-parts": [[2026, 11, 20]]}


def test_ris_and_csl_types_come_from_the_same_evidence() -> None:
    for case in CASES:
        item = csl_item(CASES[case], config=WITHOUT_REPLAY)
        ris_type = cite(CASES[case], "ris", config=WITHOUT_REPLAY).splitlines()[0]
        expected = {"article-newspaper": "TY  - NEWS", "webpage": "TY  - ELEC"}[item["type"]]
        assert ris_type == expected, case
    assert csl_item(CASES["web-page"], config=WITHOUT_REPLAY)["type"] == "webpage"
    assert csl_item(CASES["reference"], config=WITHOUT_REPLAY)["type"] == "article-newspaper"


def test_chicago_site_roman_for_websites_italic_for_periodicals() -> None:
    # CMOS 17, 14.206: website titles roman; 14.191: news and opinion periodicals italic
    assert "Valley Wildlife Trust, 2016" not in cited("web-page", "chicago-note")
    assert "*OpEdNews*, August 29, 2016" in cited("reference", "chicago-note")
    note = cited("seen-on-the-web", "chicago-note")
    assert " Water Notes, August 29, 2016" in note and "*Water Notes*" not in note


def test_short_titles_end_where_a_phrase_ends() -> None:
    assert short_title("Annual Report on River Otters in the Valley") == "Annual Report"
    assert cited("web-page", "chicago-short-note").endswith('"Annual Report."')


def test_spanish_double_surnames() -> None:
    assert cited("spanish-surnames", "apa").startswith(
        "García López, M., & Rodríguez Zapatero, J. L. (2016"
    )
    assert cited("spanish-surnames", "chicago-short-note").startswith(
        "García López and Rodríguez Zapatero, "
    )
    item = csl_item(CASES["spanish-surnames"], config=WITHOUT_REPLAY)
    assert item["author"][0] == {"family": "García López", "given": "María"}
    # a compound given name keeps one surname
    record = variant(authors=[person("López", "María José")], language=evidence("es"))
    assert cite(record, "apa", config=WITHOUT_REPLAY).startswith("López, M. J. (2016")


def test_credentials_are_never_written_into_citations() -> None:
    record = variant(url="https://reader:s3cret@www.example.org/a.html")
    record["capture"]["target_uri"] = "urn:transcript:https://reader:s3cret@www.example.org/a.html"
    for style in STYLES:
        for config in (WITH_REPLAY, WITHOUT_REPLAY):
            output = cite(record, style, config=config)
            assert "s3cret" not in output and "reader:" not in output, style
            if style != "chicago-short-note":
                assert "www.example.org/a.html" in output, style


HOSTILE = "Line one\nER  - \nTY  - JOUR}\\input{/etc/passwd}\r\u2028%x"


def test_ris_and_bibtex_cannot_be_injected() -> None:
    record = variant(
        title=titled(HOSTILE, None),
        url="https://example.org/a}\\input{/etc/passwd}\nER  - x",
        authors=[person("Doe}\\input{x}", "Jane\nAU  - Evil")],
        genre=evidence("Op-ed\nPB  - Evil"),
    )
    record["capture"]["target_uri"] = "https://example.org/a}\\input{y}"
    for config in (WITH_REPLAY, WITHOUT_REPLAY):
        text = cite(record, "ris", config=config)
        tags = [line[:6] for line in text.splitlines()]
        assert all(tag[2:] == "  - " for tag in tags)
        assert tags.count("ER  - ") == 1 and tags.count("TY  - ") == 1
        assert tags.count("AU  - ") == 1 and "PB  - " not in tags
        (entry,) = rispy.loads(text)
        assert entry["title"].startswith("Line one ER - TY - JOUR}")
        for style in ("bibtex", "biblatex"):
            bib = cite(record, style, config=config)
            library = bibtexparser.parse_string(bib)
            assert not library.failed_blocks and len(library.entries) == 1
            assert "\\input" not in bib.replace("\\textbackslash{}input", "")
            assert bib.count("\n") == len(library.entries[0].fields) + 1  # one line per field
            for field in library.entries[0].fields:
                depth = 0
                for character in field.value.replace("\\{", "").replace("\\}", ""):
                    depth += {"{": 1, "}": -1}.get(character, 0)
                    assert depth >= 0
                assert depth == 0


def test_robust_link() -> None:
    from lxml import html as lxml_html

    with_copy = lxml_html.fragment_fromstring(reference("robust-link"))
    assert with_copy.tag == "a"
    assert with_copy.get("href") == with_copy.get("data-originalurl") == URL
    assert with_copy.get("data-versionurl") == ARCHIVED_URL
    assert with_copy.get("data-versiondate") == "2026-11-26"
    assert with_copy.text == "Why North Korean Elites Defect from Their Country?"
    local = lxml_html.fragment_fromstring(reference("robust-link", config=WITHOUT_REPLAY))
    assert local.get("data-versionurl") is None
    assert local.get("title") == f"Archived 2026-11-26 in warcite: {LOCATOR}"
    hostile = variant(title=titled('<script>"x"</script>', None), url='https://e.org/"><b>')
    link = lxml_html.fragment_fromstring(cite(hostile, "robust-link", config=WITH_REPLAY))
    assert link.text == '<script>"x"</script>' and len(link) == 0
    assert link.get("href") == 'https://e.org/"><b>'
