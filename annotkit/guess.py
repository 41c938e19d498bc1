"""Guess which actor a mention names, from the article and the actors the student has tagged so far.

When a student tags words as an actor without saying who it is, the tagging tool fills in a guess (which the
student sees and can change). A good guess links the mention to the actor the student already has:

- a **pronoun** to the person or group it stands for, the way the quote reader finds a speaker: "he" and "she"
  to the nearest named person before it (of the same gender, where the text shows one), "I" and "we" inside a
  quotation to its speaker (and the speaker's side), "it" and "they" to the nearest group before it;
- a **role or description** ("the Iraqi leader", "the president", "U.S. troops", "the group") to a tagged actor
  whose mentions share its role words and its country;
- a **surname** ("Austin") to the full name ("Lloyd Austin"), and a name with a role ("Defense Secretary Lloyd
  Austin") to the name alone;
- an **organisation** by its whole name, never cut ("the American Enterprise Institute").

A plural or vague mention with no good guess ("officials", "some") gives the words themselves, cleaned: no
leading "the", no "a group of".

>>> import annotkit
>>> article = annotkit.load_bundled_article()
>>> at = article.text.index("the Iraqi leader")
>>> tagged = [{"start": 284, "end": 323, "text": "Iraqi Prime Minister Mustafa al-Kadhimi", "label": "official",
...            "entity": "Mustafa al-Kadhimi", "affiliation": "iraq"}]
>>> guess_entity(article, at, at + len("the Iraqi leader"), tagged=tagged)
'Mustafa al-Kadhimi'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .quotes import name_without_titles

if TYPE_CHECKING:
    import pandas as pd

    from .article import Article

__all__ = ["guess_entity"]

_HE, _SHE = frozenset("he him his himself".split()), frozenset("she her hers herself".split())
_SPEAKER = frozenset("i me my mine myself".split())
_WE = frozenset("we us our ours ourselves".split())
_THEY = frozenset("they them their theirs themselves".split())
_IT = frozenset("it its itself".split())
_DETERMINERS = frozenset("the these those this that".split())
# "a group of reporters" is the reporters; "tens of thousands of foreign fighters" the fighters.
_QUANTITY = re.compile(
    r"^(?:(?:a|an|the)\s+)?(?:group|groups|number|handful|crowd|team|delegation|tens|hundreds|thousands|millions|"
    r"dozens|scores|some|many|most|several|all|few)(?:\s+of\s+(?:thousands|hundreds|millions))?\s+of\s+(?:the\s+)?",
    re.IGNORECASE,
)
_DOCUMENTS = frozenset("report reports statement study survey document documents analysis".split())
_ORGANISATION_WORDS = frozenset(
    """institute foundation council ministry department agency party office house forces force group nations union
    university bank company court army navy committee commission center centre association news service
    administration government congress senate parliament republic states kingdom organization organisation
    authority police guard network media television radio school hospital church democracies watch international
    club league alliance coalition front movement board fund program programme times post press corps""".split()
)
# Role words that stand for one person, and heads that stand for a whole force or a government.
_PERSON_ROLES = frozenset(
    """leader president premier chancellor king queen emir monarch ruler minister secretary official spokesman
    spokeswoman spokesperson commander general ambassador envoy senator governor mayor chief director analyst
    expert fellow adviser advisor officer""".split()
)
_LEADERS = frozenset("leader president premier chancellor king queen emir monarch ruler".split())
_FORCES = frozenset("force troop military soldier marine army personnel".split())
_GOVERNMENTS = frozenset("government authority administration".split())
_GENERIC = frozenset("senior current top former local other new own remaining".split())
_MALE_WORDS = frozenset("mr mr. sir lord king prince spokesman congressman chairman father".split())
_FEMALE_WORDS = frozenset("mrs mrs. ms ms. miss lady dame queen princess spokeswoman congresswoman chairwoman".split())
# Countries (by affiliation id): how a new actor is named, the names of the country, the words for its people.
_COUNTRIES = {
    "united_states": ("the United States", ("united states", "america", "u.s.", "usa", "us"), ("american", "u.s.")),
    "iraq": ("Iraq", ("iraq",), ("iraqi",)),
    "iran": ("Iran", ("iran", "islamic republic", "islamic republic of iran"), ("iranian",)),
    "syria": ("Syria", ("syria",), ("syrian",)),
    "israel": ("Israel", ("israel",), ("israeli",)),
    "russia": ("Russia", ("russia",), ("russian",)),
    "china": ("China", ("china",), ("chinese",)),
    "ukraine": ("Ukraine", ("ukraine",), ("ukrainian",)),
    "united_kingdom": ("the United Kingdom", ("united kingdom", "britain", "uk", "u.k."), ("british",)),
    "france": ("France", ("france",), ("french",)),
    "germany": ("Germany", ("germany",), ("german",)),
    "turkey": ("Turkey", ("turkey",), ("turkish",)),
    "afghanistan": ("Afghanistan", ("afghanistan",), ("afghan",)),
    "saudi_arabia": ("Saudi Arabia", ("saudi arabia",), ("saudi",)),
    "kenya": ("Kenya", ("kenya",), ("kenyan",)),
    "nigeria": ("Nigeria", ("nigeria",), ("nigerian",)),
    "mexico": ("Mexico", ("mexico",), ("mexican",)),
    "canada": ("Canada", ("canada",), ("canadian",)),
}
_COUNTRY_NAMED = {name: code for code, (_, names, _) in _COUNTRIES.items() for name in names}
_NATION_OF = {word: code for code, (_, names, people) in _COUNTRIES.items() for word in (*names, *people)}


@dataclass(frozen=True)
class _Mention:
    """An actor mention the student has tagged: where, its words, and who they said it is."""

    start: int
    end: int
    text: str
    label: str
    entity: str
    affiliation: str


def guess_entity(
    article: Article,
    start: int,
    end: int,
    *,
    tagged: pd.DataFrame | Iterable[Mapping[str, Any]] = (),
) -> str:
    """Who ``article.text[start:end]`` names, as an actor: one of those already tagged, or a new one.

    Parameters
    ----------
    article
        The article.
    start, end
        The mention's code-point offsets.
    tagged
        The student's actor annotations so far: a frame or records with ``start, end, text, label, entity,
        affiliation`` (other columns and layers are ignored).

    Returns
    -------
    str
        The actor's name, to show the student (who may change it).

    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> at = article.text.index("the American Enterprise Institute")
    >>> guess_entity(article, at, at + len("the American Enterprise Institute"))
    'the American Enterprise Institute'
    """
    words = " ".join(article.text[start:end].split()).strip("\"“”‘’'«»()[],;:")
    mentions = [m for m in _mentions(tagged) if (m.start, m.end) != (start, end)]
    lowered = words.lower()
    for guess in (
        _pronoun(article, start, lowered, mentions),
        _parenthetical(article, start, mentions),
        _same_words(words, start, mentions),
        _two_sides(lowered, start, mentions),
        _country(words, start, mentions),
        _person(words, start, article, mentions),
        _description(words, start, mentions),
    ):
        if guess:
            return guess
    return _cleaned(words)


def _mentions(tagged: pd.DataFrame | Iterable[Mapping[str, Any]]) -> list[_Mention]:
    """The tagged actor mentions that name someone, as plain records."""
    rows = tagged.to_dict("records") if hasattr(tagged, "to_dict") else list(tagged)
    mentions = []
    for row in rows:
        if row.get("layer", "actor") != "actor":
            continue
        fields = (row.get("start"), row.get("end"), row.get("text"), row.get("label"), row.get("entity"),
                  row.get("affiliation"))  # fmt: skip
        try:
            mention = _mention(*fields)
        except TypeError:  # a value that cannot be hashed (a list where text belongs): not a mention
            continue
        if mention is not None:
            mentions.append(mention)
    return sorted(mentions, key=lambda m: (m.start, m.end))


@lru_cache(maxsize=8192)  # pure: the same tags are read again at every tag a student makes
def _mention(start: Any, end: Any, text: Any, label: Any, entity: Any, affiliation: Any) -> _Mention | None:
    if not _text(entity) or not _number(start) or not _number(end):
        return None
    return _Mention(int(start), int(end), _text(text), _text(label), _text(entity), _text(affiliation))


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and value == value  # NaN is not a position


def _nearest(mentions: list[_Mention], position: int) -> _Mention | None:
    """The mention nearest before ``position``, else the nearest after it."""
    before = [m for m in mentions if m.start < position]
    if before:
        return before[-1]
    return min(mentions, key=lambda m: m.start, default=None)


# --- pronouns ------------------------------------------------------------------------------------------


def _pronoun(article: Article, start: int, lowered: str, mentions: list[_Mention]) -> str | None:
    if lowered in _HE or lowered in _SHE:
        gender = "m" if lowered in _HE else "f"
        for mention in reversed([m for m in mentions if m.start < start and _is_person(m)]):
            if _gender(mention, mentions, article) in (gender, None):
                return mention.entity
        return _speaker_before(article, start)
    if lowered in _SPEAKER or lowered in _WE:
        speaker = _speaker_at(article, start)
        if not speaker:
            return None
        known = _known_person(speaker, mentions)
        if lowered in _SPEAKER:
            return known.entity if known else speaker
        return _side_of(known, speaker, start, mentions)
    if lowered in _THEY or lowered in _IT:
        plural = lowered in _THEY
        groups = [m for m in mentions if m.start < start and not _is_person(m) and (plural or not _is_plural(m.text))]
        return groups[-1].entity if groups else None
    return None


def _is_person(mention: _Mention) -> bool:
    """A person: named ("Lloyd Austin"), or one official described ("a senior U.S. official")."""
    if _looks_like_name(mention.entity):
        return True
    words = mention.entity.lower().split()
    return bool(words) and words[0] in ("a", "an") and _stem(words[-1]) in _PERSON_ROLES


@lru_cache(maxsize=8192)  # pure, and called for every tag's words again and again
def _looks_like_name(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 4 or any(_is_organisation(w) for w in words):
        return False
    particles = ("al", "el", "bin", "ben", "ibn", "abu", "de", "da", "di", "du", "van", "von", "der", "la", "le")
    return all(w[:1].isupper() or w.lower() in particles or w.split("-")[0].lower() in particles for w in words) and (
        not any(w.lower() in _NATION_OF for w in words)
    )


def _gender(person: _Mention, mentions: list[_Mention], article: Article) -> str | None:
    """The gender the text shows ("m" or "f"), else None.

    Shown by the student's tags (a "he" linked to them, "Mrs", "spokeswoman"), or by the article: a quotation of
    theirs followed by "she said", or "Mr." before their name.
    """
    words = {w.lower() for m in mentions if m.entity == person.entity for w in m.text.split()}
    male, female = bool(words & (_HE | _MALE_WORDS)), bool(words & (_SHE | _FEMALE_WORDS))
    if not (male or female):
        shown = _gender_in_text(article, person.entity)
        male, female = shown == "m", shown == "f"
    return "m" if male and not female else "f" if female and not male else None


def _gender_in_text(article: Article, name: str) -> str | None:
    text = article.text
    shown = set()
    for _, end, _speaker in (q for q in _quotes(article) if q[2] == name):
        after = re.match(r"[\s,.!?\"”’']*(he|she)\s", text[int(end) : int(end) + 20], re.IGNORECASE)
        if after:
            shown.add("m" if after.group(1).lower() == "he" else "f")
    surname = re.escape(name.split()[-1]) if name.split() else ""
    for title in re.findall(rf"\b(Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z][\w-]*\s+)?{surname}\b", text) if surname else []:
        shown.add("m" if title == "Mr" else "f")
    return shown.pop() if len(shown) == 1 else None


def _quotes(article: Article) -> list[tuple[int, int, str]]:
    """The quotations the quote reader attributed: ``(start, end, speaker)``, in text order."""
    quotes = article.quotes
    rows = zip(quotes["start"].tolist(), quotes["end"].tolist(), quotes["speaker"].tolist(), strict=True)
    return [(int(start), int(end), str(speaker)) for start, end, speaker in rows if isinstance(speaker, str)]


def _speaker_at(article: Article, position: int) -> str | None:
    """Who says the quotation that ``position`` stands in (None outside quotations)."""
    return next((speaker for start, end, speaker in _quotes(article) if start <= position < end), None)


def _speaker_before(article: Article, position: int) -> str | None:
    """The last person the quote reader found speaking before ``position``."""
    people = [speaker for start, _, speaker in _quotes(article) if start < position and _looks_like_name(speaker)]
    return people[-1] if people else None


def _known_person(name: str, mentions: list[_Mention]) -> _Mention | None:
    """The tagged actor a name stands for: the same name, or a full name with this last name."""
    folded = name.casefold()
    for mention in reversed(mentions):
        if mention.entity.casefold() == folded:
            return mention
    last = folded.split()[-1] if folded.split() else ""
    same = {m.entity for m in mentions if _is_person(m) and m.entity.casefold().split()[-1:] == [last]}
    if len(same) == 1:
        return next(m for m in reversed(mentions) if m.entity in same)
    return None


def _side_of(known: _Mention | None, speaker: str, position: int, mentions: list[_Mention]) -> str | None:
    """Whom "we" stands for in a speaker's mouth: a group speaks for itself, a person for their country."""
    if known is not None and not _is_person(known):
        return known.entity
    nations = _nations_of(known.entity, mentions) if known else set()
    nations |= _nations_in(speaker)
    if not nations:
        return None
    governments = [m for m in mentions if m.label == "government_body" and _nations_of(m.entity, mentions) & nations]
    nearest = _nearest(governments, position)
    if nearest is not None:
        return nearest.entity
    return _COUNTRIES[sorted(nations)[0]][0]


