"""Write the sample class: 24 made-up students' submissions on the bundled VOA article, plus files with problems.

The students are invented. Each one tags the article through a real annotation store (``annotkit.open_store``)
and hands in with ``store.export_submission``, exactly as a student in the course does. What they tag is drawn
from the answer key with the mistakes real classes make, more or fewer of them by student (6 strong, 12 average,
6 struggling):

- missed actor mentions, most often pronouns ("he", "we") and described actors ("the Iraqi leader"), and the
  photo captions and the contributors' line at the end;
- boundaries: a title left out ("Lloyd Austin" for "Defense Secretary Lloyd Austin"), a word too many
  ("U.S. forces in Iraq"), a whole sentence tagged as one claim;
- wrong types: an official as a government body and back, a militia as a state's force, the UN report as media;
- wrong speakers: reported speech credited to the journalist, the journalist's words credited to the person
  they are about ("Biden declined to say ..." credited to Biden);
- other stances and frames, mostly on the perspectives the key marks as debatable (Austin, Taleblu, Iran ...);
- a few tags the key does not have (places such as "Syria", "the Iranian narrative", a question tagged as a claim).

Besides the 24 good submissions (one student, Jamal, handed in twice: the earlier file is kept for the record),
``problems/`` holds two files a teacher will meet sooner or later: one edited by hand after it was exported (its
checksum fails, so ``read_submissions`` refuses it) and one handed in for another article (the practice text of
notebook 00).

Everything is decided by fixed random seeds, and the ids and times that a real export takes from the clock are
replaced by fixed ones (then the file is sealed again with its checksum), so running the script again writes
the same bytes. To regenerate, from the repository's top folder::

    .venv/bin/python data/sample_class/make_sample_class.py

It uses only the standard library, annotkit and pandas.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import annotkit
from annotkit.records import JOURNALIST
from annotkit.submissions import seal

HERE = Path(__file__).resolve().parent
SEED = "annotkit-sample-class-2025"
CLASS_DAY = datetime(2025, 11, 18, 9, 0, tzinfo=UTC)

# name, skill: a deliberate mix, not in alphabetical blocks
# Skills are spread so that no group of names (by language or region of origin) clusters at either end.
STUDENTS = [
    ("Aisha", "strong"),
    ("Ben", "struggling"),
    ("Carmen", "strong"),
    ("Dmitri", "struggling"),
    ("Emeka", "average"),
    ("Fatima", "average"),
    ("Gustavo", "average"),
    ("Hana", "struggling"),
    ("Ingrid", "struggling"),
    ("Jamal", "strong"),
    ("Kenji", "strong"),
    ("Leila", "average"),
    ("Mateo", "average"),
    ("Nadia", "average"),
    ("Oluwaseun", "strong"),
    ("Priya", "average"),
    ("Quinn", "struggling"),
    ("Rosa", "average"),
    ("Sione", "average"),
    ("Tomás", "average"),
    ("Uma", "struggling"),
    ("Viktor", "average"),
    ("Wei", "strong"),
    ("Yasmin", "average"),
]
# The two students whose files end up in problems/.
EDITED_BY_HAND = ("Zoe", "average")
WRONG_ARTICLE = "Lukas"
# Jamal exports once after tagging actors only, then again when he has finished.
HANDED_IN_TWICE = "Jamal"

SKILLS = {
    # chance of finding an actor mention, by the kind of mention
    "strong": {
        "named": 0.98, "described": 0.9, "anonymous": 0.9, "pronoun": 0.65,
        "claim": 0.92, "background": 0.75,  # claims by others / the journalist's own statements
        "boundary": 0.06, "wrong_type": 0.04, "unlinked": 0.0, "speaker": 0.06,
        "perspective": 0.95, "stance_slip": 0.04, "other_reading": 0.3, "frame_slip": 0.1,
        "extras": (0, 1), "rationale": 0.7,
    },
    "average": {
        "named": 0.93, "described": 0.72, "anonymous": 0.7, "pronoun": 0.3,
        "claim": 0.75, "background": 0.45,
        "boundary": 0.14, "wrong_type": 0.1, "unlinked": 0.1, "speaker": 0.22,
        "perspective": 0.8, "stance_slip": 0.14, "other_reading": 0.45, "frame_slip": 0.25,
        "extras": (1, 2), "rationale": 0.4,
    },
    "struggling": {
        "named": 0.82, "described": 0.45, "anonymous": 0.45, "pronoun": 0.08,
        "claim": 0.5, "background": 0.25,
        "boundary": 0.25, "wrong_type": 0.2, "unlinked": 0.35, "speaker": 0.4,
        "perspective": 0.6, "stance_slip": 0.3, "other_reading": 0.55, "frame_slip": 0.4,
        "extras": (2, 4), "rationale": 0.15,
    },
}  # fmt: skip

PRONOUNS = {"he", "she", "it", "its", "we", "our", "i", "they", "their", "them"}

# Boundary mistakes students make on actor mentions: a title left out, a determiner dropped, a word too many.
ACTOR_BOUNDARIES = {
    "President Joe Biden": ["Joe Biden"],
    "Iraqi Prime Minister Mustafa al-Kadhimi": ["Mustafa al-Kadhimi", "Prime Minister Mustafa al-Kadhimi"],
    "White House press secretary Jen Psaki": ["Jen Psaki", "press secretary Jen Psaki"],
    "Defense Secretary Lloyd Austin": ["Lloyd Austin"],
    "Iraqi Foreign Minister Fuad Hussein": ["Fuad Hussein", "Foreign Minister Fuad Hussein"],
    "a senior U.S. official": ["senior U.S. official"],
    "the Iraqi leader": ["Iraqi leader"],
    "the Iraqi prime minister": ["Iraqi prime minister"],
    "tens of thousands of foreign fighters": ["foreign fighters"],
    "a United Nations report": ["United Nations", "a United Nations report issued Friday"],
    "a pro-Iranian militia commander": ["militia commander"],
    "Iran-linked political factions": ["political factions"],
    "U.S. forces": ["U.S. forces in Iraq"],
    "American troops": ["American troops in Iraq"],
    "U.S. troops": ["U.S. troops in Iraq"],
    "Iraqi government forces": ["government forces"],
    "Behnam Ben Taleblu": ["Ben Taleblu"],
    "the Biden administration": ["Biden administration"],
    "VOA's Kurdish Service": ["Kurdish Service"],
    "the American Enterprise Institute": ["American Enterprise Institute"],
    "Foundation for Defense of Democracies": ["the Washington-based Foundation for Defense of Democracies"],
    "the two countries": ["two countries"],
}

# Wrong actor types: the usual confusions, the scheme's near-misses first.
TYPE_MISTAKES = {
    "official": ["government_body"],
    "government_body": ["official", "other"],
    "military_or_security": ["armed_non_state_group", "government_body"],
    "armed_non_state_group": ["military_or_security"],
    "international_organization": ["media"],
    "expert_or_think_tank": ["media", "other"],
    "media": ["other", "government_body"],
    "public_or_civil_society": ["armed_non_state_group", "unsure"],
    "unsure": ["other"],
}
TYPE_MISTAKES_BY_WORDS = {
    "officials": "government_body",
    "a senior U.S. official": "government_body",
    "Iraqi leaders": "government_body",
    "the Biden administration": "official",
    "coalition forces": "international_organization",
    "the two countries": "other",
    "Iran-linked militias": "military_or_security",
    "Iran-linked political factions": "armed_non_state_group",
    "a United Nations report": "media",
}

# Tags the key does not have: places, an idea, an attack.
EXTRA_ACTORS = [
    ("Syria", 1, "government_body", "Syria"),
    ("Mosul", 1, "other", "Mosul"),
    ("the Iranian narrative", 1, "government_body", "Iran"),
    ("White House", 1, "government_body", "the White House"),
    ("White House", 4, "government_body", "the White House"),
    ("A drone attack", 1, "armed_non_state_group", "drone attack"),
    ("Iraqi Kurdistan", 1, "government_body", "Iraqi Kurdistan"),
]
EXTRA_CLAIMS = [
    # a question asserts nothing (the scheme's near-miss), and the contributors' line is not a claim either
    "Asked by VOA whether he would classify the American troops currently in Iraq as combat forces or primarily "
    "devoted to training, advising and assisting",
    "Carla Babb in Singapore and Jeff Seldin contributed to this report.",
]

# The journalist's words credited to the person they are about, and other speakers students pick by mistake.
WRONG_SPEAKERS = {
    "Biden declined to say how many": "Joe Biden",
    "On July 24, a pro-Iranian militia commander": "a pro-Iranian militia commander",
    "The United States and Iraq agreed in April": "the United States and Iraq",
    "The security relationship will fully": "Joe Biden",
    "there will be no U.S. forces with a combat role": "Joe Biden",
    "The emphasis, officials say": "a senior U.S. official",
}

# Other fair readings of the debatable perspectives (from the key's notes), and the usual slips on the others.
# The central question: "Should U.S. troops stay in Iraq?"
OTHER_STANCES = {
    "the United States and Iraq": ["unclear"],
    "Iraq": ["unclear", "unclear", "unsure"],
    "Mustafa al-Kadhimi": ["support", "unsure"],
    "Lloyd Austin": ["support", "support", "unsure"],
    "unnamed officials": ["unclear"],
    "Fuad Hussein": ["support", "support", "mixed"],
    "Katherine Zimmerman": ["mixed", "support"],
    "Iran": ["oppose", "oppose", "unsure"],
    "Iran-linked militias": ["oppose", "oppose"],
    "Iran-linked political factions": ["unclear"],
    "others in Iraq": ["unclear"],
    "some in Iraq": ["unclear", "mixed"],
    "the Biden administration": ["unclear"],
}
# The usual slips on the firm ones: the old question's habits ("end combat" read as "leave"), and doubts.
STANCE_SLIPS = {
    "Joe Biden": ["oppose", "mixed"],
    "a senior U.S. official": ["mixed"],
    "Behnam Ben Taleblu": ["oppose", "oppose", "mixed"],
    "Jen Psaki": ["mixed"],
    "the United Nations": ["support", "oppose"],
    "a pro-Iranian militia commander": ["mixed"],
    "U.S. forces": ["support"],
    "ISIS": ["oppose"],
    "VOA": ["support", "mixed"],
}
OTHER_FRAMES = {
    "the United States and Iraq": ["political", "legal"],
    "the United States": ["security"],
    "Iraq": ["sovereignty", "political"],
    "Jen Psaki": ["security"],
    "Fuad Hussein": ["political", "sovereignty"],
    "Behnam Ben Taleblu": ["political"],
    "Iran-linked militias": ["security"],
    "a pro-Iranian militia commander": ["sovereignty"],
    "the Biden administration": ["security"],
    "Mustafa al-Kadhimi": ["political", "sovereignty"],
    "Iran": ["political", "security"],
    "Iran-linked political factions": ["sovereignty", "political"],
    "others in Iraq": ["sovereignty"],
}
FRAMES = ["security", "political", "public_opinion", "reputation", "sovereignty", "legal", "humanitarian", "moral"]

# What students write when they explain a stance (only for some actors: most students leave it empty).
RATIONALES = {
    (
        "Joe Biden",
        "support",
    ): "The troops stay to 'train, to assist, to help and to deal with ISIS', just not in combat.",
    ("Joe Biden", "oppose"): "He announces the end of the combat mission, so he wants them out.",
    ("Lloyd Austin", "unclear"): "He says the difference between combat and training is hard to see. No side.",
    ("Lloyd Austin", "support"): "He talks about what the troops 'are capable of doing', so he expects them to stay.",
    ("Lloyd Austin", "unsure"): "Is 'very difficult' a doubt or just an answer to VOA's question? Not sure.",
    ("Behnam Ben Taleblu", "support"): "He warns the threats 'will not end with a unilateral withdrawal': stay.",
    ("Behnam Ben Taleblu", "oppose"): "He criticises the Biden plan.",
    ("Katherine Zimmerman", "unclear"): "She explains how the approach works instead of saying yes or no.",
    ("Katherine Zimmerman", "mixed"): "She explains the plan, then says 'however': it only works with good partners.",
    ("Mustafa al-Kadhimi", "unclear"): "He is at the meeting but the article never quotes him.",
    ("Mustafa al-Kadhimi", "support"): "He came to the White House, and Iraq issued the joint statement.",
    ("Iran", "oppose"): "Iran wants the Americans out of the region.",
    ("Iran", "unclear"): "Only Taleblu talks about Iran. Iran itself does not say anything.",
    ("a senior U.S. official", "support"): "'The goal is the enduring defeat of ISIS', and the troops stay for it.",
    ("a senior U.S. official", "mixed"): "'Nobody is going to declare mission accomplished' sounds like a doubt.",
    ("Iran-linked militias", "oppose"): "They attack U.S. bases and want the troops gone.",
    ("Iran-linked militias", "unclear"): "The attacks are what the U.S. blames on them; they never speak here.",
    ("a pro-Iranian militia commander", "oppose"): "He says attacks go on until all U.S. troops leave.",
    ("Jen Psaki", "support"): "'not a removal of our ... presence' means the troops stay.",
}

# Reflections, as students write them (the question ids are the lessons' own). A few are empty: not everyone
# answers every question. Strong students answer more often and more specifically.
REFLECTIONS = {
    "02-anonymous-source": (
        "The longest quotation in the story comes from an anonymous official. Why might an official want to stay "
        "anonymous? What does the reader lose when they do?",
        {
            "strong": [
                "Officials on a briefing call can explain the plan without it becoming an official statement. The "
                "reader loses the chance to check who said it and what they know; we have to trust VOA.",
                "He may not be allowed to speak on the record. We lose accountability: nobody can be asked later "
                "why 'nobody is going to declare mission accomplished'.",
            ],
            "average": [
                "Maybe they are not allowed to talk to journalists. We don't know if they really know.",
                "To not get in trouble. The reader loses who it is.",
            ],
            "struggling": ["Because it is secret.", "I don't know, maybe they are shy.", ""],
        },
    ),
    "03-factcheck-plan": (
        "Pick two claims and plan how you would check them: why check it first, where would you look, what would "
        "prove it wrong?",
        {
            "strong": [
                "1. 'the current level of approximately 2,500' troops: a number with no source. Check Pentagon "
                "statements from July 2021; a clearly different official number would prove it wrong. "
                "2. The joint statement's 'no U.S. forces with a combat role' by December 31: read the statement "
                "itself, then news from January 2022.",
                "The UN report 'issued Friday' about foreign fighters: find the report on the UN website and check "
                "the figure. And the drone attack on Saturday: do other outlets report the same attack?",
            ],
            "average": [
                "I would check the 2,500 troops on Google and the date of the April agreement.",
                "Check if Biden really said it, watch the video of the meeting.",
            ],
            "struggling": ["I would search online.", "Ask my teacher.", ""],
        },
    ),
    "04-missing-voice": (
        "The article quotes Americans for more than four in five of its quoted words. Name one voice you would add, "
        "and one question you would ask them.",
        {
            "strong": [
                "Mustafa al-Kadhimi: he was in the room. I would ask whether Iraq asked for the troops to stay.",
                "An Iraqi soldier trained by U.S. forces: does the training help, and what changes after December?",
            ],
            "average": ["Someone from Iraq, to ask what they think.", "An Iraqi politician."],
            "struggling": ["More people.", "", "The soldiers."],
        },
    ),
}
#: How often a student answers a reflection, by skill.
ANSWERS = {"strong": 0.95, "average": 0.75, "struggling": 0.5}

OTHER_ARTICLE_TEXT = """Town Votes to Keep Its Library

