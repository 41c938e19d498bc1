"""Quotations and who said them.

Finding quotations is a matter of pairing quotation marks: curly ones say which way they face, straight
ones are read from the characters around them, and a stack lets a quotation hold another one (this very
article nests straight double quotes inside straight double quotes). Attribution follows the patterns of
news prose: the speaker after the quote (``"...," Defense Secretary Lloyd Austin told reporters``), before
it (``Austin replied: "..."``), inverted (``said Amina Bello``), by "according to", by a pronoun that refers
to a person named earlier, or carried on from the previous quotation of the same speaker.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "find_quotes"]


@dataclass(frozen=True)
class QuoteSpan:
    """One quotation found in an article.

    Attributes
    ----------
    para_id
        Index of the paragraph the quotation (or this part of it) stands in.
    start, end
        Half-open offsets of the quoted words, inside the quotation marks.
    speaker
        Who said it, as the article names them (a person's fullest name, without titles), or None.
    cue
        The reporting words that attribute it ("said", "told", "according to"), or None.
    attribution
        How the speaker was found: "after quote", "before quote", "same sentence", "previous quote", or None.
    continues
        For a quotation that runs on from the previous paragraph, the index of its previous part; else None.
    """

    para_id: int
    start: int
    end: int
    speaker: str | None
    cue: str | None
    attribution: str | None
    continues: int | None


# --- vocabulary -------------------------------------------------------------------------------------------

_CUE_VERBS = (
    """said says say told tells added adds asked asks explained explains replied replies warned warns wrote
    writes stated noted argued argues insisted insists declared declares announced announces acknowledged
    acknowledges admitted admits claimed confirmed confirms denied recalled recalls conceded concedes
    cautioned cautions predicted predicts suggested suggests urged urges vowed vows promised pledged
    complained complains described describes called calls testified tweeted posted commented observed
    responded remarked estimated concluded agreed boasted joked shouted whispered emphasized emphasised
    stressed stresses maintained maintains countered counters"""
).split()
_PARTICIPLE_CUES = frozenset(
    """saying adding noting explaining warning arguing calling telling describing insisting writing asking""".split()
)
_CUE_WORDS = frozenset(_CUE_VERBS) | _PARTICIPLE_CUES

_PRONOUNS = frozenset({"he", "she"})
_DETERMINERS = frozenset(
    """a an the one two three four five some several many another this that these those its his her their
    our other both each""".split()
)
_ADVERBS = frozenset(
    """also further later then again once previously recently repeatedly separately earlier finally simply
    had has have was is has once told""".split()
)
_NP_STOP = frozenset(
    """who which that whose in on during after before when while as because with from to last this issued
    released published and but adding saying noting told said says""".split()
)
_CLAUSE_WORDS = frozenset(
    """that and but when while as because after before if so where whether although though since until once
    who which with by what""".split()
)
# Words that open an appositive: "Carrow, who works ...," / "Biden, alongside the Iraqi leader," / "Kiptoo, 26,".
_APPOSITIVE_OPENERS = frozenset(
    """who whose which a an the alongside along flanked speaking standing himself herself""".split()
)
_SENTENCE_OPENERS = frozenset(("""but and so yet meanwhile also still however then in""").split())
_NAME_PARTICLES = frozenset(("""al el bin ben ibn abu de da di du van von der den la le dos del""").split())

_TITLE_WORDS = frozenset(
    """president vice prime minister foreign defense defence secretary sen senator rep representative gov
    governor gen general lt col colonel maj major capt captain sgt sergeant adm admiral cmdr commander
    dr prof professor mr mrs ms miss mayor chancellor ambassador spokesman spokeswoman spokesperson
    chief deputy press interior health state attorney judge justice king queen prince princess pope
    sheikh imam rev reverend father sister lord lady sir dame speaker leader chairman chairwoman chair
    director executive officer head commissioner superintendent inspector detective sheriff police coach
    premier envoy special senior former acting interim lieutenant first congressman congresswoman
    councilman councilwoman councillor mp secretary-general assistant national security adviser advisor
    homeland treasury finance economy education energy trade environment agriculture transport labor
    labour culture army navy air force marine coast guard emergency fire public works opposition party
    committee high sophomore freshman junior principal teacher student dean nurse doctor trooper pastor
    rabbi bishop cardinal archbishop biologist scientist researcher analyst economist engineer manager
    founder""".split()
)
_DEMONYMS = frozenset(
    """iraqi iranian american u.s. us british french german russian chinese ukrainian israeli palestinian
    syrian turkish kurdish afghan pakistani indian japanese korean saudi egyptian european canadian
    mexican brazilian nigerian kenyan african australian spanish italian polish dutch swiss swedish
    norwegian greek lebanese jordanian yemeni qatari emirati libyan sudanese ethiopian somali venezuelan
    colombian argentine chilean peruvian cuban filipino indonesian vietnamese thai malaysian bangladeshi
    irish scottish welsh portuguese belgian austrian hungarian czech romanian serbian croatian georgian
    armenian ghanaian senegalese congolese rwandan ugandan tanzanian moroccan algerian tunisian""".split()
)

# --- finding quotation marks ------------------------------------------------------------------------------

# Capitalized words that make a name an organization or a place, not a person.
_ORGANIZATION_WORDS = frozenset(
    """Institute Ministry Department Service Council Agency Party Office House Forces Force Group Nations
    Union University Foundation Bank Company Court Army Navy Committee Commission Center Centre
    Association News Post Times Press Reuters Corp Inc Administration Government Congress Senate
    Parliament Republic State States Kingdom Province Region Mission Fund Program Programme Organization
    Organisation Authority Police Guard Network Media Television Radio School Hospital Church
    Democracies Watch International Club League Street Square Airport Station Museum Society Federation
    Alliance Coalition Front Movement Board""".split()
)

# Capitalized at the start of a sentence, but never part of a name ("... Washington, D.C. He said ...").
_FUNCTION_WORDS = frozenset(
    """he she it they we i you his her their its our my this that these those there here the a an and but or so
    yet in on at for of to from by with as if when while after before since because although though however
    meanwhile then also still some many most several no not one""".split()
)
# Verbs that cannot stand inside a subject noun phrase ("what is sometimes called ...").
_AUXILIARIES = frozenset(
    "is are was were be been being has have had do does did will would can could may might must".split()
)
_NOT_PART_OF_NAME = _TITLE_WORDS | _DEMONYMS | {"u.s"}
_CLOSING_FOLLOWERS = _CUE_WORDS | _PRONOUNS
_INITIALISM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?\.?")  # U.S. a.m. J.
_MARK_CHARACTERS = re.compile("[\"“”‘’'«»]")
# Runs of capitalized words (with name particles: "Osama bin Laden", "Mustafa al-Kadhimi"); a cheap first pass,
# checked word by word afterwards.
_CAPITALIZED_RUN = re.compile(
    r"(?<![\w'’])(?:[A-ZÀ-ÖØ-Þ]|(?:al|el|bin|ben|ibn|abu)-)\S*"
    r"(?:\s+(?:(?:al|el|bin|ben|ibn|abu|de|da|di|du|van|von|der|den|la|le|dos|del)\s+)*"
    r"(?:[A-ZÀ-ÖØ-Þ]|(?:al|el|bin|ben|ibn|abu)-)\S*)*"
)
_NEXT_WORD = re.compile(r"\s*(\S+)")

_DOUBLE, _SINGLE = "double", "single"
_BEFORE_OPENER = set(" \t\n([{—–-/\"“‘'«")
_AFTER_CLOSER = set(" \t\n,.;:!?)]}—–-\"”’'»…")


def _mark(text: str, i: int, begin: int, end: int, in_single: bool) -> tuple[str, str] | None:
    """Classify the character at ``i``: ``("open"|"close", kind)`` or None for an apostrophe or plain text."""
    ch = text[i]
    prev = text[i - 1] if i > begin else " "
    nxt = text[i + 1] if i + 1 < end else " "
    if ch == "“":
        return ("open", _DOUBLE)
    if ch == "”":
        return ("close", _DOUBLE)
    if ch == "«":
        return ("open", _DOUBLE)
    if ch == "»":
        return ("close", _DOUBLE)
    if ch == '"':
        opener = prev in _BEFORE_OPENER and not nxt.isspace()
        closer = not prev.isspace() and nxt in _AFTER_CLOSER
        if opener and not closer:
            return ("open", _DOUBLE)
        if closer and not opener:
            return ("close", _DOUBLE)
        return ("toggle", _DOUBLE)
    if ch in "‘'’":
        if prev.isalnum() and nxt.isalnum():
            return None  # don't, Iraq's, O'Brien
        if ch != "’" and prev in _BEFORE_OPENER and (nxt.isalpha() or nxt in '"“'):
            return ("open", _SINGLE)
        if ch == "‘":
            return ("open", _SINGLE)
        if in_single and (
            _plausible_single_close(text, i, end)
            or not any(_plausible_single_close(text, j, end) for j in range(i + 1, end) if text[j] in "’'")
        ):
            return ("close", _SINGLE)
    return None


def _plausible_single_close(text: str, i: int, end: int) -> bool:
    """Tell a closing single quote from the apostrophe of a plural possessive ("the troops' mission")."""
    prev = text[i - 1] if i > 0 else " "
    if prev in ".,!?;:…—–-":
        return True
    after = text[i + 1 : min(end, i + 40)]
    if not after or after[0] in ',.;:!?)]}"”—–-»…':
        return True
    word = re.match(r"\s+([\w'’]+)", after)
    return bool(word) and (word.group(1)[0].isupper() or word.group(1).lower() in _CLOSING_FOLLOWERS)


def _primary_kind(text: str) -> str:
    """Double marks, unless the article's first opening mark is a single one (British house style)."""
    for match in re.finditer(r"[\"“‘'«]", text):
        i = match.start()
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if prev in _BEFORE_OPENER and nxt.isalpha():
            return _SINGLE if match.group() in "‘'" else _DOUBLE
    return _DOUBLE


def _raw_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int, int, bool]]:
    """Find top-level quotations: ``(para_id, start, end, continues_previous)`` with start/end inside marks."""
    primary = _primary_kind(text)
    found: list[tuple[int, int, int, bool]] = []
    pending = False  # the previous paragraph ended inside a quotation
    for para_id, (begin, end) in enumerate(paragraphs):
        stack: list[str] = []
        opened_at = -1
        continues = False
        for found_mark in _MARK_CHARACTERS.finditer(text, begin, end):
            i = found_mark.start()
            mark = _mark(text, i, begin, end, _SINGLE in stack)
            if mark is None:
                continue
            action, kind = mark
            if action == "toggle":
                action = "close" if kind in stack else "open"
            if action == "open":
                if not stack and kind != primary:
                    continue  # a stray single mark outside any quotation (scare quotes in another style)
                if not stack:
                    opened_at = i
                    continues = pending and not text[begin:i].strip()
                stack.append(kind)
            elif kind in stack:
                while stack and stack.pop() != kind:
                    pass
                if not stack:
                    found.append((para_id, opened_at + 1, i, continues))
        pending = bool(stack)
        if stack:
            found.append((para_id, opened_at + 1, end, continues))
    return [(p, *_trim(text, s, e), c) for p, s, e, c in found if _trim(text, s, e)[1] > _trim(text, s, e)[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] == ",":
        end -= 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- reading attributions ---------------------------------------------------------------------------------

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
    return bool(_INITIALISM.fullmatch(word)) or bare in {
        "dr", "mr", "mrs", "ms", "sen", "rep", "gen", "gov", "lt", "col", "sgt", "capt", "maj", "adm", "prof",
        "st", "jr", "sr", "rev", "cmdr", "pres", "supt",
    } or (len(bare) == 1 and bare.isupper())  # fmt: skip


def _ends_phrase(word: str) -> bool:
    stripped = word.rstrip("\"“”‘’'»)")
    if stripped.endswith((",", ";", ":", "!", "?", "…")):
        return True
    return stripped.endswith(".") and not _is_abbreviation(stripped.strip("\"“‘'«("))


def _cue_at(words: list[str], i: int) -> str | None:
    """The reporting cue starting at ``words[i]`` ("said", "according to"), or None."""
    word = words[i].strip(_EDGE_PUNCT).rstrip(".")
    if word.lower() == "according" and i + 1 < len(words) and words[i + 1].strip(_EDGE_PUNCT) == "to":
        return "according to"
    if word == "called" and i + 1 < len(words) and words[i + 1].strip(_EDGE_PUNCT) in ("it", "them", "this"):
        return f"called {words[i + 1].strip(_EDGE_PUNCT)}"
    return word if word in _CUE_WORDS else None


def _noun_phrase_after(words: list[str]) -> str | None:
    """Read a speaker's noun phrase forward: "a United Nations report issued Friday" -> "a United Nations report"."""
    phrase: list[str] = []
    for word in words[:10]:
        core = _core(word)
        if not core or (phrase and core.lower() in _NP_STOP) or any(ch in word for ch in '"“”'):
            break
        phrase.append(core)
        if _ends_phrase(word):
            break
    return " ".join(phrase) or None


def _noun_phrase_before(text: str) -> str | None:
    """Read the subject right before a cue: "..., Biden, alongside the Iraqi leader," -> "Biden"."""
    text = re.sub(r"\s*\([^()]*\)", "", text).rstrip()  # "Misaki Tanaka (田中美咲), who ..."
    words = text.split()
    while (words and words[-1].lower().strip(",") in _ADVERBS) or (words and re.fullmatch(r"[a-z]+ly", words[-1])):
        words.pop()
    text = " ".join(words)
    if text.endswith(","):  # an appositive between the subject and its verb
        segments = text[:-1].split(",")
        opener = next(
            (i for i in range(1, len(segments)) if _opens_appositive(segments[i])),
            len(segments) - 1,
        )
        head, appositive = ",".join(segments[:opener]), ",".join(segments[opener:])
        head_words = re.split(r"[,;:()—–\"“”]", head)[-1].split()
        # "Its lead author, Dr Fiona Kerr of the University of Reading, said": the appositive names the speaker.
        named = _leading_name(appositive)
        if head_words and head_words[0].lower() in _DETERMINERS and named:
            return named
        if head:
            text = head
    chunk = re.split(r"[,;:()—–\"“”]|\s-\s", text)[-1].split()
    for index in range(len(chunk) - 1, -1, -1):
        if chunk[index].lower() in _CLAUSE_WORDS:
            chunk = chunk[index + 1 :]
            break
    while chunk and chunk[0].lower() in _SENTENCE_OPENERS:
        chunk = chunk[1:]
    if not chunk or len(chunk) > 9:
        return " ".join(chunk[-3:]) if chunk and _capitalized(chunk[-1]) else None
    if any(w.lower() in _AUXILIARIES for w in chunk):
        return None
    last = _core(chunk[-1]).lower()
    if last in _DETERMINERS or last in _CLAUSE_WORDS or last in {"it", "to", "of", "is", "was", "not"}:
        return None
    return " ".join(_core(w) for w in chunk)


def _opens_appositive(segment: str) -> bool:
    words = segment.split()
    return bool(words) and (words[0].lower() in _APPOSITIVE_OPENERS or words[0].isdigit())


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

    ``had_title`` is True when a role ("Defense Secretary", "Dr.") stood before the name: a sign of a person.
    """
    words = phrase.split()
    run: list[str] = []
    for word in reversed(words):
        if _capitalized(word) or (run and word.lower() in _NAME_PARTICLES):
            run.insert(0, word)
        else:
            break
    while run and run[0].lower() in _NAME_PARTICLES:
        run.pop(0)
    if not run:
        return None
    # "Board President Linda Okoro": the name is what follows the last role word.
    last_role = max((i for i, w in enumerate(run[:-1]) if w.lower().rstrip(".") in _TITLE_WORDS), default=-1)
    name = _strip_titles(run[last_role + 1 :])
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


class _Names:
    """The people an article names: full names, where each is mentioned, and surnames to resolve."""

    def __init__(self) -> None:
        self.full: list[str] = []
        self.surnames: set[str] = set()
        self.possible_surnames: set[str] = set()
        self.possible: list[str] = []  # capitalized runs that may be names ("Kenya's Daniel Kiptoo won")
        self.mentions: list[tuple[int, str]] = []  # (position, full name), sorted later

    def add(self, name: str, position: int) -> None:
        name = self.canonical(name)
        if len(name.split()) >= 2 and name not in self.full:
            self.full.append(name)
            self.surnames.add(name.split()[-1])
        self.mentions.append((position, name))

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

    def person_before(self, position: int) -> str | None:
        candidates = [name for pos, name in self.mentions if pos < position]
        return self.canonical(candidates[-1]) if candidates else None


def _collect_names(text: str, paragraphs: list[tuple[int, int]], quoted: list[tuple[int, int]]) -> _Names:
    """Find people named outside quotations: titled names, named subjects of reporting verbs, appositives.

    ``paragraphs`` should leave out headlines: Title Case makes every word look like a name.
    """
    names = _Names()
    starts = [s for s, _ in quoted]

    def inside_quote(pos: int) -> bool:
        index = bisect.bisect_right(starts, pos) - 1
        return index >= 0 and quoted[index][0] <= pos < quoted[index][1]

    for begin, end in paragraphs:
        for match in _CAPITALIZED_RUN.finditer(text, begin, end):
            word = match.group()
            if " " not in word and "\n" not in word:  # a lone capitalized word matters only as a known surname
                core = _name_core(word)
                if (core in names.surnames or core in names.possible_surnames) and not inside_quote(match.start()):
                    names.add(core, match.start())
                continue
            run: list[tuple[int, str]] = []
            for word_match in _WORD.finditer(text, match.start(), match.end()):
                pos, word = word_match.start(), word_match.group()
                if inside_quote(pos) or not (_capitalized(word) or (run and word.lower() in _NAME_PARTICLES)):
                    if run:
                        _consider_run(names, run, word)
                        run = []
                    continue
                run.append((pos, word))
                if _ends_phrase(word) or word.endswith(("'s", "’s")):
                    following = _NEXT_WORD.match(text, word_match.end(), end)
                    _consider_run(names, run, following.group(1) if following else "")
                    run = []
            if run:
                following = _NEXT_WORD.match(text, match.end(), end)
                _consider_run(names, run, following.group(1) if following else "")
    names.mentions.sort()
    return names


def _consider_run(names: _Names, run: list[tuple[int, str]], next_word: str) -> None:
    """Keep a capitalized run as a person when a title, a reporting verb or an appositive says it is one."""
    if len(run) == 1:  # most runs: "Iraq", "The", "Biden" - only a known surname matters (and is cheap)
        core = _name_core(run[0][1])
        if core in names.surnames or core in names.possible_surnames:
            names.add(core, run[0][0])
            return
        if core.lower().rstrip(".") not in _TITLE_WORDS:
            return
    phrase = " ".join(_name_core(w) for _, w in run)
    found = _name_in(phrase)
    if not found:
        return
    name, had_title = found
    words = name.split()
    if any(_core(w) in _ORGANIZATION_WORDS for w in words):
        return
    followed_by_cue = next_word.strip(_EDGE_PUNCT).rstrip(".") in _CUE_WORDS
    appositive = run[-1][1].endswith(",") and next_word.lower() in {"a", "an", "the", "who"}
    if (had_title and words) or (len(words) >= 2 and (followed_by_cue or appositive)):
        names.add(name, run[0][0])
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


def _speaker_from_phrase(phrase: str | None, names: _Names, position: int) -> str | None:
    """Turn the words of an attribution into a speaker: a person's full name, a pronoun resolved, or the phrase."""
    if not phrase:
        return None
    words = phrase.split()
    first, last = words[0].lower(), words[-1].lower()
    if len(words) == 1 and last in _PRONOUNS:
        return names.person_before(position)
    if len(words) == 1 and last in {"they", "we", "i", "it", "you"}:
        return None
    if first in _DETERMINERS:
        return phrase
    found = _name_in(phrase)
    if found and found[0]:
        return names.canonical(found[0])
    return phrase


@dataclass
class _Attribution:
    speaker: str | None
    cue: str | None
    how: str


def _attribute_after(after: str, names: _Names, position: int) -> _Attribution | None:
    """``"...," Defense Secretary Lloyd Austin told ...`` and ``"...," said Amina Bello``."""
    words = _WORD.findall(after.lstrip(" ,;:—–-"))
    if not words:
        return None
    cue = _cue_at(words, 0)
    if cue:  # inverted: said Amina Bello / according to a U.N. report
        skip = len(cue.split())
        phrase = _noun_phrase_after(words[skip:])
        speaker = _speaker_from_phrase(phrase, names, position)
        return _Attribution(speaker, cue, "after quote") if speaker else None
    for index in range(1, min(len(words), 26)):
        cue = _cue_at(words, index)
        if cue and cue not in _PARTICIPLE_CUES:
            subject = words[:index]
            while subject and subject[-1].lower().strip(",") in _ADVERBS:
                subject.pop()
            comma = next((k for k, w in enumerate(subject) if w.endswith(",")), None)
            if comma is not None:
                if not subject[-1].endswith(","):
                    return None  # "Smith, the minister said" is not an appositive pattern we trust
                subject = subject[: comma + 1]
            if not subject or len(subject) > 9 or any(_ends_phrase(w) for w in subject[:-1]):
                return None
            speaker = _speaker_from_phrase(" ".join(_core(w) for w in subject), names, position)
            return _Attribution(speaker, cue, "after quote") if speaker else None
        if _ends_phrase(words[index]) and not words[index].endswith(","):
            return None
    return None


def _attribute_before(before: str, names: _Names, position: int) -> _Attribution | None:
    """``Austin replied: "..."``, ``Biden ... said the new role will be "..."`` and ``according to X, "..."``."""
    matches = list(_WORD.finditer(before))
    words = [m.group() for m in matches]
    for index in range(len(words) - 1, -1, -1):
        cue = _cue_at(words, index)
        if not cue:
            continue
        if cue == "according to":
            phrase = _noun_phrase_after(words[index + 2 :])
            speaker = _speaker_from_phrase(phrase, names, position)
            if speaker:
                return _Attribution(speaker, cue, "before quote")
            continue
        if cue in _PARTICIPLE_CUES:
            continue  # "..., saying it ..." takes its subject from the main clause further left
        phrase = _noun_phrase_before(before[: matches[index].start()])
        speaker = _speaker_from_phrase(phrase, names, position)
        if speaker:
            return _Attribution(speaker, cue, "before quote")
    if before.rstrip().endswith(":"):
        # A colon hands the floor to the sentence's subject: the name the sentence opens with.
        named = _leading_name(before.strip().rstrip(":"))
        if named:
            return _Attribution(names.canonical(named), None, "before quote")
    return None


def find_quotes(
    text: str,
    paragraphs: list[tuple[int, int]],
    sentences: list[tuple[int, int]],
    *,
    headlines: frozenset[int] = frozenset(),
) -> list[QuoteSpan]:
    """Find the quotations in an article and attribute each to a speaker.

    Parameters
    ----------
    text
        The article's cleaned text.
    paragraphs, sentences
        ``(start, end)`` offsets of the article's paragraphs and sentences, in order.

    >>> text = '"We are ready," said Gen. Amina Bello. "Are you?" she asked.'
    >>> [(text[q.start : q.end], q.speaker, q.cue) for q in find_quotes(text, [(0, 60)], [(0, 38), (39, 60)])]
    [('We are ready', 'Amina Bello', 'said'), ('Are you?', 'Amina Bello', 'asked')]
    """
    raw = _raw_quotes(text, paragraphs)
    # Offsets of the whole quotation, marks included, so attribution text never reads inside a quotation.
    spans = [(_outer(text, s, e, paragraphs[p])) for p, s, e, _ in raw]
    prose = [p for index, p in enumerate(paragraphs) if index not in headlines]
    names = _collect_names(text, prose, spans)
    sentence_starts = [s for s, _ in sentences]

    def sentence_of(pos: int) -> tuple[int, int]:
        index = max(0, bisect.bisect_right(sentence_starts, pos) - 1)
        return sentences[index]

    found: list[_Attribution | None] = []
    for index, ((para_id, start, _end, _), (outer_start, outer_end)) in enumerate(zip(raw, spans, strict=True)):
        _, sentence_end = sentence_of(max(outer_end - 1, outer_start))
        next_quote = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        after = text[outer_end : min(sentence_end, next_quote, paragraphs[para_id][1])]
        sentence_start, _ = sentence_of(outer_start)
        previous_quote = spans[index - 1][1] if index else 0
        before = text[max(sentence_start, previous_quote, paragraphs[para_id][0]) : outer_start]
        found.append(_attribute_after(after, names, start) or _attribute_before(before, names, start))

    quotes: list[QuoteSpan] = []
    part_of: list[int | None] = []
    for index, (para_id, start, end, continues) in enumerate(raw):
        previous = index - 1 if continues and index else None
        part_of.append(previous)
        attribution = found[index]
        if attribution is None and index:
            same_sentence = sentence_of(spans[index][0]) == sentence_of(spans[index - 1][0])
            opens_paragraph = not text[paragraphs[para_id][0] : spans[index][0]].strip()
            prior = quotes[index - 1]
            same_paragraph = raw[index - 1][0] == para_id
            previous_paragraph = raw[index - 1][0] == para_id - 1 and opens_paragraph
            if prior.speaker and (same_paragraph or previous_paragraph or continues):
                how = "same sentence" if same_sentence else "previous quote"
                attribution = _Attribution(prior.speaker, None, how)
        quotes.append(
            QuoteSpan(
                para_id,
                start,
                end,
                attribution.speaker if attribution else None,
                attribution.cue if attribution else None,
                attribution.how if attribution else None,
                previous,
            )
        )
    return _share_speakers_across_parts(quotes)


def _outer(text: str, start: int, end: int, paragraph: tuple[int, int]) -> tuple[int, int]:
    """Widen a quotation's span to take in its marks (and a comma before the closing mark)."""
    begin, stop = paragraph
    while start > begin and text[start - 1] in "\"“‘'« ":
        start -= 1
        if text[start] != " ":
            break
    while end < stop and text[end] in ",\"”’'» ":
        end += 1
        if text[end - 1] not in ", ":
            break
    return start, end


def _share_speakers_across_parts(quotes: list[QuoteSpan]) -> list[QuoteSpan]:
    """A quotation that runs over several paragraphs has one speaker, named in whichever part names it."""
    result = list(quotes)
    for index in range(len(result) - 1, -1, -1):
        part = result[index]
        if part.continues is not None and part.speaker and not result[part.continues].speaker:
            earlier = result[part.continues]
            result[part.continues] = QuoteSpan(
                earlier.para_id,
                earlier.start,
                earlier.end,
                part.speaker,
                None,
                "same quote",
                earlier.continues,
            )
    for index, part in enumerate(result):
        if part.continues is not None and not part.speaker and result[part.continues].speaker:
            result[index] = QuoteSpan(
                part.para_id,
                part.start,
                part.end,
                result[part.continues].speaker,
                None,
                "same quote",
                part.continues,
            )
    return result