# --- names ---------------------------------------------------------------------------------------------


def _parenthetical(article: Article, start: int, mentions: list[_Mention]) -> str | None:
    """Words in brackets right after a tagged mention name the same actor: "ISIS (Islamic State group)"."""
    before = article.text[:start].rstrip()
    if not before.endswith("("):
        return None
    opening = len(before) - 1
    for mention in mentions:
        if mention.end <= opening and not article.text[mention.end : opening].strip():
            return mention.entity
    return None


def _same_words(words: str, start: int, mentions: list[_Mention]) -> str | None:
    """The words were tagged before (or are an actor's name): the same actor."""
    key = _bare(_cleaned(words))
    same = [m for m in mentions if key in (_bare(_cleaned(m.text)), _bare(m.entity))]
    nearest = _nearest(same, start)
    return nearest.entity if nearest else None


def _two_sides(lowered: str, start: int, mentions: list[_Mention]) -> str | None:
    """A pair ("the two countries", "both sides"): the pair already tagged, or the last two countries."""
    if not re.fullmatch(r"(?:the )?(?:two|both) (?:countries|sides|nations|governments|allies)|both", lowered):
        return None
    pairs = [m for m in mentions if " and " in m.entity and not _is_person(m)]
    nearest = _nearest(pairs, start)
    if nearest is not None:
        return nearest.entity
    countries: list[str] = []
    for mention in reversed([m for m in mentions if m.start < start and m.label == "government_body"]):
        if mention.entity not in countries and " and " not in mention.entity:
            countries.append(mention.entity)
    return f"{countries[1]} and {countries[0]}" if len(countries) >= 2 else None


