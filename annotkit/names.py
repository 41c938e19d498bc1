"""People named in an article.

Telling a name from the words around it, the fullest form of each name, and what the article says of each
person (a role, a gender a pronoun can agree with).

``"Defense Secretary Lloyd Austin"`` is Lloyd Austin with the role "Defense Secretary"; ``"Republican Donald
Trump"`` is Donald Trump; a later ``"Austin"`` is Lloyd Austin again, and a later ``"he"`` can be him.
"""

from __future__ import annotations

import bisect
import re

from .words import (
    CUE_VERBS,
    DEMONYMS,
    FEMALE_NAMES,
    FUNCTION_WORDS,
    MALE_NAMES,
    MONTHS,
    NAME_PARTICLES,
    ORGANIZATION_WORDS,
    PARTICIPLE_CUES,
    PARTY_WORDS,
    TITLE_WORDS,
    TITLES,
    WEEKDAYS,
)

__all__ = ["Names", "collect_names", "name_without_titles"]

_NAME_PARTICLES = NAME_PARTICLES
_TITLE_WORDS = TITLE_WORDS
_FUNCTION_WORDS = FUNCTION_WORDS
_ORGANIZATION_WORDS = ORGANIZATION_WORDS
_NOT_PART_OF_NAME = TITLE_WORDS | DEMONYMS | PARTY_WORDS | MONTHS | WEEKDAYS | {"u.s"}
_INITIALISM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?\.?")  # U.S. a.m. J.
# Runs of capitalized words (with name particles: "Osama bin Laden", "Mustafa al-Kadhimi"); a cheap first pass,
# checked word by word afterwards.
_CAPITALIZED_RUN = re.compile(
    r"(?<![\w'’])(?:[A-ZÀ-ÖØ-Þ]|(?:al|el|bin|ben|ibn|abu)-)\S*"
    r"(?:\s+(?:(?:al|el|bin|ben|ibn|abu|de|da|di|du|van|von|der|den|la|le|dos|del)\s+)*"
    r"(?:[A-ZÀ-ÖØ-Þ]|(?:al|el|bin|ben|ibn|abu)-)\S*)*"
)
_NEXT_WORD = re.compile(r"\s*(\S+)")
_PREVIOUS_WORD = re.compile(r"(\S+)\s+$")
_CUE_WORDS = CUE_VERBS | PARTICIPLE_CUES
_GENDERED_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er|[Hh]im|[Hh]ers)\b")
_FIRST_NAMES = MALE_NAMES | FEMALE_NAMES
_FEMALE_TITLES = frozenset(
    "mrs ms miss madam lady dame queen princess sister congresswoman chairwoman spokeswoman".split()
)
_MALE_TITLES = frozenset("mr sir lord king prince father congressman chairman spokesman businessman".split())

_WORD = re.compile(r"\S+")
_EDGE_PUNCT = "\"“”‘’'«»()[]{},;:!?…—–"


def _core(word: str) -> str:
    """A word without the punctuation around it ("Zimmerman," -> "Zimmerman"; "Dr." keeps its point)."""
    core = word.strip(_EDGE_PUNCT)
    if core.endswith(".") and not _is_abbreviation(core):
        core = core.rstrip(".")
    return core


def _name_core(word: str) -> str:
    """A word as part of a name: "Sarr’s" in "Awa Sarr’s son" names Awa Sarr."""
    core = _core(word)
    return core[:-2] if core.endswith(("'s", "’s")) else core


def _is_abbreviation(word: str) -> bool:
    bare = word.rstrip(".").lower()
    return (
        bool(_INITIALISM.fullmatch(word))
        or bare in TITLES
        or bare in ("st", "jr", "sr")
        or (len(bare) == 1 and bare.isupper())
    )


def _ends_phrase(word: str) -> bool:
    stripped = word.rstrip("\"“”‘’'»)")
    if stripped.endswith((",", ";", ":", "!", "?", "…")):
        return True
    return stripped.endswith(".") and not _is_abbreviation(stripped.strip("\"“‘'«("))


