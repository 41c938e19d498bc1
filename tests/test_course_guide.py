"""The teacher's guide states the answer key's figures; these tests recompute them, so the two cannot drift apart."""

from pathlib import Path

import pytest

import annotkit

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "notebooks" / "teacher" / "README.md").read_text(encoding="utf-8")
ARTICLE = annotkit.load_bundled_article()
KEY = annotkit.answer_key(ARTICLE)
ACTORS, CLAIMS, PERSPECTIVES = (KEY[KEY.layer == layer] for layer in ("actor", "claim", "perspective"))


def n(table, **where):
    for column, value in where.items():
        table = table[table[column] == value]
    return len(table)


def figures():
    firm_actors = int((~ACTORS.debatable).sum())
    journalist = n(CLAIMS, said_by="the journalist")
    stances = PERSPECTIVES.stance.value_counts()
    return [
        f"{len(ACTORS)} actor mentions, {len(CLAIMS)} claims\nand {len(PERSPECTIVES)} perspectives",
        f"{int(KEY.debatable.sum())} of the {len(KEY)} are marked **debatable**",
        f"{len(ACTORS)} mentions of {ACTORS.entity.nunique()} actors, {firm_actors} of them firm and "
        f"{len(ACTORS) - firm_actors} debatable",
        f"{n(ACTORS, identification='named')} of the {len(ACTORS)} mentions give a name",
        f"{len(CLAIMS)} claims, {int((~CLAIMS.debatable).sum())} firm: {journalist} "
        f"({journalist / len(CLAIMS):.0%}) in the reporter's own voice",
        f"{n(CLAIMS, form='direct_quote')} direct quotes, {n(CLAIMS, form='reporter_voice')} in the reporter's own "
        f"voice, {n(CLAIMS, form='indirect')} indirect",
        f"{len(PERSPECTIVES)} perspectives on *Should U.S. troops stay in Iraq?*: {stances['support']} support, "
        f"{stances['unclear']} unclear, {stances['oppose']} oppose",
        f"{n(PERSPECTIVES, frame='unsure')} actors get no frame",
    ]


@pytest.mark.parametrize("figure", figures())
def test_the_guide_states_the_keys_figures(figure):
    assert " ".join(figure.split()) in " ".join(GUIDE.split()), figure


def test_the_guide_names_every_firm_stance_with_its_value():
    firm = PERSPECTIVES[~PERSPECTIVES.debatable]
    section = GUIDE[GUIDE.index("**Firm stances") : GUIDE.index("**The most debatable stances")]
    for row in firm.itertuples():
        short = row.entity.removeprefix("a ").removeprefix("the ")
        assert short.split()[-1] in section, row.entity
