"""Word lists and regular expressions used by the metadata, names, dates and text modules.

Kept apart from the logic (as trafilatura keeps its XPath expressions) so that a reader can
see at a glance what vocabulary extraction relies on.  Nothing here names a site or a page:
these are general facts about how dates, names, bylines and page furniture are written.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """A set of the whitespace-separated words of ``text`` (keeps long word lists readable)."""
    return frozenset(text.split())


# --------------------------------------------------------------------------- dates

#: Month names and abbreviations -> month number.  English first, then the major
#: European languages (lower case, without trailing dots).
MONTHS: dict[str, int] = {}
_MONTH_NAMES = {
    "en": "january february march april may june july august september october november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}
for _names in _MONTH_NAMES.values():
    for _number, _name in enumerate(_names.split(), start=1):
        MONTHS.setdefault(_name, _number)
for _number, _abbreviation in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
):
    MONTHS.setdefault(_abbreviation, _number)
MONTHS.update({"sept": 9, "mrz": 3, "mär": 3, "okt": 10, "dez": 12, "mai": 5, "juni": 6})
MONTHS.update({"janv": 1, "févr": 2, "avr": 4, "juil": 7, "déc": 12})

_MONTH_ALTERNATION = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
MONTH_WORD = rf"(?P<month>{_MONTH_ALTERNATION})\.?"
WEEKDAY = r"(?:(?:mon|tues|tue|wednes|wed|thurs|thu|fri|satur|sat|sun)(?:day)?\.?,?\s+)"
ORDINAL = r"(?:st|nd|rd|th)?"
TIME = (
    r"(?:(?:\s*,?\s*|\s+(?:at|um|à|a las)\s+|\s*[|•·-]\s*)"
    r"(?P<hour>[012]?\d)[:.h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*(?P<zone>Z|UTC|GMT|[ECMP][SD]T|BST|CES?T|EES?T|IST|JST|KST|AEST|AEDT"
    r"|[+-]\d\d:?\d\d|(?:UTC|GMT)\s?[+-]\d{1,2}(?::?\d\d)?))?)?"
)

#: "August 29, 2016", "Aug. 29 2016", "Monday, August 29th, 2016 10:30 am EDT".
MONTH_DAY_YEAR = re.compile(
    rf"\b{WEEKDAY}?{MONTH_WORD}\s+(?P<day>[0-3]?\d){ORDINAL},?\s+(?P<year>(?:19|20)\d\d)\b{TIME}",
    re.IGNORECASE,
)
#: "29 Aug 2016", "29. August 2016", "29th of August, 2016", "le 29 août 2016".
DAY_MONTH_YEAR = re.compile(
    rf"\b{WEEKDAY}?(?P<day>[0-3]?\d){ORDINAL}\.?\s+(?:of\s+|de\s+)?{MONTH_WORD},?\s+(?:de\s+)?"
    rf"(?P<year>(?:19|20)\d\d)\b{TIME}",
    re.IGNORECASE,
)
#: "2023 Jan 7" (PubMed and library catalogues).
YEAR_MONTH_DAY = re.compile(
    rf"\b(?P<year>(?:19|20)\d\d)\s+{MONTH_WORD}\s+(?P<day>[0-3]?\d)\b{TIME}", re.IGNORECASE
)
#: ISO 8601 and its common relatives: 2016-08-29, 2016-08-29T10:00:00.000+02:00, 2016/08/29.
ISO_DATE = re.compile(
    r"\b(?P<year>(?:19|20)\d\d)(?P<sep>[-/.])(?P<month>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)"
    r"(?:[T\s]+(?P<hour>[012]\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:[.,]\d+)?)?"
    r"\s*(?P<zone>Z|[+-]\d\d:?\d\d|UTC|GMT)?)?(?!\d)",
    re.IGNORECASE,
)
#: Compact ISO: 20160829 or 20160829T100000Z.
COMPACT_DATE = re.compile(r"^(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?:T.*)?$")
#: Numeric day/month/year in either order: 8/29/16, 29.08.2016, 29-08-2016.
NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?P<first>[0-3]?\d)(?P<sep>[/.-])(?P<second>[0-3]?\d)(?P=sep)"
    r"(?P<year>(?:19|20)?\d\d)(?![\d/-]|\.\d)"
)
#: Month and year only ("August 2016"): too vague for a publication date, but recognised so it
#: is not mistaken for something else.
MONTH_YEAR = re.compile(rf"\b{MONTH_WORD}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)

#: Words that announce that a date is a modification, not a publication.
MODIFIED_WORDS = re.compile(r"\b(updated?|modified|revised|edited|last\s+changed)\b", re.I)
PUBLISHED_WORDS = re.compile(r"\b(published|posted|posté|publié|veröffentlicht|on)\b", re.I)

#: URL date tokens, strongest first.
URL_DATE_SLASHED = re.compile(
    r"/(?P<year>(?:19|20)\d\d)/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)(?=/|$|[-_.])"
)
URL_DATE_COMPACT = re.compile(
    r"(?<![0-9])(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?![0-9])"
)
URL_DATE_DASHED = re.compile(
    r"(?<![0-9])(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![0-9])"
)
URL_DATE_YYMMDD = re.compile(
    r"(?<=[-_/.])(?P<year>\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?=[-_/.]|$)"
)

#: Time-zone abbreviations -> UTC offset (only unambiguous, common ones).
ZONES: dict[str, str] = {
    "z": "+00:00",
    "utc": "+00:00",
    "gmt": "+00:00",
    "est": "-05:00",
    "edt": "-04:00",
    "cst": "-06:00",
    "cdt": "-05:00",
    "mst": "-07:00",
    "mdt": "-06:00",
    "pst": "-08:00",
    "pdt": "-07:00",
    "bst": "+01:00",
    "cet": "+01:00",
    "cest": "+02:00",
    "eet": "+02:00",
    "eest": "+03:00",
    "jst": "+09:00",
    "kst": "+09:00",
    "aest": "+10:00",
    "aedt": "+11:00",
}

#: Regions that write numeric dates day first (a page in one of these reads 3/4/16 as 3 April).
MONTH_FIRST_REGIONS = frozenset({"us", "ph", "fm", "pw", "mh", "as", "gu", "pr", "um", "vi"})
#: Country-code top-level domains whose pages write numeric dates month first.
MONTH_FIRST_TLDS = frozenset({"us"})

# --------------------------------------------------------------------------- names

#: Name particles kept with the family name ("van Gogh", "de la Cruz").
PARTICLES = _words(
    "van von der den de del della di da dos das du la le ter ten zu vom bin ibn al el st. st"
)
#: Generational and similar suffixes ("Jr.", "III").
SUFFIXES = _words("jr jr. sr sr. ii iii iv v 2nd 3rd")
#: Academic degrees and honorifics dropped from names.
DEGREES = re.compile(
    r",?\s*\b(?:Ph\.?\s?D\.?|M\.?\s?D\.?|M\.?A\.?|M\.?Sc\.?|B\.?A\.?|MBA|J\.?D\.?|Esq\.?|"
    r"LL\.?M\.?|D\.?Phil\.?|FRS|OBE|MBE|CBE|RN)(?=[\s,;)]|$)"
)
HONORIFICS = re.compile(
    r"^(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Sir|Dame|Rev|Hon|Sen|Rep|Gen|Col|Capt|Lt)\.?\s+)+",
    re.IGNORECASE,
)

#: Common East Asian family names, romanised, grouped by variants of one name: the first of
#: each group is the canonical key.  Korean names from the Revised and McCune-Reischauer
#: romanisations and common personal spellings; Chinese and Vietnamese in pinyin and older forms.
FAMILY_NAME_VARIANTS: tuple[tuple[str, ...], ...] = (
    # Korean
    ("kim", "gim"),
    ("lee", "yi", "rhee", "ri", "rhie"),
    ("park", "pak", "bak"),
    ("choi", "choe", "chwe"),
    ("jung", "jeong", "chung", "cheong", "joung"),
    ("kang", "gang"),
    ("cho", "jo", "joh"),
    ("yoon", "yun", "youn"),
    ("jang", "chang"),
    ("lim", "im", "rim"),
    ("han",),
    ("oh",),
    ("seo", "suh", "so"),
    ("shin", "sin", "shinn"),
    ("kwon", "gwon", "kwun"),
    ("hwang",),
    ("ahn", "an"),
    ("song",),
    ("yoo", "yu", "ryu", "ryoo", "yoh"),
    ("hong",),
    ("jeon", "jun", "chun", "chon", "jon"),
    ("ko", "go", "koh"),
    ("moon", "mun"),
    ("yang",),
    ("son", "sohn"),
    ("bae", "pae"),
    ("baek", "paek", "paik", "baik"),
    ("heo", "hur", "huh", "ho"),
    ("nam",),
    ("noh", "no", "roh", "ro"),
    ("ha",),
    ("kwak", "gwak"),
    ("sung", "seong"),
    ("cha",),
    ("joo", "ju", "chu"),
    ("woo", "wu"),
    ("min",),
    ("ryu",),
    ("na", "ra"),
    ("jin", "chin"),
    ("uhm", "eom", "um"),
    ("won",),
    ("hyun", "hyeon", "hyon", "hyoun"),
    ("tae",),
    ("byun", "byeon", "pyon"),
    ("yeo", "yo"),
    ("chae",),
    ("pyo",),
    ("do", "toh"),
    ("gil", "kil"),
    ("maeng",),
    ("seok", "suk"),
    # Chinese (pinyin, Wade-Giles, Cantonese)
    ("wang", "wong"),
    ("zhang", "cheung"),
    ("liu", "lau", "lao"),
    ("chen", "chan"),
    ("zhao", "chao", "chiu"),
    ("huang", "wong"),
    ("zhou", "chow", "chou"),
    ("xu", "hsu", "tsui"),
    ("sun", "suen"),
    ("ma",),
    ("zhu", "chu"),
    ("hu", "woo"),
    ("guo", "kuo", "kwok"),
    ("he", "ho"),
    ("gao", "kao"),
    ("lin", "lam"),
    ("luo", "lo", "law"),
    ("zheng", "cheng"),
    ("liang", "leung"),
    ("xie", "hsieh", "tse"),
    ("tang", "tong"),
    ("deng", "teng", "tang"),
    ("feng", "fung"),
    ("cao", "tsao", "cho"),
    ("peng", "pang"),
    ("zeng", "tseng", "tsang"),
    ("xiao", "hsiao", "siu"),
    ("tian", "tien"),
    ("dong", "tung"),
    ("pan", "poon"),
    ("yuan", "yuen"),
    ("cai", "tsai", "choi"),
    ("jiang", "chiang", "kong"),
    ("yu", "yue"),
    ("du", "tu"),
    ("ye", "yeh", "yip"),
    ("cheng",),
    ("wei",),
    ("su", "so"),
    ("lu", "lo"),
    ("ding", "ting"),
    ("ren", "jen", "yam"),
    ("shen", "sham"),
    ("yao", "yiu"),
    ("lu",),
    ("jiang",),
    ("fan",),
    ("fang", "fong"),
    ("shi", "shih", "sze"),
    ("xi", "hsi"),
    ("li",),
    ("wu", "ng"),
    ("yang", "yeung"),
    # Japanese
    ("sato",),
    ("suzuki",),
    ("takahashi",),
    ("tanaka",),
    ("watanabe",),
    ("ito",),
    ("yamamoto",),
    ("nakamura",),
    ("kobayashi",),
    ("kato",),
    ("yoshida",),
    ("yamada",),
    ("sasaki",),
    ("yamaguchi",),
    ("matsumoto",),
    ("inoue",),
    ("kimura",),
    ("hayashi",),
    ("shimizu",),
    ("abe",),
    ("mori",),
    ("ikeda",),
    ("hashimoto",),
    ("ishikawa",),
    ("ogawa",),
    ("okada",),
    ("fujita",),
    ("goto",),
    ("hasegawa",),
    ("murakami",),
    ("kondo",),
    ("ishii",),
    ("saito",),
    ("sakamoto",),
    ("endo",),
    ("aoki",),
    ("fujii",),
    ("nishimura",),
    ("fukuda",),
    ("ota",),
    ("miura",),
    ("okamoto",),
    ("matsuda",),
    ("nakajima",),
    ("nakano",),
    ("harada",),
    ("ono",),
    ("tamura",),
    ("takeuchi",),
    ("kaneko",),
    ("wada",),
    ("nakayama",),
    ("ishida",),
    ("ueda",),
    ("morita",),
    ("hara",),
    ("shibata",),
    ("sakai",),
    ("kudo",),
    ("yokoyama",),
    ("miyazaki",),
    ("miyamoto",),
    ("uchida",),
    ("takagi",),
    ("ando",),
    ("taniguchi",),
    ("ohno", "ono"),
    ("maruyama",),
    ("imai",),
    ("takada",),
    ("fujiwara",),
    ("murata",),
    ("kishida",),
    ("koizumi",),
    # Vietnamese
    ("nguyen",),
    ("tran",),
    ("le",),
    ("pham",),
    ("hoang", "huynh"),
    ("phan",),
    ("vu", "vo"),
    ("dang",),
    ("bui",),
    ("ngo",),
    ("duong",),
)

#: Korean given names are usually two syllables; these are common romanised syllables, used to
#: recognise "In Ae" / "In-ae" / "Jong-un" as a two-syllable given name.
KOREAN_SYLLABLE = re.compile(
    r"^(?:[bcdghjkmnprstwy]|ch|kk|tt|pp|ss|jj|ph|th|kh)?"
    r"(?:a|ae|ya|yae|eo|e|yeo|ye|o|wa|wae|oe|yo|u|wo|we|wi|yu|eu|ui|i|ou|oo|ee|yeon|yun)"
    r"(?:k|n|t|l|m|p|ng|g|r|b|d)?$",
    re.IGNORECASE,
)

#: Words that make a name an organisation rather than a person.  Words that are also common
#: family names (Post, Church, Bank...) are left out: "The Washington Post" is an
#: organisation by its leading "The" (see :func:`warcite.extract.names.is_organization`).
ORGANIZATION_WORDS = _words("""
    inc inc. llc ltd ltd. corp corp. co. company companies group gmbh ag sa plc limited
    association institute institution university college school academy foundation
    society council committee commission agency bureau department ministry office
    center centre network networks news newsroom press media magazine journal times
    tribune gazette herald daily weekly radio tv television channel studios staff team
    editors editorial board desk service services wire reuters afp ap bloomberg
    partners publishing publications publisher consulting solutions technologies labs
    blog admin administrator contributors contributor guest webmaster support marketing
    federation authority government
    """)

#: Job titles that follow a name in bylines and author boxes ("Jane Doe, Staff Writer").
ROLE_WORDS = _words("""
    writer writers editor editors reporter reporters correspondent columnist contributor
    contributors author journalist analyst founder co-founder cofounder ceo cto cfo coo
    president director manager expert specialist consultant attorney lawyer strategist
    researcher scientist engineer developer designer producer photographer host
    marketer marketing lead head chief officer intern fellow professor lecturer
    nutritionist dietitian gardener astrologer coach trainer therapist physician
    """)
#: Words that qualify a job title ("Senior Autos Reporter", "Contributing Editor").
ROLE_QUALIFIERS = _words(
    "senior junior staff contributing associate assistant deputy managing executive chief "
    "former ex acting interim retired visiting emeritus "
    "lead principal freelance guest technical content digital security home autos news "
    "features sports science health tech"
)
#: Words that bylines hold but that are never names.
NOT_NAMES = _words(
    "updated published posted share follow menu home search subscribe login admin "
    "read more comments comment reviewed edited by sponsored last"
)

#: A label and "by" before a name ("Guide by", "Reviewed by", "Story and photos by").
LABELLED_BY = re.compile(r"^(?P<label>(?:[\w-]+\s+){1,3})by\b[:\s]*", re.IGNORECASE)
#: Labels of contributors who are not the authors.
NOT_AUTHOR_ROLES = re.compile(
    r"\b(?:reviewed|edited|fact[- ]?checked|checked|verified|illustrat\w*|photo\w*|images?"
    r"|video|produced|translated|updated|sponsored|presented|powered|narrated)\b",
    re.IGNORECASE,
)
#: Labels that make the one named an author even beside other roles ("Story and photos by").
AUTHOR_ROLES = re.compile(r"\b(?:story|text|words|written|article|report\w*|essay)\b", re.I)
#: Prefixes of bylines: "By", "Written by", "Words by", "Von", "Par", "Por", "Di".
BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|words|reported|text|story|photos?\s+and\s+text|article)\s+)?"
    r"(?:by|von|par|por|di|door|av|af)\b[:\s]*",
    re.IGNORECASE,
)
#: An "Author" label run into the name ("Author Jane Doe", "Authors: Jane Doe").
AUTHOR_LABEL_PREFIX = re.compile(
    r"^(?:[Aa]uthors?|AUTHORS?|[Aa]utor|[Aa]uteur)\s*:?\s+(?=[A-ZÀ-Ý])"
)
#: Separators between several authors in one byline.
AUTHOR_SEPARATORS = re.compile(r"\s*(?:;|&|\||/|\b(?:and|And|AND|und|et|y|e|en)\b)\s*")

#: A bio: "<Name>[, appositive,] is a/an/the <role> at/of/with <Organisation>".
BIO_VERB = re.compile(
    r"^(?P<subject>[^!?]{2,160}?)\s+(?:is|was|serves\s+as|works\s+as|ist|war|est|es|è|é)\s+"
    r"(?:(?:currently|now|also|derzeit|auch|actuellement)\s+)?"
    r"(?P<predicate>.+)$",
    re.IGNORECASE | re.DOTALL,
)
APPOSITIVE_BIO = re.compile(
    r"^(?P<subject>[A-Z][^,]{2,60}),\s+(?:a|an|the)\s+(?P<predicate>[^,]{3,200}),",
)
ROLE_PREPOSITIONS = re.compile(
    r"\s+(?:at|of|with|for|in|from|an(?=\s+(?:der|dem|den)\s)|bei|à|au|chez|en|de|di|presso|bij)\s+"
    rf"(?=(?:{'|'.join(('the', 'der', 'dem', 'des', 'die', 'das', 'la', 'le', 'les', 'el', 'il', 'lo', 'los'))})?\s*[A-Z])"
)
#: "<Organisation>'s <role>" in a bio ("MASV's Head of Editorial").
POSSESSIVE_ROLE = re.compile(
    r"^(?P<name>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,5})['’]s\s+(?P<role>[\w][^;]{1,80})"
)
ORGANIZATION_TAIL = re.compile(
    r"^(?:(?:the|der|dem|des|die|das|la|le|les|el|il|lo|los)\s+)?(?P<name>[A-Z][\w'&.-]*(?:\s+(?:(?:of|for|and|on|in|the|de|du|des|für|&)\s+)*"
    r"[A-Z][\w'&.-]*)*)\s*(?:\((?P<acronym>[A-Z][A-Za-z&.-]{1,14})\))?"
)

# --------------------------------------------------------------------------- titles and labels

#: Separators between a title and a site name in <title> and og:title.
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»«/]\s+|\s*\|\s*|\s+::\s+|\s+-{2}\s+")

#: Section labels that mean an opinion piece, and the genre they give.
GENRE_LABELS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bop[\s-]?eds?\b", re.I), "Op-ed"),
    (re.compile(r"\bopinions?\b|\bmeinung\b|\bopinión\b|\btribune\b", re.I), "Opinion"),
    (re.compile(r"\bcommentar(?:y|ies)\b|\bkommentar\b", re.I), "Commentary"),
    (re.compile(r"\beditorials?\b|\bleitartikel\b", re.I), "Editorial"),
    (re.compile(r"\bcolumns?\b|\bcolumnists?\b", re.I), "Column"),
    (re.compile(r"\bletters?\s+to\s+the\s+editor\b", re.I), "Letter to the editor"),
)

#: schema.org types of articles, and the genre a type implies.
ARTICLE_TYPES = _words("""
    Article NewsArticle OpinionNewsArticle AnalysisNewsArticle BackgroundNewsArticle
    ReportageNewsArticle ReviewNewsArticle AskPublicNewsArticle BlogPosting LiveBlogPosting
    SocialMediaPosting DiscussionForumPosting Report ScholarlyArticle TechArticle
    SatiricalArticle AdvertiserContentArticle MedicalScholarlyArticle APIReference Review
    CreativeWork Recipe HowTo Guide
    """)
#: JSON-LD types of the work a page without an article presents (a video page, a podcast
#: episode): read for its metadata when no article node is there.
MEDIA_WORK_TYPES = _words("VideoObject AudioObject PodcastEpisode Episode Clip")
TYPE_GENRES = {
    "OpinionNewsArticle": "Op-ed",
    "AnalysisNewsArticle": "Analysis",
    "ReviewNewsArticle": "Review",
    "Review": "Review",
    "BlogPosting": "Blog post",
    "LiveBlogPosting": "Live blog",
    "SatiricalArticle": "Satire",
    "Report": "Report",
}

# --------------------------------------------------------------------------- transcripts

#: Words of page furniture (share and rating widgets, promotions, navigation).  A short line
#: holding one, or a line holding two, is boilerplate at the edge of an article.
FURNITURE_WORDS = _words(
    """
    share shares tweet retweet print printer email e-mail comment comments subscribe
    subscription subscribers newsletter newsletters login sign-up signup register donate
    donation advertisement advertising sponsored cookie cookies menu ratings facebook
    twitter linkedin instagram whatsapp pinterest reddit related popular trending
    recommended copyright privacy premium membership
    """
)


# --------------------------------------------------------------------------- HTML metadata

#: Meta tag names (lower case) read for each field, in precedence order.
META_LANGUAGE = ("dc.language", "dcterms.language", "citation_language", "language", "og:locale")
META_PUBLISHER = (
    "og:site_name",
    "citation_publisher",
    "citation_journal_title",
    "dc.publisher",
    "dcterms.publisher",
    "application-name",
    "apple-mobile-web-app-title",
)
META_TITLE = (
    "og:title",
    "citation_title",
    "dc.title",
    "dcterms.title",
    "twitter:title",
    "parsely-title",
    "sailthru.title",
    "title",
)
META_AUTHOR = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "citation_authors",
    "parsely-author",
    "sailthru.author",
    "byl",
    "og:article:author",
    "book:author",
)
META_PUBLISHED = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "dcterms.issued",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "parsely-pub-date",
    "sailthru.date",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_date",
    "publication_date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "date_published",
    "pub_date",
    "release_date",
    "datepublished",
    "live_date",
    "publishdatetime",
    "dateline",
)
META_MODIFIED = (
    "article:modified_time",
    "og:updated_time",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "lastmod",
    "datemodified",
)
#: Other meta names that hold a publication or modification date ("published-date").
META_PUBLISHED_KEY = re.compile(
    r"(?=.*(?:publi|issued|created|pub[-_]?date))(?=.*(?:date|time|issued|created))"
)
META_MODIFIED_KEY = re.compile(r"(?=.*(?:modif|updated?))(?=.*(?:date|time))")
META_SECTION = ("article:section", "parsely-section", "section", "article-section", "category")
META_DESCRIPTION = (
    "og:description",
    "description",
    "twitter:description",
    "dc.description",
    "dcterms.description",
    "sailthru.description",
)
META_KEYWORDS = (
    "keywords",
    "news_keywords",
    "article:tag",
    "parsely-tags",
    "citation_keywords",
    "sailthru.tags",
    "dc.subject",
)
META_URL = ("og:url", "twitter:url", "parsely-link")

#: Class or id of an element holding a byline.
BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:by-?line|author|byl|writer|contributor|creator|posted-by|meta-author)(?:s)?(?:$|[\s_-])|^by$",
    re.I,
)
#: The same in camelCase ("authorName", "postAuthor", "articleBylineName").
BYLINE_CAMEL_CLASS = re.compile(
    r"(?:^|[\s_-])(?:author|byline|writer)Names?(?:$|[\s_-])"
    r"|(?:^|[\s_-])(?:post|article|entry|story)(?:Author|Byline)(?:Name)?(?:$|[\s_-])"
)
#: ...unless it is an avatar, a bio, a share widget or a list around the byline.
NOT_BYLINE_CLASS = re.compile(
    r"(?:bio|avatar|image|img|photo|description|about|box|follow|social|share|comment|related|list)",
    re.I,
)
#: Class or id of the name in an author card ("author-box__name"), a byline despite "box".
AUTHOR_NAME_CLASS = re.compile(r"author[\w-]*?[-_]name(?:$|[\s_-])", re.I)
#: ...unless the card is a comment's, a related article's or a share or follow widget.
NOT_AUTHOR_CARD_CLASS = re.compile(r"(?:comment|related|list|share|social|follow)", re.I)
#: Class or id of an element holding a visible date.
DATE_CLASS = re.compile(r"(?:date|time|published|posted|dateline|timestamp|pubdate|meta)", re.I)
#: Class or id that marks a date as a modification date.
#: Class words of elements whose date is not the publication date: captions and credits,
#: live tickers, events, today's date in a page header, weather and clocks.
NOT_PUBLISHED_DATE_CLASS = re.compile(
    r"(?:caption|credit|ticker|(?:^|[\s_-])live(?:$|[\s_-])|liveblog|event|today|current-?date|"
    r"weather|clock|countdown|deadline|expir)",
    re.I,
)
MODIFIED_CLASS = re.compile(r"(?:updated|modified|revised)", re.I)
#: schema.org item types of things on a page that are not its article (their authors are
#: not the article's).
NOT_ARTICLE_ITEM_TYPES = frozenset(
    {"Comment", "UserComments", "Review", "CriticReview", "Answer", "Question", "Rating"}
)
#: Class words of the part of a byline that holds the author's job title.
ROLE_CLASS = re.compile(
    r"(?:author|byline|writer|contributor)[\w-]*?[-_](?:title|role|job|position|designation)"
    r"(?:$|[\s_-])|(?:^|[\s_-])job-?title(?:$|[\s_-])",
    re.I,
)
#: Class or id of an author box or bio.
BIO_CLASS = re.compile(
    r"(?:author|contributor|writer)[-_]?(?:bio|info|description|about|box|details)|(?:^|[\s_-])bio(?:$|[\s_-])|about-?the-?author",
    re.I,
)
#: A byline's label standing alone ("By", "Written by", "Author:"), the name beside it.
BYLINE_LABEL = re.compile(
    r"^(?:(?:written|posted|authored|words|reported)\s+by|by|author|authors|autor|auteur|von|par|por)\s*:?$",
    re.I,
)
#: A link to an author's page on the site.
AUTHOR_HREF = re.compile(
    r"/(?:author|authors|writers?|contributors?|people|profiles?|autor|auteur|staff|columnists?)/[^/?#]+/?(?:$|[?#])",
    re.I,
)
#: Class or id words of containers whose bylines and dates belong to other articles (a whole
#: word of a class token: "related-posts" and "sidebar" match, Tailwind's "md:[grid-area:sidebar]"
#: does not).
SKIP_CLASS = re.compile(
    r"(?:^|\s|[-_])(?:related|recommended|recommendations?|popular|sidebar|comments?|trending"
    r"|more-stories|promo|promos)(?:$|\s|[-_])",
    re.I,
)
#: Icon elements, and the class words of an icon standing for a person (before a byline name).
ICON_TAGS = frozenset({"i", "span", "svg", "em"})
PERSON_ICON = re.compile(r"(?:^|[\s_-])(?:person|user|author)(?:$|[\s_-])", re.I)
#: Elements whose content never holds the article's byline or date.
SKIP_ANCESTORS = frozenset({"script", "style", "noscript", "template", "nav"})
#: A visible date labelled as the publication date.
PUBLISHED_LABEL = re.compile(
    r"^(?:(?:first\s+)?published|posted|publié|publicado|pubblicato|veröffentlicht)\b", re.I
)
#: How a byline's text starts.
BYLINE_TEXT_STARTS = ("By ", "BY ", "By:", "Written by", "Posted by", "Von ", "Par ", "Por ")
#: Cheap substring tests on class/id for the one-pass page scan (refined by the regexes).
BYLINE_ATTRIBUTE_WORDS = re.compile("author|byl|by-line|writer|contributor")
DATE_ATTRIBUTE_WORDS = re.compile("date|time|publish|posted|meta")
BIO_ATTRIBUTE_WORDS = re.compile("bio|author|about|contributor|writer")
#: Elements the page scan skips.
NON_CONTENT_TAGS = frozenset(
    {
        "html",
        "head",
        "body",
        "script",
        "style",
        "noscript",
        "template",
        "meta",
        "link",
        "svg",
        "path",
    }
)


# --------------------------------------------------------------------------- transcript lines

#: Two or more spaces (no-break spaces included): a boundary between side-by-side widgets.
CELL_GAP = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]{2,}")
#: A line that ends like a sentence.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
#: A list item's marker.
LIST_ITEM = re.compile(r"^(?:[-*•·–]\s+|\d{1,3}[.)]\s+)")
#: A teaser cut short ("(more...)", "...").
TRUNCATED = re.compile(r"(?:\((?:more|read more|continued)\.*\)|\.\.\.|…)\s*$", re.I)
#: A label before a bio ("About the author:").
BIO_LABEL = re.compile(
    r"^(?:about\s+the\s+authors?|about\s+me|author\s+bio|the\s+author)\s*[:\-–—]?\s*", re.I
)
#: A byline inside a line of a transcript.
BYLINE_LINE = re.compile(
    r"(?:^|[\s|•·,(])(?:[Bb]y|BY|[Ww]ritten by|[Pp]osted by)\s+(?P<names>\S.*)$"
    r"|^(?:Von|VON|Par|PAR|Por|POR|Door|Av|Af)\s+(?P<foreign>[A-ZÀ-Ý]\S*.*)$"
)