def _leading_name(phrase: str) -> str | None:
    """The person named at the start of a phrase ("Dr Fiona Kerr of the University" -> "Fiona Kerr")."""
    run: list[str] = []
    for word in phrase.split():
        if not (_capitalized(word) or (run and word.lower() in _NAME_PARTICLES)):
            break
        run.append(_core(word))
    found = _name_in(" ".join(run)) if run else None
    if found and found[0] and (found[1] or len(found[0].split()) >= 2):
        return found[0]
    return None


def _capitalized(word: str) -> bool:
    core = _core(word)
    if not core or core.lower() in _FUNCTION_WORDS:
        return False
    if core[0].isupper():
        return True
    head, _, tail = core.partition("-")
    return head.lower() in _NAME_PARTICLES and tail[:1].isupper()  # al-Kadhimi


def _strip_titles(words: list[str]) -> list[str]:
    index = 0
    while index < len(words) - 1 and words[index].lower().rstrip(".") in _NOT_PART_OF_NAME:
        index += 1
    return words[index:]


def _name_in(phrase: str) -> tuple[str, bool] | None:
    """The trailing capitalized run of a phrase with titles stripped: ``(name, had_title)``.

    Name particles belong to the run, before its first capital too: "said van der Berg" is "van der Berg".

    ``had_title`` is True when a role ("Defense Secretary", "Dr.") stood before the name: a sign of a person.
    """
    words = phrase.split()
    run: list[str] = []
    for word in reversed(words):
        if _capitalized(word) or (run and word.lower() in _NAME_PARTICLES):
            run.insert(0, word)
        else:
            break
    if not run:
        return None
    # "Board President Linda Okoro": the name is what follows the last role word.
    last_role = max((i for i, w in enumerate(run[:-1]) if w.lower().rstrip(".") in _TITLE_WORDS), default=-1)
    name = _strip_titles(run[last_role + 1 :])
    # "special envoy for Ukraine Kurt Volker": a place glued before a name that starts with a known first name.
    preposition = len(words) > len(run) and words[len(words) - len(run) - 1].lower() in ("for", "of", "to", "in")
    first = next((k for k in range(1, len(name) - 1) if _core(name[k]).lower() in _FIRST_NAMES), None)
    if preposition and len(name) >= 3 and first is not None and _core(name[0]).lower() not in _FIRST_NAMES:
        name = name[first:]
    return " ".join(name), last_role >= 0 or len(name) < len(run)


def name_without_titles(phrase: str) -> str | None:
    """The person named in a phrase that gives their role first; None when no role stands before a name.

    "Defense Secretary Lloyd Austin" gives "Lloyd Austin"; "U.S. forces" and a bare "Jen Psaki" give None.

    >>> name_without_titles("President Joe Biden"), name_without_titles("U.S. forces")
    ('Joe Biden', None)
    """
    found = _name_in(phrase)
    if found is None or not found[0]:
        return None
    name, had_title = found
    words = phrase.split()
    before = words[: len(words) - len(name.split())]
    # "White House press secretary Jen Psaki": the role is in lower case, just before the name.
    if had_title or (before and before[-1].lower().rstrip(".") in _TITLE_WORDS):
        return name
    return None


