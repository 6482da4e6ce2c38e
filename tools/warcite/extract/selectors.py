"""XPath expressions, tag sets and patterns used by HTML extraction, apart from its logic.

Everything here is data: :mod:`warcite.extract.html` decides what to do with it.  The rules
are general (about how web pages are built), never about one site.  Patterns are compiled
once at import.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- tags

#: Elements dropped with their content before anything else: not text a reader sees as
#: the article (scripts, media, embedded documents, form controls).
DISCARDED_TAGS: frozenset[str] = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "canvas",
        "video",
        "audio",
        "source",
        "track",
        "map",
        "area",
        "img",
        "picture",
        "input",
        "select",
        "option",
        "optgroup",
        "textarea",
        "button",
        "dialog",
        "link",
        "meta",
        "base",
        "title",
        "figcaption",
        "datalist",
        "output",
        "progress",
        "meter",
        "marquee",
    }
)

#: Structural boilerplate: dropped unless they hold the article (see html.py).
BOILERPLATE_TAGS: frozenset[str] = frozenset({"nav", "footer", "aside", "menu", "form"})

#: Furniture by its very tag: never taken for a wrapper of the article.
SEMANTIC_FURNITURE_TAGS: frozenset[str] = frozenset({"nav", "footer", "aside", "menu", "header"})

#: The document's root and main landmark: never marked as furniture, whatever their
#: classes say (``<body class="has-sidebar">``, ``<main class="offset-nav">``).
NEVER_FURNITURE_TAGS: frozenset[str] = frozenset({"html", "body", "main"})

#: An ``id`` made from a heading's words ("menu-innovation-strategies"): a link anchor
#: for a section of the text, not the name of a page component.
ANCHOR_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+){2,}$")

#: Characters found only in utility-CSS class tokens (Tailwind variants and arbitrary
#: values such as ``md:[grid-template-areas:'sidebar_main']``): such tokens name styles.
UTILITY_CLASS_MARKS: tuple[str, ...] = (":", "[", "(", "/", "=")

#: ``header`` is dropped unless it holds a real paragraph (some pages wrap the lead in it).
HEADER_TAG = "header"

#: ARIA landmark roles that are never the article.
BOILERPLATE_ROLES: frozenset[str] = frozenset(
    {
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "dialog",
        "alertdialog",
        "menu",
        "menubar",
        "toolbar",
        "alert",
        "tablist",
        "form",
    }
)

#: Elements that open a new text block.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "li",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "figure",
        "hr",
        "address",
        "details",
        "summary",
        "center",
        "fieldset",
        "legend",
        "form",
        "hgroup",
        "body",
        "html",
    }
)

HEADING_TAGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LIST_ITEM_TAGS: frozenset[str] = frozenset({"li", "dt", "dd"})
QUOTE_TAGS: frozenset[str] = frozenset({"blockquote"})
PREFORMATTED_TAGS: frozenset[str] = frozenset({"pre"})
TABLE_CELL_TAGS: frozenset[str] = frozenset({"td", "th"})
LINK_TAGS: frozenset[str] = frozenset({"a"})

#: ``</body>`` and ``</html>`` end tags (ignored by HTML5 parsers, fatal to libxml2's).
DOCUMENT_END_TAGS = re.compile(r"</\s*(?:body|html)\s*>", re.IGNORECASE)

# --------------------------------------------------------------------------- attributes

#: Attribute tokens (class and id, split on separators and camelCase) that name boilerplate.
BOILERPLATE_WORDS: frozenset[str] = frozenset(
    {
        # sharing, rating, social
        "share",
        "shares",
        "sharing",
        "sharethis",
        "addthis",
        "social",
        "socials",
        "rating",
        "ratings",
        "rate",
        "reactions",
        "likes",
        "follow",
        # comments
        "comment",
        "comments",
        "disqus",
        "respond",
        "replies",
        # related and popular lists
        "related",
        "popular",
        "trending",
        "recommended",
        "recommendation",
        "recommendations",
        "outbrain",
        "taboola",
        "readmore",
        "morestories",
        "mostread",
        "mostpopular",
        "upnext",
        "teaser",
        "teasers",
        # ads and promos
        "ad",
        "ads",
        "adsense",
        "adslot",
        "adunit",
        "advert",
        "advertisement",
        "advertising",
        "sponsor",
        "sponsored",
        "promo",
        "promotion",
        "newsletter",
        "subscribe",
        "subscription",
        "signup",
        "donate",
        "donation",
        "cta",
        # bylines, author boxes, post meta
        "byline",
        "bylines",
        "author",
        "authors",
        "bio",
        "dateline",
        "timestamp",
        "meta",
        "postmeta",
        "entrymeta",
        "tags",
        "taglist",
        "categories",
        # navigation and page furniture
        "nav",
        "navbar",
        "navigation",
        "menu",
        "breadcrumb",
        "breadcrumbs",
        "pagination",
        "pager",
        "sidebar",
        "footer",
        "masthead",
        "topbar",
        "toolbar",
        "skip",
        # overlays, banners, hidden text
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "ccpa",
        "onetrust",
        "modal",
        "popup",
        "overlay",
        "banner",
        "sronly",
        "screenreader",
        "visuallyhidden",
        # captions and credits
        "caption",
        "captions",
        "credit",
        "credits",
        "print",
        # news tickers
        "ticker",
    }
)

#: Class tokens that are state or taxonomy modifiers (WordPress ``tag-foo``,
#: ``category-news``, ``has-sidebar``...), never component names: not matched.
MODIFIER_PREFIXES: tuple[str, ...] = (
    "tag-",
    "category-",
    "has-",
    "is-",
    "status-",
    "format-",
    "type-",
    "postid-",
    "page-template",
    "single-",
    "with-",
    "no-",
    "js-",
)

#: Last parts of class tokens that state a page's state or setting, not a component:
#: ``comments-enabled``, ``ads-off``, ``sidebar-open``, ``article-type-commentary``.
STATE_SUFFIXES: tuple[str, ...] = (
    "-enabled",
    "-disabled",
    "-on",
    "-off",
    "-open",
    "-closed",
    "-active",
    "-allowed",
    "-free",
    "-visible",
)

#: Words inside a class token that make it a taxonomy or type modifier
#: (``article-type-commentary``, ``post-format-video``).
MODIFIER_INFIXES: tuple[str, ...] = ("-type-", "-format-", "-category-", "-tag-", "-genre-")

#: Words that begin like a furniture prefix but name content ("commentary" is a genre,
#: "adventure" a topic): never furniture by the prefix rule.
NOT_FURNITURE_WORDS: frozenset[str] = frozenset(
    {"commentary", "commentaries", "commentator", "commentators", "sharedcontent", "promotional"}
)

#: Attribute words of consent and privacy overlays (cookie banners, "do not sell"
#: notices): never taken for the article, however long.
CONSENT_WORDS: frozenset[str] = frozenset(
    {"cookie", "cookies", "consent", "gdpr", "ccpa", "onetrust"}
)

#: Consent and privacy notices, recognised by their text wherever they sit: the site's own
#: voice ("we use cookies", "by continuing to use this site you agree") or the banner's
#: buttons, not words an article about privacy would use ("cookie policy").
CONSENT_TEXT = re.compile(
    r"\b(?:(?:we|this\s+(?:web)?site|our\s+(?:web)?site|our\s+partners)\s+(?:and\s+our\s+partners\s+)?"
    r"(?:use|uses|store|stores)\s+cookies|"
    r"do\s+not\s+sell(?:\s+or\s+share)?\s+my\s+(?:personal\s+)?(?:info(?:rmation)?|data)|"
    r"by\s+(?:continuing\s+to\s+(?:use|browse)|using)\s+(?:this|our|the)\s+(?:web)?site\b"
    r".{0,80}\b(?:agree|consent|accept)|"
    r"by\s+clicking\s+[\"'“‘]?(?:accept|agree|ok|allow|i\s+agree)|"
    r"accept\s+(?:all\s+)?cookies|manage\s+(?:your\s+)?(?:cookie|consent|privacy)\s+"
    r"(?:settings|preferences|choices))",
    re.IGNORECASE,
)

#: Attribute words of text hidden from sight but kept for screen readers.
VISUALLY_HIDDEN_WORDS: frozenset[str] = frozenset({"sronly", "visuallyhidden", "screenreader"})

#: Attribute words of comment sections (never taken for the article, however long).
COMMENT_WORDS: frozenset[str] = frozenset(
    {"comment", "comments", "commentlist", "disqus", "respond", "replies", "discussion"}
)

#: Beginnings of run-together class words ("sharebuttons", "relatedposts", "adcontainer").
BOILERPLATE_PREFIXES: tuple[str, ...] = (
    "share",
    "social",
    "comment",
    "related",
    "advert",
    "newsletter",
    "cookie",
    "sidebar",
    "breadcrumb",
    "byline",
    "authorbox",
    "authorbio",
    "aboutauthor",
    "subscribe",
    "promo",
    "sponsor",
    "popular",
    "recommend",
    "navbar",
    "pagination",
)

#: Attribute tokens that name the article body itself.
CONTENT_WORDS: frozenset[str] = frozenset(
    {
        "articlebody",
        "article-body",
        "article_body",
        "articlecontent",
        "article-content",
        "article__body",
        "article__content",
        "entry-content",
        "entrycontent",
        "post-content",
        "postcontent",
        "post-body",
        "postbody",
        "post_content",
        "post-entry",
        "story-body",
        "storybody",
        "story-content",
        "content-body",
        "body-content",
        "main-content",
        "blog-content",
        "blog-post-content",
        "single-content",
        "rich-text",
        "richtext",
        "prose",
        "td-post-content",
        "page-content",
        "text-content",
    }
)

#: Article-body markers in microdata and landmarks.
CONTENT_XPATH = ".//*[@itemprop='articleBody' or @role='main' or self::article or self::main]"

#: Style declarations that hide an element.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

#: Splits a class or id value into words: separators and camelCase humps.
ATTRIBUTE_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")

# --------------------------------------------------------------------------- text patterns

#: Whitespace that becomes a plain space (NBSP, the Unicode spaces, tabs, line breaks).
SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")

#: Invisible characters removed from text (zero-width, soft hyphen, BOM, bidi marks).
INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\u200e\u200f]")

#: Short blocks that are page furniture wherever they appear (matched on the whole block).
BOILERPLATE_LINE = re.compile(
    r"""^(?:
        advertisement|advertising|sponsored(?:\s+content)?|ad|
        share(?:\s+(?:this|on|via)\b.*)?|share\s+article|tweet|email|print|
        (?:click\s+to\s+)?(?:share|print|email)\b.{0,40}|
        (?:read|see|view|show|load)\s+(?:more|all|next|full)\b.{0,60}|
        continue\s+reading.{0,60}|
        (?:related|recommended|popular|trending|more)\s*(?:articles?|posts?|stories|reads?|news|content)?\s*:?|
        (?:you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)).{0,40}|
        (?:sign\s+up|subscribe|join)\b.{0,120}(?:newsletter|inbox|updates|email).{0,60}|
        follow\s+us\b.{0,80}|
        (?:tags?|topics?|filed\s+under|categories|category)\s*:.{0,200}|
        (?:photo|image|picture|credit|source\s+image|illustration)s?\s*(?:credit)?\s*:.{0,150}|
        (?:leave|post|add|write)\s+a\s+(?:comment|reply|review).{0,40}|
        (?:\d+\s+)?comments?\s*(?:\(\d+\))?|
        (?:table\s+of\s+contents|contents|in\s+this\s+(?:article|post|guide)|jump\s+to|
            content\s+map|on\s+this\s+page)\W{0,3}|
        skip\s+to\b.{0,40}|back\s+to\s+(?:top|blog|home|news|articles?|all\s+\w+)\W{0,3}|
        (?:all\s+rights\s+reserved|copyright\s+©?|©).{0,160}|
        .{0,120}\ball\s+rights\s+reserved\.?|
        \W{0,3}(?:reading|read)\s+time\s*:?.{0,30}|
        (?:.{0,40}\s)?\d+\s*(?:min(?:ute)?s?)\.?\s+read(?:ing)?(?:\s+time)?|
        [\d,.]+[km]?\s+(?:views?|reads|shares|likes)|
        (?:listen|listen\s+to\s+this\s+article).{0,40}|
        was\s+this\s+(?:article|page|post)\s+helpful\??.{0,40}|
        (?:rate|rating)\s+this\b.{0,40}|
        search|close\s+search|(?:you\s+are\s+)?(?:signed|logged)\s+(?:in|out).{0,40}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