def _country(words: str, start: int, mentions: list[_Mention]) -> str | None:
    """A country by another of its names ("America" for a tagged "the United States")."""
    cleaned = _cleaned(words)
    code = _COUNTRY_NAMED.get(_bare(cleaned))
    if code is None or not cleaned.split()[-1][:1].isupper():  # "us" is a pronoun, "US" a country
        return None
    same = [m for m in mentions if _COUNTRY_NAMED.get(_bare(m.entity)) == code]
    nearest = _nearest(same, start)
    return nearest.entity if nearest else _COUNTRIES[code][0]


def _person(words: str, start: int, article: Article, mentions: list[_Mention]) -> str | None:
    """A person's name without their role, and a surname as the full name tagged (or quoted) before."""
    cleaned = _cleaned(words)
    if not cleaned[:1].isupper():
        # A role in lower case before a name ("town engineer Priya Natarajan") names the person; else a description.
        named = name_without_titles(cleaned)
        if named is None or not named[:1].isupper() or not _looks_like_name(named):
            return None
        known = _known_person(named, mentions)
        return known.entity if known is not None else named
    if _is_organisation(cleaned.split()[-1]):
        return None  # an organisation's name: never cut
    name = name_without_titles(cleaned)
    if name is not None:
        removed = cleaned.split()[: len(cleaned.split()) - len(name.split())]
        if all(_nations_in(w) for w in removed) or any(_is_organisation(w) for w in name.split()):
            name = None  # "U.S. Marines": a country in front is no role
    if name is None:
        if any(_is_organisation(w) for w in cleaned.split()):
            return None
        name = cleaned
    if len(name.split()) > 1 and not _looks_like_name(name):
        return None
    known = _known_person(name, mentions)
    if known is not None:
        return known.entity
    last = name.split()[-1].casefold()
    quoted = {speaker for _, _, speaker in _quotes(article) if _looks_like_name(speaker)}
    fuller = sorted(s for s in quoted if s.casefold().split()[-1] == last and len(s.split()) > len(name.split()))
    return fuller[0] if len(fuller) == 1 else (name if name != cleaned else None)


