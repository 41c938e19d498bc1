"""Who said a quotation: reading the attribution around it the way news prose writes it.

The speaker after the quote (``"...," Defense Secretary Lloyd Austin told reporters``), before it (``Austin
replied: "..."``), inverted (``said Amina Bello``), by "according to", or by a pronoun that agrees in gender and
number with a person (or, for "it" and "they", a group) named earlier. The speaker is the grammatical subject
of the cue: party and state tags (``(D-Mo.)``, ``R-Texas``), ages and appositives are stepped over, and titles go
to the role, not the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import (
    _EDGE_PUNCT,
    _WORD,
    Names,
    _capitalized,
    _core,
    _ends_phrase,
    _leading_name,
    _name_in,
)
from .words import (
    CUE_VERBS,
    FUNCTION_WORDS,
    MONTHS,
    ORGANIZATION_WORDS,
    PARTICIPLE_CUES,
    PRONOUNS,
    TITLE_WORDS,
    WEEKDAYS,
)
from .words import (
    NAME_PARTICLES as _NAME_PARTICLES,
)

__all__ = [
    "Attribution",
    "Context",
    "attribute_after",
    "attribute_before",
    "attribute_to_subject",
    "speaker_from_phrase",
    "strip_tags",
]

_CUE_WORDS = CUE_VERBS | PARTICIPLE_CUES
_PARTICIPLE_CUES = PARTICIPLE_CUES
_TITLE_WORDS = TITLE_WORDS
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
    released published and but adding saying noting told said says according""".split()
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

_AUXILIARIES = frozenset(
    "is are was were be been being has have had do does did will would can could may might must".split()
)


def _cue_at(words: list[str], i: int) -> str | None:
    """The reporting cue starting at ``words[i]`` ("said", "according to"), or None."""
    word = words[i].strip(_EDGE_PUNCT).rstrip(".")
    if word[:1].isupper() and word.lower() in _CUE_WORDS and i == 0:
        word = word.lower()  # "Said Comey, ..." opens a sentence
    if word.lower() == "according" and i + 1 < len(words) and words[i + 1].strip(_EDGE_PUNCT) == "to":
        return "according to"
    if word.startswith("continue") and i + 1 < len(words) and words[i + 1] == "to":
        return None  # "his administration continues to carve out exceptions"
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


# "(D-Mo.)", ", R-Texas,", ", 45,": party and state tags and ages between a name and its verb.
_TAGS = re.compile(
    r"\s*\((?:[A-Z]|Dem|Rep|Ind)\s*[-–]\s*[A-Z][\w. ]*\)"
    r"|,\s*(?:[DRI]|Dem|Rep|Ind)[-–][A-Z][\w.]*(?:\s+[A-Z][\w.]*)?(?:,|(?=\s+\w))"
    r"|,\s*\d{1,3},"
)
_PREPOSITIONS = frozenset(
    """about above across against along among around behind below beneath beside between beyond during
    except inside into near off onto outside over past through throughout toward towards under upon within
    without""".split()
)
_NOT_SPEAKERS = frozenset("now then later also again too still already soon yet here there".split())
_DATE_WORDS = MONTHS | WEEKDAYS | {"today", "yesterday", "tonight", "tomorrow", "morning", "afternoon", "evening"}


def strip_tags(text: str) -> str:
    """Remove party and state tags and ages that stand between a name and its verb.

    >>> strip_tags("Sen. Claire McCaskill (D-Mo.) said"), strip_tags("Rep. Ana Ruiz, R-Texas, said")
    ('Sen. Claire McCaskill said', 'Rep. Ana Ruiz said')
    """
    return _TAGS.sub("", text)


@dataclass
class Context:
    """What attribution remembers while it reads an article in order: the last group that spoke ("it", "they")."""

    group: str | None = None
    group_at: int = -1


@dataclass
class Attribution:
    """A speaker found for a quotation: who, the cue, how it was found, and the role the article gives them."""

    speaker: str | None
    cue: str | None
    how: str
    role: str | None = None


def _group_before(names: Names, position: int, context: Context | None) -> str | None:
    """What "it" or "they" at ``position`` stands for: the group that last spoke, or the last organization named."""
    named = [(pos, name) for pos, name in names.organizations if pos < position and position - pos < 1500]
    spoke = (
        (context.group_at, context.group) if context and context.group and position - context.group_at < 3000 else None
    )
    candidates = [c for c in (named[-1] if named else None, spoke) if c]
    return max(candidates)[1] if candidates else None