class Names:
    """The people an article names: full names, where each is mentioned, their roles and genders.

    Attributes
    ----------
    full
        Names of two words or more, each once, in the order first seen.
    surnames
        The last word of each full name: a later mention of it alone names the same person.
    mentions
        ``(position, name)`` for every mention, sorted by position.
    roles
        A role the article gives a person ("Defense Secretary"), by name.
    genders
        ``"m"`` or ``"f"`` when the article says (a title such as "Mrs.", a first name, a pronoun), by name.
    """

    def __init__(self) -> None:
        self.full: list[str] = []
        self.surnames: set[str] = set()
        self.possible_surnames: set[str] = set()
        self.possible: list[str] = []  # capitalized runs that may be names ("Kenya's Daniel Kiptoo won")
        self.mentions: list[tuple[int, str]] = []
        self.roles: dict[str, str] = {}
        self.genders: dict[str, str] = {}
        self.organizations: list[tuple[int, str]] = []  # (position, name) of named organizations
        self._positions: list[int] = []
        self._sentence_starts: list[int] = []
        self.subject_pronouns: list[tuple[int, str]] = []  # (position, gender) of "He"/"She" opening a sentence

    def add(self, name: str, position: int, *, role: str | None = None) -> None:
        """Record a mention of a person at ``position``, with the role written before the name if any."""
        name = self.canonical(name)
        if len(name.split()) >= 2 and name not in self.full:
            self.full.append(name)
            self.surnames.add(name.split()[-1])
        self.mentions.append((position, name))
        if role:
            self.roles.setdefault(name, role)
            gender = _gender_of_title(role)
            if gender:
                self.genders.setdefault(name, gender)

    def canonical(self, name: str) -> str:
        """The fullest known form of a name: "Austin" -> "Lloyd Austin"."""
        words = name.split()
        for known in (self.full, self.possible):
            best = name
            for full in known:
                parts = full.split()
                if parts[-len(words) :] == words and len(parts) > len(best.split()):
                    best = full
            if best != name:
                return best
        return name

    def gender(self, name: str) -> str | None:
        """``"m"``, ``"f"`` or None (not known) for a person."""
        name = self.canonical(name)
        if name in self.genders:
            return self.genders[name]
        first = name.split()[0].lower() if name else ""
        if first in MALE_NAMES and first not in FEMALE_NAMES:
            return "m"
        if first in FEMALE_NAMES and first not in MALE_NAMES:
            return "f"
        return None

    def finish(self, sentence_starts: list[int] | None = None) -> None:
        """Sort the mentions; with the sentences' starts, pronouns prefer a sentence's first person (its subject)."""
        self.mentions.sort()
        self._positions = [p for p, _ in self.mentions]
        self._sentence_starts = sentence_starts or []

    def person_before(self, position: int, gender: str | None = None, *, within: int = 0) -> str | None:
        """The person a pronoun at ``position`` most likely means.

        One whose gender agrees (an unknown gender agrees with any), named in the nearest sentence before it that
        names one, and in that sentence the first named (most often its subject: "Trump attacked Cruz. 'Liar,' he
        said." is Trump).

        ``within`` > 0 looks only that many characters back.
        """
        return self._person_before(position, gender, within, depth=0)

    def _person_before(self, position: int, gender: str | None, within: int, depth: int) -> str | None:
        index = bisect.bisect_left(self._positions, position) if self._positions else len(self.mentions)
        starts = self._sentence_starts
        # "He had protested at a rally. ... 'I met them,' he said.": a sentence that opens with "He" continues
        # the person it stands for; follow it back rather than take the first name in that sentence.
        if starts and depth < 6:
            subject = next(
                (
                    (pos, g)
                    for pos, g in reversed(self.subject_pronouns)
                    if pos < position and (gender is None or g == gender) and (not within or position - pos <= within)
                ),
                None,
            )
            if subject is not None:
                mentions_after = [p for p in self._positions[:index] if p > subject[0]]
                sentence_of_subject = bisect.bisect_right(starts, subject[0])
                later_sentences_name_nobody = all(
                    bisect.bisect_right(starts, p) == sentence_of_subject or not self._agrees(p, gender)
                    for p in mentions_after
                )
                if later_sentences_name_nobody:
                    return self._person_before(subject[0], subject[1], within, depth + 1)
        in_sentence: list[str] = []  # compatible people of the nearest sentence that names one, last first
        chosen_sentence = None
        for pos, name in reversed(self.mentions[:index]):
            if within and position - pos > within:
                break
            if name.lower() in FUNCTION_WORDS:
                continue
            known = self.gender(name)
            if not (gender is None or known is None or known == gender):
                continue
            sentence = bisect.bisect_right(starts, pos) if starts else None
            if in_sentence and sentence != chosen_sentence:
                break
            in_sentence.append(name)
            chosen_sentence = sentence
            if sentence is None:
                break
        if not in_sentence:
            return None
        # The first named in that sentence, preferring somebody known to be a person over a capitalized phrase
        # that only looks like a name ("At Harmon & Daughters Hardware, owner Lisa Harmon said ...").
        sure = [n for n in in_sentence if self.canonical(n) in self.full]
        return self.canonical((sure or in_sentence)[-1])

    def _agrees(self, position: int, gender: str | None) -> bool:
        index = bisect.bisect_left(self._positions, position)
        if index >= len(self.mentions) or self.mentions[index][0] != position:
            return False
        known = self.gender(self.mentions[index][1])
        return gender is None or known is None or known == gender

    def learn_genders(self, pronouns: list[tuple[int, str]]) -> None:
        """Learn a person's gender from the pronouns that follow their name closely ("Kim Lee ... she ...").

        Only where a title or a first name has not said it, and only on a clear majority of at least two.
        """
        votes: dict[str, dict[str, int]] = {}
        for position, gender in pronouns:
            name = self.person_before(position, within=200)
            if name:
                votes.setdefault(name, {"m": 0, "f": 0})[gender] += 1
        for name, count in votes.items():
            if self.gender(name) is None:
                for gender, other in (("m", "f"), ("f", "m")):
                    if count[gender] >= 2 and count[gender] >= 3 * count[other]:
                        self.genders[name] = gender