def _is_organisation(word: str) -> bool:
    return word.lower().strip(".,") in _ORGANISATION_WORDS


# --- roles and descriptions ----------------------------------------------------------------------------


def _description(words: str, start: int, mentions: list[_Mention]) -> str | None:
    """A role or description ("the Iraqi leader", "U.S. troops") as the tagged actor it fits best."""
    cleaned = [w for w in _cleaned(words).split() if w.lower() not in ("the", "a", "an")]
    if not cleaned or any(w[:1].isupper() and not _nations_in(w) for w in cleaned):
        return None  # a name, not a description
    tokens = _tokens(" ".join(cleaned))
    head = _stem(tokens[-1])
    nations = _nations_in(" ".join(cleaned[:-1]))
    modifiers = {_stem(w) for w in tokens[:-1] if not _nations_in(w) and w not in _GENERIC}
    plural = _is_plural(words)
    # Each actor's words (all its mentions and its name) and countries, worked out once.
    vocabularies: dict[str, set[str]] = {}
    for mention in mentions:
        words_of = vocabularies.setdefault(mention.entity, set(_stems(mention.entity)))
        words_of |= _stems(_cleaned(mention.text))
    countries = _countries_of(mentions) if nations else {}
    fits: list[tuple[bool, _Mention]] = []
    for mention in mentions:
        vocabulary = vocabularies[mention.entity]
        person = _is_person(mention)
        if head in _PERSON_ROLES and person == plural:
            continue  # "the leader" is one person; "leaders" are not
        if plural and person:
            continue
        if not _head_fits(head, vocabulary, mention):
            continue
        belongs = countries.get(mention.entity, set())
        if not modifiers <= vocabulary or (nations and not nations & belongs):
            continue
        fits.append((not nations or belongs == nations, mention))
    # An actor of exactly this country first: "Iraqi authorities" are Iraq's, not "the United States and Iraq".
    exact = [m for same, m in fits if same]
    nearest = _nearest(exact or [m for _, m in fits], start)
    return nearest.entity if nearest else None