def _clean_phrase(phrase: str) -> str | None:
    """Drop what cannot be part of a speaker: dates at the end, a dangling function word; None if nothing is left."""
    words = phrase.split()
    while words and (_core(words[-1]).lower() in _DATE_WORDS or _core(words[-1]).isdigit()):
        words.pop()
    while words and _core(words[-1]).lower() in ("on", "at", "in", "last", "this", "early", "late"):
        words.pop()
    if not words or len(words) > 9:
        return None
    first, last = _core(words[0]).lower(), _core(words[-1]).lower()
    if len(words) > 1 and first in ("that", "this", "these", "those") and words[1][:1].isupper():
        return None  # "that Sanders can catch Clinton": a clause, not a speaker
    if any(_core(w).lower() in _AUXILIARIES for w in words):
        return None
    if len(words) == 1 and first in _NOT_SPEAKERS:
        return None
    if last in FUNCTION_WORDS and not (len(words) == 1 and last in PRONOUNS):
        return None  # "the legal footing for a peace deal and"
    if (first in FUNCTION_WORDS or first in _PREPOSITIONS) and first not in _DETERMINERS and first not in PRONOUNS:
        return None  # "and", "but officials", "about the rapid spread of information"
    return " ".join(words)


def speaker_from_phrase(
    phrase: str | None, names: Names, position: int, context: Context | None = None
) -> tuple[str | None, str | None]:
    """Turn the words of an attribution into ``(speaker, role)``.

    The speaker is a person's fullest name, a pronoun resolved, or the phrase as written ("a senior U.S. official").
    """
    phrase = _clean_phrase(phrase) if phrase else None
    if not phrase:
        return None, None
    words = phrase.split()
    first = words[0].lower()
    if len(words) == 1 and first in PRONOUNS:
        gender, _number = PRONOUNS[first]
        if gender in ("m", "f"):
            return names.person_before(position, gender), None
        if first in ("it", "they"):
            return _group_before(names, position, context), None
        return None, None
    if first in _DETERMINERS:
        found = _name_in(phrase)
        # "the Clinton campaign", "a Trump spokesman": a described speaker, kept as written.
        if context is not None:
            context.group, context.group_at = phrase, position
        return phrase, None
    words = _before_place(words)
    found = _name_in(" ".join(words))
    if found and found[0]:
        name = names.canonical(found[0])
        role_words = words[: len(words) - len(found[0].split())]
        role = " ".join(role_words) if role_words else names.roles.get(name)
        if any(_core(w) in ORGANIZATION_WORDS for w in found[0].split()) and context is not None:
            context.group, context.group_at = name, position
        return name, role
    if context is not None:
        context.group, context.group_at = phrase, position
    return phrase, None


def _before_place(words: list[str]) -> list[str]:
    """The person named before a place or employer: "Omar Haddad of Springfield", "Jeffrey Lewis at the institute".

    "Secretary of State John Kerry" keeps its "of": a title stands before it.
    """
    for index in range(1, len(words) - 1):
        if words[index].lower() in ("of", "from", "at"):
            head = words[:index]
            last = _core(head[-1])
            found = _name_in(" ".join(head))
            if (
                _capitalized(head[-1])
                and last.lower().rstrip(".") not in TITLE_WORDS
                and found
                and found[0]
                and not any(_core(w) in ORGANIZATION_WORDS for w in found[0].split())
            ):
                return head
            break
    return words


# Words that carry a quoted sentence on past its closing mark ('"..." that Sanders can win, said Elmendorf').
_RUNS_ON = frozenset("that than but for about to and or in on as because if when while with from of at".split())


def _starts_speaker(word: str) -> bool:
    """Whether a speaker's noun phrase can start with ``word``: a capitalized word that is no date, or a determiner."""
    core = _core(word)
    return (core[:1].isupper() and core.lower() not in _DATE_WORDS) or core.lower() in _DETERMINERS