_SMALL = frozenset("a an the of and or in on at to for with from by as vs but nor is".split())


def _title_case(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha() and w.lower() not in _SMALL]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _gender_of_title(role: str) -> str | None:
    words = {w.lower().rstrip(".") for w in role.split()}
    if words & _FEMALE_TITLES:
        return "f"
    if words & _MALE_TITLES:
        return "m"
    return None


def collect_names(
    text: str,
    paragraphs: list[tuple[int, int]],
    quoted: list[tuple[int, int]],
    sentence_starts: list[int] | None = None,
) -> Names:
    """Find people named outside quotations: titled names, named subjects of reporting verbs, appositives.

    ``paragraphs`` should leave out headlines: Title Case makes every word look like a name.
    """
    names = Names()
    starts = [s for s, _ in quoted]

    def inside_quote(pos: int) -> bool:
        index = bisect.bisect_right(starts, pos) - 1
        return index >= 0 and quoted[index][0] <= pos < quoted[index][1]

    for begin, end in paragraphs:
        if _title_case(text[begin:end]):
            continue  # a subheading or a headline: every word capitalized, names or not
        for match in _CAPITALIZED_RUN.finditer(text, begin, end):
            word = match.group()
            if " " not in word and "\n" not in word:  # a lone capitalized word matters only as a known surname
                core = _name_core(word)
                if inside_quote(match.start()):
                    continue
                if core in names.surnames or core in names.possible_surnames:
                    names.add(core, match.start())
                elif not _ends_phrase(word):
                    following = _NEXT_WORD.match(text, match.end(), end)
                    if following and following.group(1).strip(_EDGE_PUNCT) in _CUE_WORDS:
                        _consider_run(names, [(match.start(), word)], following.group(1))
                continue
            run: list[tuple[int, str]] = []
            for word_match in _WORD.finditer(text, match.start(), match.end()):
                pos, word = word_match.start(), word_match.group()
                if inside_quote(pos) or not (_capitalized(word) or (run and word.lower() in _NAME_PARTICLES)):
                    if run:
                        _consider_run(names, run, word, _word_before(text, run[0][0]))
                        run = []
                    continue
                run.append((pos, word))
                if _ends_phrase(word) or word.endswith(("'s", "’s")):
                    following = _NEXT_WORD.match(text, word_match.end(), end)
                    _consider_run(names, run, following.group(1) if following else "", _word_before(text, run[0][0]))
                    run = []
            if run:
                following = _NEXT_WORD.match(text, match.end(), end)
                _consider_run(names, run, following.group(1) if following else "", _word_before(text, run[0][0]))
    pronouns = []
    sentence_start_set = set(sentence_starts or ())
    for begin, end in paragraphs:
        for match in _GENDERED_PRONOUN.finditer(text, begin, end):
            if not inside_quote(match.start()):
                gender = "f" if match.group().lower() in ("she", "her", "hers") else "m"
                pronouns.append((match.start(), gender))
                if match.group() in ("He", "She") and match.start() in sentence_start_set:
                    names.subject_pronouns.append((match.start(), gender))
        # "Walz approaches it more calmly.": a lone capitalized word opening a sentence, then a verb, when the
        # article names a person with that surname or a reporting verb follows.
        for match in _LONE_SUBJECT.finditer(text, begin, end):
            word = match.group(1)
            known = word in names.surnames or word in names.possible_surnames or match.group(2) in _CUE_WORDS
            at_start = match.start() in sentence_start_set and not inside_quote(match.start())
            if known and at_start and _could_be_surname(word):
                names.mentions.append((match.start(), names.canonical(word)))
                names.possible_surnames.add(word)
    names.finish(sentence_starts)
    names.learn_genders(pronouns)
    return names