def _head_fits(head: str, vocabulary: set[str], mention: _Mention) -> bool:
    if head in vocabulary:
        return True
    if head in _LEADERS:
        return bool(vocabulary & _LEADERS) or {"prime", "minister"} <= vocabulary
    if head in _FORCES:
        return bool(vocabulary & _FORCES) or mention.label == "military_or_security"
    if head in _GOVERNMENTS:
        return mention.label == "government_body"
    return False


def _countries_of(mentions: list[_Mention]) -> dict[str, set[str]]:
    """:func:`_nations_of` for every actor tagged, in one pass."""
    countries: dict[str, set[str]] = {}
    for mention in mentions:
        found = countries.setdefault(mention.entity, set(_nations_in(mention.entity)))
        affiliation = mention.affiliation.lower().replace(" ", "_")
        if affiliation in _COUNTRIES:
            found.add(affiliation)
        found |= _nations_in(mention.text)
    return countries


def _nations_of(entity: str, mentions: list[_Mention]) -> set[str]:
    """The countries an actor belongs to, from its affiliation and the words of its mentions."""
    nations = set()
    for mention in mentions:
        if mention.entity != entity:
            continue
        affiliation = mention.affiliation.lower().replace(" ", "_")
        if affiliation in _COUNTRIES:
            nations.add(affiliation)
        nations |= _nations_in(mention.text)
    return nations | _nations_in(entity)