def attribute_after(after: str, names: Names, position: int, context: Context | None = None) -> Attribution | None:
    """``"...," Defense Secretary Lloyd Austin told ...`` and ``"...," said Amina Bello``."""
    words = _WORD.findall(strip_tags(after).lstrip(" ,;:—–-"))
    if not words:
        return None
    cue = _cue_at(words, 0)
    if cue:  # inverted: said Amina Bello / according to a U.N. report
        skip = len(cue.split())
        phrase = _noun_phrase_after(words[skip:])
        speaker, role = speaker_from_phrase(phrase, names, position, context)
        return Attribution(speaker, cue, "after quote", role) if speaker else None
    for index in range(1, min(len(words), 26)):
        cue = _cue_at(words, index)
        if cue and cue not in _PARTICIPLE_CUES:
            runs_on = words[0].lower() in _RUNS_ON and words[index - 1].endswith(",")
            if runs_on and cue != "according to" and index + 1 < len(words) and _starts_speaker(words[index + 1]):
                # '"..." that Sanders can catch Clinton, said Steve Elmendorf': the quoted sentence runs on past
                # the quotation, then names its speaker after the cue.
                rest = words[index + 1 :]
                phrase = _noun_phrase_after(rest)
                taken = len(phrase.split()) if phrase else 0
                # The speaker closes the clause: "said Zuckoff." but not "said the days when ...".
                if phrase and (taken == len(rest) or _ends_phrase(rest[taken - 1])):
                    speaker, role = speaker_from_phrase(phrase, names, position, context)
                    if speaker:
                        return Attribution(speaker, cue, "after quote", role)
            subject = words[:index]
            while subject and subject[-1].lower().strip(",") in _ADVERBS:
                subject.pop()
            comma = next((k for k, w in enumerate(subject) if w.endswith(",")), None)
            if comma is not None:
                if subject[-1].endswith(","):
                    subject = subject[: comma + 1]  # "Biden, alongside the Iraqi leader, said"
                else:
                    # '"..." than that of the CIA chief, Zuckoff said': the subject is what follows the last comma.
                    last = max(k for k, w in enumerate(subject) if w.endswith(","))
                    subject = subject[last + 1 :]
                    if len(subject) > 6 or any(w.lower() in _CLAUSE_WORDS for w in subject):
                        return None  # '"rigged," a charge that party leaders denied': no speaker there
            if not subject or len(subject) > 9 or any(_ends_phrase(w) for w in subject[:-1]):
                return None
            phrase = " ".join(_core(w) for w in subject)
            speaker, role = speaker_from_phrase(phrase, names, position, context)
            return Attribution(speaker, cue, "after quote", role) if speaker else None
        if _ends_phrase(words[index]) and not words[index].endswith(","):
            return None
    return None


def attribute_before(before: str, names: Names, position: int, context: Context | None = None) -> Attribution | None:
    """``Austin replied: "..."``, ``Biden ... said the new role will be "..."`` and ``according to X, "..."``."""
    before = strip_tags(before)
    matches = list(_WORD.finditer(before))
    words = [m.group() for m in matches]
    for index in range(len(words) - 1, -1, -1):
        cue = _cue_at(words, index)
        if not cue:
            continue
        if cue == "according to":
            phrase = _noun_phrase_after(words[index + 2 :])
            speaker, role = speaker_from_phrase(phrase, names, position, context)
            if speaker:
                return Attribution(speaker, cue, "before quote", role)
            continue
        if cue in _PARTICIPLE_CUES:
            continue  # "..., saying it ..." takes its subject from the main clause further left
        phrase = _noun_phrase_before(before[: matches[index].start()])
        speaker, role = speaker_from_phrase(phrase, names, position, context)
        if speaker:
            return Attribution(speaker, cue, "before quote", role)
    if before.rstrip().endswith(":"):
        # A colon hands the floor to the person named right before it ("... surprise pollster Daron Shaw:"),
        # else to the sentence's subject: the name the sentence opens with.
        found = _name_in(before.strip().rstrip(":"))
        if found and found[0] and (found[1] or len(found[0].split()) >= 2):
            name = names.canonical(found[0])
            if not any(_core(w) in ORGANIZATION_WORDS for w in name.split()):
                return Attribution(name, None, "before quote", names.roles.get(name))
        named = _leading_name(before.strip().rstrip(":"))
        if not named:
            first = _core(before.split()[0]) if before.split() else ""
            if first in names.surnames or first in names.possible_surnames:
                named = first  # "Trump gestured, then leaned in and boomed:"
        if named:
            name = names.canonical(named)
            return Attribution(name, None, "before quote", names.roles.get(name))
    return None