#: Affiliate and commission disclosures (looked for inside short blocks).
AFFILIATE_DISCLOSURE = re.compile(
    r"\b(?:may|might|could|will|do)\s+(?:earn|receive|get|make)\s+(?:an?\s+)?(?:small\s+)?"
    r"(?:affiliate\s+)?(?:commissions?|compensation|fees?|share\s+of)|"
    r"\baffiliate\s+(?:links?|commissions?|partnerships?)\b|\bearn\s+from\s+qualifying\s+purchases\b",
    re.IGNORECASE,
)

#: Placeholder text of page templates: dropped where the page's real prose is most of it.
PLACEHOLDER_TEXT = re.compile(r"^lorem ipsum\b", re.IGNORECASE)

#: The words of placeholder Latin ("Lorem ipsum" and its common variants).
_FILLER_TEXT = """lorem ipsum dolor sit amet consectetur consetetur adipiscing adipisicing sadipscing elit
    elitr sed do eiusmod tempor incididunt invidunt ut labore et dolore magna aliqua aliquyam
    erat voluptua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip
    ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum
    fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui
    officia deserunt mollit anim id est laborum at vero eos accusam justo duo dolores rebum
    stet clita kasd gubergren no sea takimata sanctus nonumy eirmod diam"""
FILLER_WORDS: frozenset[str] = frozenset(_FILLER_TEXT.split())