_LONE_SUBJECT = re.compile(r"([A-Z][a-z][\w'’-]+)\s+([a-z]+(?:ed|s)|said|told|wrote|says)\b")


def _could_be_surname(word: str) -> bool:
    low = word.lower()
    return (
        word not in _NOT_NAME_STARTS
        and low not in _NOT_PART_OF_NAME
        and low not in FUNCTION_WORDS
        and low.rstrip("s") not in PARTY_WORDS
        and word not in _ORGANIZATION_WORDS
        and not low.endswith("s")  # "Republicans say", "Democrats wanted": groups
    )


def _word_before(text: str, position: int) -> str:
    match = _PREVIOUS_WORD.search(text, max(0, position - 30), position)
    return match.group(1) if match else ""


def _consider_run(names: Names, run: list[tuple[int, str]], next_word: str, previous_word: str = "") -> None:
    """Keep a capitalized run as a person when a title, a reporting verb or an appositive says it is one."""
    cue_follows = next_word.strip(_EDGE_PUNCT).rstrip(".") in _CUE_WORDS
    if len(run) == 1:  # most runs: "Iraq", "The", "Biden" - only a known surname matters (and is cheap)
        core = _name_core(run[0][1])
        if core in names.surnames or core in names.possible_surnames:
            names.add(core, run[0][0])
            return
        if cue_follows and _looks_like_personal_name([core]) and core not in _ORGANIZATION_WORDS:
            # "Sanders said": a lone surname is a person a later "he said" can mean.
            names.mentions.append((run[0][0], core))
            names.possible_surnames.add(core)
            return
        if core.lower().rstrip(".") not in _TITLE_WORDS:
            return
    phrase = " ".join(_name_core(w) for _, w in run)
    # "envoy for Ukraine Kurt Volker": the word before the run tells a place glued to the name.
    found = _name_in(f"{previous_word} {phrase}" if previous_word in ("for", "of", "to", "in") else phrase)
    if not found:
        return
    name, had_title = found
    words = name.split()
    if any(_core(w) in _ORGANIZATION_WORDS for w in words):
        names.organizations.append((run[0][0], name))
        return
    followed_by_cue = next_word.strip(_EDGE_PUNCT).rstrip(".") in _CUE_WORDS
    appositive = run[-1][1].endswith(",") and next_word.lower() in {"a", "an", "the", "who"}
    if (had_title and words) or (len(words) >= 2 and (followed_by_cue or appositive)):
        role_words = phrase.split()[: len(phrase.split()) - len(words)]
        names.add(name, run[0][0], role=" ".join(role_words) or None)
    elif len(words) == 1 and words[0] in names.surnames:
        names.add(words[0], run[0][0])
    elif 2 <= len(words) <= 3 and _looks_like_personal_name(words):
        # "Ana Ruiz spoke." names somebody a later "she said" can refer to, though nothing proves a person.
        names.mentions.append((run[0][0], name))
        if name not in names.possible:
            names.possible.append(name)
            names.possible_surnames.add(words[-1])


_NOT_NAME_STARTS = frozenset(
    """New Los Las San Santa Saint St. North South East West Middle Upper Lower Greater Central Northern
    Southern Eastern Western The A An In On At For But And When After Before If As This That These Those
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December""".split()
)


def _looks_like_personal_name(words: list[str]) -> bool:
    return (
        words[0] not in _NOT_NAME_STARTS
        and not any(w.lower().rstrip(".") in _NOT_PART_OF_NAME for w in words)
        and all(w[:1].isupper() and not w.isupper() for w in words if w.lower() not in _NAME_PARTICLES)
    )