# "On Monday, ...", "In a statement, ...", "After the debate, ...": an opening phrase before the subject.
_OPENING_PHRASE = re.compile(
    r"^(?:(?:but|and|so|yet|still|then|meanwhile|also|later|earlier|instead|now)\b,?\s+)?"
    r"(?:(?:on|in|at|after|before|during|for|from|since|when|while|with|by|as|speaking|asked|last|earlier|like|unlike"
    r"|despite|in a|in an)\b[^,]{0,80},\s+)?",
    re.IGNORECASE,
)
_MORE_OPENING = re.compile(r"^(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?|on \w+|in \d{4}),\s+(?=\S)")
_ADVERBS_BEFORE_VERB = frozenset("then also later again still once quickly repeatedly often never recently".split())
_SUBJECT_PRONOUN = re.compile(r"^(he|she|they|it)\b", re.IGNORECASE)


def attribute_to_subject(
    before: str, names: Names, position: int, context: Context | None = None
) -> Attribution | None:
    """The subject of the sentence a partial quotation stands in: ``Merkel condemned "such a murderous attack"``.

    Only a person the article names (or a pronoun for one, or a titled description: "the Vermont senator")
    followed by a verb in lower case counts. The subject may follow opening phrases ("On Thursday, after the
    vote, Ortiz endorsed ..."), carry its role ("Democratic candidate Lena Ortiz is releasing ...") and an
    auxiliary ("has increasingly decried").
    """
    before = strip_tags(before.strip())
    found = _subject_after_opening(before, names, position, context)
    if found is not None:
        return found
    for start in _clause_starts(before):
        found = _subject_with_role(before[start:], names, position, context)
        if found is not None:
            return found
    return None


_AUXILIARY_VERBS = frozenset(
    "is are was were has have had will would did does do can could may might must should".split()
)
_OPENER_WORDS = frozenset(
    """on in at after before during for from since when while with by as speaking asked last earlier like unlike
    despite back following later ahead instead throughout within without amid among upon once until because
    although though if even separately meanwhile still yet however then now also indeed and but so""".split()
)
_LEADING_CONJUNCTIONS = frozenset("and but so yet still then meanwhile also now instead later indeed".split())


def _clause_starts(sentence: str) -> list[int]:
    """Where the main clause may start: the sentence's start, and after each opening phrase that ends with a comma.

    "And then Ortiz went on the attack" starts at "Ortiz"; "On Thursday, after the vote, Ortiz endorsed" at
    "Ortiz" too (both phrases open with a preposition).
    """
    starts = []
    position = 0
    for _ in range(4):
        while True:  # "And then", "But"
            word = re.match(r"(\w+),?\s+", sentence[position:])
            if not word or word.group(1).lower() not in _LEADING_CONJUNCTIONS:
                break
            position += word.end()
        starts.append(position)
        segment = re.match(r"([^,“”\"]{1,100}),\s+", sentence[position:])
        if not segment:
            break
        first = segment.group(1).split()[0].lower()
        if not (first in _OPENER_WORDS or first.endswith(("ing", "ly")) or segment.group(1)[:1].isdigit()):
            break
        position += segment.end()
    return starts


def _verb_follows(words: list[str]) -> bool:
    """Whether ``words`` open with a verb in lower case, perhaps after an auxiliary and "not" or an adverb."""
    index = 0
    if index < len(words) and _core(words[index]).lower() in _AUXILIARY_VERBS:
        index += 1
        while index < len(words) and (words[index] in ("not", "also", "been") or words[index].endswith("ly")):
            index += 1
    while index < len(words) and words[index].lower() in _ADVERBS_BEFORE_VERB:
        index += 1
    if index >= len(words):
        return False
    verb = words[index]
    return verb[:1].islower() and _core(verb).lower() not in FUNCTION_WORDS and verb.isalpha()