#: Bylines: "By Jane Doe", "Written by ...", "Posted by ... on ...", "Author: ...": a name
#: (capitalised, or in a script without case) follows, and the line is short, so that
#: "By 2030, the market ..." or "by far the largest ..." is not taken for one.
BYLINE_LINE = re.compile(
    r"^(?i:(?:written|posted|published|reported|reviewed|edited|compiled)\s+by|by|authors?|"
    r"von|par|por|door|di)\s*[:\-–—]?\s+(?:[A-Z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]|"
    r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])"
    r"(?:\S+\s+){0,14}\S*$"
)

#: Datelines: a block that is only a date, optionally labelled.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATELINE_LINE = re.compile(
    r"^(?:(?:published|posted|updated|last\s+updated|modified|date|on|first\s+published)"
    r"\s*(?:on|at)?\s*:?\s*)?(?:[a-z]+day,?\s+)?"
    r"(?:" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4})"
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?)?"
    r"(?:\s*[|·•\-–—]\s*.{0,60})?\.?$",
    re.IGNORECASE,
)

#: Headings after which the article is always over: comments, related lists, author boxes.
END_OF_ARTICLE_HEADING = re.compile(
    r"""^(?:
        (?:\d+\s+)?(?:comments?|reader\s+comments|thoughts\s+on\b.*)(?:\s*\(\d+\))?|
        leave\s+a\s+(?:comment|reply).*|post\s+a\s+comment|join\s+the\s+(?:discussion|conversation)|
        about\s+the\s+(?:authors?|writers?|reviewers?|contributors?)|
        (?:more\s+(?:from|by)\s+(?:the|this)\s+author)|what\s+i\s+cover|
        end\s+of\s+(?:the\s+)?article
    )\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)

#: Headings of lists of other stories: they end the article unless it resumes after the
#: list (an in-body "Related news" box between two paragraphs).
RELATED_HEADING = re.compile(
    r"""^(?:
        (?:related|recommended|popular|trending|similar|top)\s+
            (?:articles?|posts?|stories|reads?|news|reading|content|guides?|resources|videos?)|
        trending(?:\s+now)?|
        (?:you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in).*)|
        recommended\s+for\s+you|watch\s+next|what\s+to\s+read\s+next|up\s+next
    )\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)