The council voted 5-2 on Tuesday to keep the library open. "This building belongs to everyone," said Mayor Ana Ruiz.

Critics called the plan "a luxury we cannot afford."
"""


class _Student:
    """One made-up student tagging the article in their own store."""

    def __init__(self, name: str, skill: str, article: annotkit.Article, key, store) -> None:
        self.name = name
        self.skill = skill
        self.profile = SKILLS[skill]
        self.rng = random.Random(f"{SEED}-{name}")
        self.article = article
        self.key = key
        self.store = store
        self.text = article.text
        words = article.tokens[article.tokens["is_word"]]
        self.word_starts = words["start"].tolist()
        self.word_ends = words["end"].tolist()
        self.paragraph_kind = dict(zip(article.paragraphs["para_id"], article.paragraphs["kind"], strict=True))
        self.paragraph_starts = article.paragraphs["start"].tolist()
        self.entity_for: dict[str, str] = {}  # key entity -> the name this student uses for it
        self.taken: set[tuple[int, int]] = set()

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def kind_of_paragraph(self, start: int) -> str:
        para = max(i for i, s in enumerate(self.paragraph_starts) if s <= start)
        return self.paragraph_kind[para]

    def _find_in_place(self, variant: str, start: int, end: int) -> tuple[int, int] | None:
        """The variant's offsets, if it sits inside the key's span or around it at this very place."""
        original = self.text[start:end]
        if variant in original:
            at = start + original.index(variant)
            return at, at + len(variant)
        if original in variant:
            at = start - variant.index(original)
            if at >= 0 and self.text[at : at + len(variant)] == variant:
                return at, at + len(variant)
        return None

    # --- actors ---------------------------------------------------------------------------------------------

    def tag_actors(self) -> None:
        actors = self.key[self.key["layer"] == "actor"].to_dict("records")
        for row in actors:
            start, end, words = int(row["start"]), int(row["end"]), str(row["text"])
            kind = "pronoun" if words.lower() in PRONOUNS else str(row["identification"])
            kind = "described" if kind not in self.profile else kind
            p = self.profile[kind]
            where = self.kind_of_paragraph(start)
            p *= {"caption": 0.6, "credit": 0.3, "headline": 0.8}.get(where, 1.0)
            if not self.chance(p):
                continue
            label = str(row["label"])
            if self.chance(self.profile["wrong_type"]):
                label = TYPE_MISTAKES_BY_WORDS.get(words) or self.rng.choice(TYPE_MISTAKES[label])
            if words in ACTOR_BOUNDARIES and self.chance(self.profile["boundary"] * 2):
                found = self._find_in_place(self.rng.choice(ACTOR_BOUNDARIES[words]), start, end)
                if found:
                    start, end = found
            entity = str(row["entity"])
            linked = entity
            named_in_words = entity.split()[-1].lower() in words.lower()
            if not named_in_words and self.chance(self.profile["unlinked"]):
                linked = " ".join(self.text[start:end].split())  # the tagger's guess, left as it was
            self.entity_for.setdefault(entity, linked)
            if linked == entity:
                self.entity_for[entity] = entity
            attributes = {"entity": linked}
            for name in ("affiliation", "identification"):
                if isinstance(row.get(name), str):
                    attributes[name] = row[name]
            if self.chance(0.08):
                attributes.pop("affiliation", None)  # left empty
            self._add("actor", label, start, end, attributes)
        low, high = self.profile["extras"]
        for words, occurrence, label, entity in self.rng.sample(EXTRA_ACTORS, self.rng.randint(low, high)):
            start = self._occurrence(words, occurrence)
            self._add("actor", label, start, start + len(words), {"entity": entity, "identification": "named"})

    def _occurrence(self, words: str, occurrence: int) -> int:
        at = -1
        for _ in range(occurrence):
            at = self.text.index(words, at + 1)
        return at

    def _add(self, layer: str, label: str, start: int, end: int, attributes: dict) -> None:
        if (start, end) in self.taken:
            return
        self.taken.add((start, end))
        self.store.add(self.article, layer=layer, label=label, start=start, end=end, alignment="expand", **attributes)

    # --- claims ---------------------------------------------------------------------------------------------

    def tag_claims(self) -> None:
        tagged = set(self.store.entities(self.article))
        claims = self.key[self.key["layer"] == "claim"].to_dict("records")
        for row in claims:
            start, end = int(row["start"]), int(row["end"])
            speaker = str(row["said_by"])
            p = self.profile["claim"] if speaker != JOURNALIST else self.profile["background"]
            if row["debatable"]:
                p *= 0.7
            if not self.chance(p):
                continue
            if self.chance(self.profile["boundary"]):
                start, end = self._claim_boundary(start, end)
            said_by = self._speaker(row, tagged)
            attributes = {"said_by": said_by}
            for name in ("form", "claim_type", "checkable"):
                if isinstance(row.get(name), str):
                    attributes[name] = row[name]
            if attributes.get("form") == "mixed" and self.chance(0.4):
                attributes["form"] = "direct_quote"
            if said_by == JOURNALIST and speaker != JOURNALIST:
                attributes["form"] = "reporter_voice"  # someone's claim taken for the reporter's own
            elif attributes.get("form") == "reporter_voice" and self.chance(self.profile["speaker"]):
                attributes["form"] = "indirect"  # the old habit: the reporter's own words read as reported
            self._add("claim", "claim", start, end, attributes)
        for words in EXTRA_CLAIMS:
            if self.chance(0.12 * self.profile["extras"][1]):
                start = self.text.index(words)
                self._add(
                    "claim", "claim", start, start + len(words), {"said_by": JOURNALIST, "form": "reporter_voice"}
                )

    def _claim_boundary(self, start: int, end: int) -> tuple[int, int]:
        """The whole sentence instead of the claim, or the claim without its first words."""
        sentences = self.article.sentences
        sentence = sentences[(sentences["start"] <= start) & (sentences["end"] > start)].iloc[0]
        if (int(sentence["start"]), int(sentence["end"])) != (start, end) and self.chance(0.6):
            return int(sentence["start"]), int(sentence["end"])
        inside = [s for s in self.word_starts if start < s < end]
        if len(inside) > 5:
            return inside[1], end
        return start, end

    def _speaker(self, row: dict, tagged: set[str]) -> str:
        speaker = str(row["said_by"])
        if self.chance(self.profile["speaker"]):
            claim = str(row["text"])
            wrong = next((who for words, who in WRONG_SPEAKERS.items() if claim.startswith(words)), None)
            if wrong is not None:
                speaker = wrong
            elif speaker != JOURNALIST and row["form"] != "direct_quote":
                speaker = JOURNALIST  # reported speech, credited to the reporter
        if speaker == JOURNALIST:
            return JOURNALIST
        name = self.entity_for.get(speaker)
        return name if name in tagged else JOURNALIST  # the tagger only offers actors tagged

    # --- perspectives ---------------------------------------------------------------------------------------

    def give_perspectives(self) -> None:
        tagged = set(self.store.entities(self.article))
        rows = self.key[self.key["layer"] == "perspective"].to_dict("records")
        for row in rows:
            entity = str(row["entity"])
            mine = self.entity_for.get(entity)
            if mine not in tagged or not self.chance(self.profile["perspective"]):
                continue
            stance, frame = str(row["stance"]), str(row["frame"])
            if row["debatable"] and entity in OTHER_STANCES and self.chance(self.profile["other_reading"]):
                stance = self.rng.choice(OTHER_STANCES[entity])
            elif not row["debatable"] and entity in STANCE_SLIPS and self.chance(self.profile["stance_slip"] * 2):
                stance = self.rng.choice(STANCE_SLIPS[entity])
            if entity in OTHER_FRAMES and self.chance(self.profile["other_reading"]):
                frame = self.rng.choice(OTHER_FRAMES[entity])
            elif self.chance(self.profile["frame_slip"] / 2):
                frame = self.rng.choice([f for f in FRAMES if f != frame])
            values = {"stance": stance, "frame": frame}
            rationale = RATIONALES.get((entity, stance))
            if rationale and self.chance(self.profile["rationale"]):
                values["rationale"] = rationale
            self.store.add(self.article, layer="perspective", label="perspective", entity=mine, **values)

    # --- reflections --------------------------------------------------------------------------------------

    def reflect(self) -> None:
        for question_id, (question, answers) in REFLECTIONS.items():
            if self.chance(ANSWERS[self.skill]):
                answer = self.rng.choice(answers[self.skill])
                self.store.reflect(self.article, question_id, answer, question=question)


def _normalise(path: Path, annotator: str, exported: datetime, started: datetime) -> None:
    """Replace the clock's times and the random ids with fixed ones, and seal the file again."""
    data = path.read_bytes()
    payload = json.loads(data)
    payload.pop("checksum")
    slug = re.sub(r"[^a-z0-9]+", "", annotator.lower().replace("á", "a"))
    for article in payload["articles"]:
        for i, row in enumerate(article["annotations"]):
            moment = _timestamp(started + timedelta(seconds=20 * i))
            row.update(annotation_id=f"{slug}-{i + 1:03d}", created=moment, modified=moment)
        for i, reflection in enumerate(article.get("reflections", [])):
            reflection["modified"] = _timestamp(exported - timedelta(minutes=10 - i))
    payload["exported"] = _timestamp(exported)
    # Marked as made up: read_submissions leaves the sample class out when real hand-ins sit beside it.
    payload.update(student_name=annotator, annotkit_version="sample", sample=True)
    path.write_bytes(seal(payload))