def _subject_with_role(clause: str, names: Names, position: int, context: Context | None) -> Attribution | None:
    """``Democratic candidate Lena Ortiz is releasing ...``, ``The Vermont senator emailed ...``, ``He went on ...``."""
    words = clause.split()[:14]
    words = words[: next((k for k, w in enumerate(words) if any(ch in w for ch in '“”"')), len(words))]
    if len(words) < 2:
        return None
    first = words[0].lower()
    if first in ("he", "she", "they", "it") and _verb_follows(words[1:]):
        speaker, role = speaker_from_phrase(first, names, position, context)
        return Attribution(speaker, None, "sentence subject", role) if speaker else None
    for end in range(1, min(len(words), 9)):
        subject, rest = words[:end], words[end:]
        if any(_core(w).lower() in _AUXILIARY_VERBS or _core(w).lower() in _CLAUSE_WORDS for w in subject):
            return None
        if any(_ends_phrase(w) for w in subject) or not _verb_follows(rest):
            continue
        last = _core(subject[-1])
        if last.endswith(("'s", "’s")):
            continue  # "Rubio's answer drew ...": a possessive is not the subject
        described = all(_capitalized(w) or _core(w).lower() in _TITLE_WORDS for w in subject[1:])
        if first in ("the", "a", "an") and described and last.lower() in _TITLE_WORDS and not last[:1].isupper():
            phrase = " ".join(_core(w) for w in subject)  # "The Vermont senator", "the justice"
            return Attribution(phrase, None, "sentence subject", None)
        if not _capitalized(subject[-1]):
            continue
        found = _name_in(" ".join(_core(w) for w in subject))
        if not found or not found[0]:
            continue
        name = names.canonical(found[0])
        known = name in names.full or name in names.possible or name.split()[-1] in names.surnames
        if not (known or (found[1] and first not in ("the", "a", "an"))):
            continue
        if any(_core(w) in ORGANIZATION_WORDS for w in name.split()):
            return None
        role_words = subject[: len(subject) - len(found[0].split())]
        role = " ".join(_core(w) for w in role_words if w.lower() not in ("the", "a", "an"))
        return Attribution(name, None, "sentence subject", role or names.roles.get(name))
    return None


def _subject_after_opening(before: str, names: Names, position: int, context: Context | None) -> Attribution | None:
    opening = _OPENING_PHRASE.match(before)  # it matches the empty string at least
    rest = before[opening.end() :] if opening else before
    # "At a campaign event in Ames, Iowa, on Sunday, Mrs. Clinton tried ...": more of the opening phrase.
    for _ in range(2):
        more = _MORE_OPENING.match(rest)
        if not more or not (opening and opening.group()):
            break
        rest = rest[more.end() :]
    pronoun = _SUBJECT_PRONOUN.match(rest)
    if pronoun:
        verb = rest[pronoun.end() :].split()
        if verb and verb[0][:1].islower():
            speaker, role = speaker_from_phrase(pronoun.group(1).lower(), names, position, context)
            return Attribution(speaker, None, "sentence subject", role) if speaker else None
        return None
    run: list[str] = []
    words = rest.split()
    for word in words:
        if not (_capitalized(word) or (run and word.lower() in _NAME_PARTICLES)):
            break
        run.append(word)
        if _ends_phrase(word):
            break
    if not run or len(run) >= len(words):
        return None
    if run[-1].endswith(","):
        # "Mark Jebens, a veteran of 22 years in the Marine Corps, found ...": step over the appositive.
        close = next((k for k in range(len(run), min(len(words) - 1, len(run) + 16)) if words[k].endswith(",")), None)
        if close is None or not words[close + 1][:1].islower() or words[len(run)].lower() not in _APPOSITIVE_OPENERS:
            return None
        run[-1] = run[-1].rstrip(",")
        words = run + words[close + 1 :]
    while len(words) > len(run) + 1 and words[len(run)].lower() in _ADVERBS_BEFORE_VERB:
        del words[len(run)]  # "Trump then appears ...", "Clinton also said ..."
    following = words[len(run)]
    rest_words = words[len(run) :]
    # "Chancellor Angela Merkel of Germany condemned ...": a place after the name is part of the subject.
    while len(rest_words) > 2 and rest_words[0] in ("of", "from") and rest_words[1][:1].isupper():
        rest_words = rest_words[2:]
        while len(rest_words) > 1 and rest_words[0][:1].isupper() and not run[-1].endswith(","):
            rest_words = rest_words[1:]
        following = rest_words[0]
    if (
        not following[:1].islower()
        or run[-1].endswith((",", ":", ";", "'s", "’s"))
        or following.lower() in FUNCTION_WORDS
    ):
        return None  # no verb follows, or "Haddad's answer drew ...": a possessive is not the subject
    found = _name_in(" ".join(_core(w) for w in run))
    if not found or not found[0]:
        return None
    name = names.canonical(found[0])
    known = name in names.full or name in names.possible or name.split()[-1] in names.surnames
    if not (known or found[1]) or any(_core(w) in ORGANIZATION_WORDS for w in name.split()):
        return None
    return Attribution(name, None, "sentence subject", names.roles.get(name))