@lru_cache(maxsize=8192)  # pure, and called for every tag's words again and again
def _nations_in(words: str) -> frozenset[str]:
    """The countries words name ("Iraqi", "U.S.", "Iran-linked", "the United States").

    >>> sorted(_nations_in("Iran-linked militias")), sorted(_nations_in("the United States and Iraq"))
    (['iran'], ['iraq', 'united_states'])
    """
    lowered = " ".join(words.split()).lower()
    nations = {code for name, code in _COUNTRY_NAMED.items() if " " in name and name in lowered}
    for token in _tokens(words):
        for part in (token, *token.split("-")):
            if part in _NATION_OF and (part != "us" or "US" in words):
                nations.add(_NATION_OF[part])
    return frozenset(nations)


# --- words ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)  # pure, and called for every tag's words again and again
def _cleaned(words: str) -> str:
    """The words as a name: no leading "the"/"these", no "a group of", no trailing "'s" or document word.

    >>> _cleaned("a group of reporters"), _cleaned("The United States"), _cleaned("a United Nations report")
    ('reporters', 'the United States', 'United Nations')
    """
    words = _QUANTITY.sub("", " ".join(words.split())).strip()
    parts = words.split()
    if len(parts) > 2 and parts[-1].lower() in _DOCUMENTS and parts[-2][:1].isupper():
        parts = [p for p in parts[:-1] if p.lower() not in ("a", "an")]
    if parts and parts[-1].endswith(("'s", "’s")):
        parts[-1] = parts[-1][:-2]
    if len(parts) > 1 and parts[0].lower() in _DETERMINERS:
        # A name keeps its "the" ("the United States"); a description loses it ("the group", "these networks").
        parts = ["the", *parts[1:]] if parts[0].lower() == "the" and parts[-1][:1].isupper() else parts[1:]
    return " ".join(parts)


@lru_cache(maxsize=8192)  # pure, and called for every tag's words again and again
def _bare(words: str) -> str:
    """Words for comparing names: lower case, no leading "the"."""
    lowered = " ".join(words.split()).lower()
    return lowered[4:] if lowered.startswith("the ") else lowered


@lru_cache(maxsize=8192)  # pure, and called for every tag's words again and again
def _tokens(words: str) -> tuple[str, ...]:
    """Lower-case words without the punctuation around them ("U.S." keeps its points, "Iraq's" loses its "'s")."""
    tokens = []
    for word in words.split():
        core = word.strip("\"“”‘’'«»()[]{},;:!?").lower().removesuffix("'s").removesuffix("’s")
        if core:
            tokens.append(core)
    return tuple(tokens)


@lru_cache(maxsize=8192)  # pure, and called for every tagged mention at every tag
def _stems(words: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _tokens(words))


@lru_cache(maxsize=8192)  # pure, and called for every tag's words again and again
def _stem(word: str) -> str:
    """A plural noun's singular, roughly: "troops" -> "troop", "authorities" -> "authority"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", ".")):
        return word[:-1]
    return word


def _is_plural(words: str) -> bool:
    """A plural common noun at the end ("U.S. troops", "officials"): not a name like "ISIS" or "the United States"."""
    last = words.split()[-1] if words.split() else ""
    core = last.strip("\"“”‘’'«»()[],;:!?")
    if not core or core[:1].isupper():
        return core.lower() in _THEY
    return core.lower() in ("police", "people") or _stem(core.lower()) != core.lower() or core.lower() in _THEY