def _timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _write_student(
    name: str, skill: str, path: Path, index: int, article: annotkit.Article, key, *, first_try: Path | None = None
) -> Path:
    started = CLASS_DAY + timedelta(minutes=5 + index)
    exported = CLASS_DAY + timedelta(hours=1, minutes=10 + index * 2)
    store = annotkit.open_store(":memory:", annotator=name)
    try:
        student = _Student(name, skill, article, key, store)
        student.tag_actors()
        if first_try is not None:
            store.export_submission(first_try)
            _normalise(first_try, name, exported - timedelta(minutes=40), started)
        student.tag_claims()
        student.give_perspectives()
        student.reflect()
        store.export_submission(path)
    finally:
        store.close()
    _normalise(path, name, exported, started)
    return path


def _write_other_article(path: Path) -> Path:
    """Lukas handed in the practice text of notebook 00 instead of the VOA article."""
    article = annotkit.Article.from_text(OTHER_ARTICLE_TEXT)
    store = annotkit.open_store(":memory:", annotator=WRONG_ARTICLE)
    try:
        for words, label, entity in (
            ("The council", "government_body", "the council"),
            ("Mayor Ana Ruiz", "official", "Ana Ruiz"),
            ("Critics", "public_or_civil_society", "Critics"),
        ):
            start = article.text.index(words)
            store.add(article, layer="actor", label=label, start=start, end=start + len(words), entity=entity)
        quotes = (("This building belongs to everyone", "Ana Ruiz"), ("a luxury we cannot afford", "Critics"))
        for words, said_by in quotes:
            start = article.text.index(words)
            store.add(
                article, layer="claim", label="claim", start=start, end=start + len(words), said_by=said_by,
                form="direct_quote",
            )  # fmt: skip
        store.export_submission(path)
    finally:
        store.close()
    _normalise(path, WRONG_ARTICLE, CLASS_DAY + timedelta(hours=1, minutes=3), CLASS_DAY + timedelta(minutes=12))
    return path