#: Headings that end an article when less prose follows than precedes them (in a list
#: article, "More on X" or "Read more" can be a section of its own).
MAYBE_END_OF_ARTICLE_HEADING = re.compile(
    r"""^(?:
        (?:\d+\s+)?(?:responses?|replies)(?:\s*\(\d+\))?|
        (?:more|latest|recent)\s+(?:articles?|posts?|stories|reads?|news|content)\b.{0,60}|
        more\s+(?:from|on|in)\b.*|
        (?:read|see)\s+(?:more|also|next)(?:\s*:)?|
        (?:more|further)\s+reading|
        share\s+this(?:\s+(?:article|post|story|page))?|
        (?:sign\s+up|subscribe)\b.{0,60}|
        (?:don'?t|never)\s+miss.{0,40}|
        keep\s+reading
    )\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)

#: Sentence-ending punctuation (a block with it reads as prose, not as a label).
SENTENCE_END = re.compile(r"[.!?…:;。！？](?:[\"'”’»)\]]*)\s*$|[.!?。！？]\s")

#: A label that introduces a link to another story ("Read also:", "BREAKING:", "Watch:");
#: a short block made of one and a link is a teaser or a news strip, not the article's text.
TEASER_LABEL = re.compile(
    r"^\W{0,3}(?:breaking(?:\s+news)?|read\s+(?:also|more|next)|also\s+read|see\s+also|"
    r"related(?:\s+(?:stories|story|articles?|coverage|content|news))?|more|watch|listen|"
    r"latest(?:\s+news)?|just\s+in|live|recommended|don['’]t\s+miss|top\s+stor(?:y|ies)|"
    r"developing(?:\s+story)?|news\s+alert|alert|lesen\s+sie\s+auch|mehr\s+zum\s+thema|"
    r"lire\s+aussi|à\s+lire\s+aussi|leer\s+más|lee\s+también|leia\s+também|leggi\s+anche)"
    r"\s*(?:[:|–—»›>]|\s-\s)\s*",
    re.IGNORECASE,
)
