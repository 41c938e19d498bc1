"""How often the actor guess is the answer key's actor: `python benchmarks/guesses.py [-v]`.

Each actor mention of the bundled key, in text order, is guessed from the key's earlier mentions (what a student
who tagged them would have), and compared with the key's entity: exactly, and ignoring case and a leading "the".
The guess of annotkit 0.1 (ActorTagger's: an actor already tagged with the same last name, the name without its
role, else the words) is measured beside it for comparison. `-v` lists the mentions guessed wrong.
"""

from __future__ import annotations

import sys

import annotkit
from annotkit.guess import guess_entity
from annotkit.quotes import name_without_titles


def guess_of_0_1(words: str, known: list[str]) -> str:
    """ActorTagger's guess in annotkit 0.1, for comparison."""
    name = name_without_titles(words) or words
    if name in known:
        return name
    last = name.split()[-1].lower()
    same = [e for e in known if e.split()[-1].lower() == last and len(name.split()) < len(e.split())]
    return same[0] if len(same) == 1 and name[:1].isupper() else name


def lenient(name: str) -> str:
    name = name.casefold().strip()
    return name.removeprefix("the ")


def main(verbose: bool) -> None:
    article = annotkit.load_bundled_article()
    key = annotkit.load_key(article)
    mentions = key[key.layer == "actor"].sort_values("start").to_dict("records")
    figures = {"0.1": [0, 0, 0], "now": [0, 0, 0]}  # exact, lenient, firm (lenient)
    for i, row in enumerate(mentions):
        earlier = mentions[:i]
        known = list(dict.fromkeys(r["entity"] for r in earlier))
        words = " ".join(article.text[row["start"] : row["end"]].split())
        guesses = {
            "0.1": guess_of_0_1(words, known),
            "now": guess_entity(article, row["start"], row["end"], tagged=earlier),
        }
        for version, guess in guesses.items():
            figures[version][0] += guess == row["entity"]
            figures[version][1] += lenient(guess) == lenient(row["entity"])
            figures[version][2] += lenient(guess) == lenient(row["entity"]) and not row["debatable"]
        if verbose and lenient(guesses["now"]) != lenient(row["entity"]):
            flag = " (debatable)" if row["debatable"] else ""
            print(f"  {row['annotation_id']}: {words!r} -> {guesses['now']!r}, key {row['entity']!r}{flag}")
    n, firm = len(mentions), sum(not r["debatable"] for r in mentions)
    for version, (exact, loose, firm_ok) in figures.items():
        print(
            f"guess {version:>3}: {exact}/{n} exact ({exact / n:.0%}), {loose}/{n} ignoring case and 'the' "
            f"({loose / n:.0%}); firm mentions {firm_ok}/{firm}"
        )


if __name__ == "__main__":
    main("-v" in sys.argv[1:])