def _edit_by_hand(path: Path) -> None:
    """What a student does in a text editor: change an answer after exporting. The checksum no longer matches."""
    text = path.read_text(encoding="utf-8")
    edited = text.replace('"stance": "oppose"', '"stance": "support"', 1)
    if edited == text:
        edited = text.replace('"label": "official"', '"label": "government_body"', 1)
    path.write_text(edited, encoding="utf-8")


def make_sample_class(folder: Path = HERE) -> list[Path]:
    """Write the sample class into ``folder``; return the files written."""
    article = annotkit.load_bundled_article()
    key = annotkit.answer_key(article)
    problems = folder / "problems"
    for old in [*folder.glob("*.json"), *problems.glob("*.json")]:
        old.unlink()  # this script's own output: a regeneration starts clean
    written = []
    for index, (name, skill) in enumerate(STUDENTS):
        stem = re.sub(r"[^a-z0-9]+", "", name.lower().replace("á", "a"))
        first_try = folder / f"{stem}_first_try.json" if name == HANDED_IN_TWICE else None
        written.append(_write_student(name, skill, folder / f"{stem}.json", index, article, key, first_try=first_try))
        if first_try is not None:
            written.append(first_try)
    name, skill = EDITED_BY_HAND
    edited = _write_student(name, skill, problems / "zoe_edited_by_hand.json", len(STUDENTS), article, key)
    _edit_by_hand(edited)
    written.append(edited)
    written.append(_write_other_article(problems / "lukas_wrong_article.json"))
    return sorted(written)


def main() -> None:
    """Write the sample class (by default beside this script) and say what was written."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=HERE, help="where to write (default: beside me)")
    args = parser.parse_args()
    files = make_sample_class(args.folder)  # the students' stores live in memory: only the files are written
    total = sum(f.stat().st_size for f in files)
    print(f"Wrote {len(files)} files ({total / 1000:.0f} KB) to {args.folder}")


if __name__ == "__main__":
    main()
