"""Versions of an article's text in a store, and moving tags from one version onto another, rule by rule."""

import pytest

import annotkit
from annotkit import versions
from annotkit.store import open_store
from annotkit.versions import SAME_ARTICLE, StoredText, anchored, newest, remember, same_article, sync

TITLE = "Storm Hits Coast"


def storm(body, **extra):
    return annotkit.Article.from_text(f"{TITLE}\n\n{body}", source="storm.txt", **extra)


OLD = storm("Mayor Ana Ruiz said teh city would rebuild its harbour. Ruiz left. Critics were unconvinced.")
NEW = storm("On Monday, Mayor Ana Ruiz said the city would rebuild its harbour. Critics were unconvinced.")


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "work.sqlite", annotator="ana") as opened:
        yield opened


def tag(store, article, words, occurrence=1, **attributes):
    start = -1
    for _ in range(occurrence):
        start = article.text.index(words, start + 1)
    attributes.setdefault("entity", "Ana Ruiz")
    return store.add(article, layer="actor", label="official", start=start, end=start + len(words), **attributes)


def versions_table(store):
    return store._db.execute(
        "SELECT article_id, text_sha256, title, text IS NOT NULL FROM article_versions ORDER BY used"
    ).fetchall()


# --- remembering versions -------------------------------------------------------------------------------------------


def test_each_version_of_an_article_is_remembered_once(store):
    tag(store, OLD, "Mayor Ana Ruiz")
    tag(store, OLD, "Ruiz", occurrence=2)
    tag(store, NEW, "Mayor Ana Ruiz")
    assert versions_table(store) == [
        ("storm", OLD.text_sha256, TITLE, 1),
        ("storm", NEW.text_sha256, TITLE, 1),
    ]


def test_a_version_first_known_without_its_text_gets_it_when_seen(store):
    bare = StoredText("storm", OLD.text_sha256, None, None, None)  # as from an annotkit 0.1 hand-in
    store._db.execute(
        "INSERT INTO article_versions VALUES (?, ?, NULL, NULL, NULL, '2020-01-01T00:00:00.000Z')",
        (bare.article_id, bare.text_sha256),
    )
    assert newest(store._db, "storm") is None  # a version without a text is no place to move tags to
    remember(store._db, OLD)
    assert versions_table(store) == [("storm", OLD.text_sha256, TITLE, 1)]
    assert newest(store._db, "storm").text == OLD.text


def test_a_remembered_text_is_never_replaced_and_a_title_is_never_lost(store):
    remember(store._db, OLD)
    remember(store._db, StoredText("storm", OLD.text_sha256, "another text", None, None))
    assert newest(store._db, "storm").text == OLD.text
    assert newest(store._db, "storm").title == TITLE  # a version without a title keeps the one it had
    remember(store._db, StoredText("storm", OLD.text_sha256, OLD.text, "Storm Hits the Coast", None))
    assert newest(store._db, "storm").title == "Storm Hits the Coast"  # a newer title wins


def test_the_newest_version_is_the_one_used_last(store, monkeypatch):
    stamps = iter(["2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z"])
    monkeypatch.setattr(versions, "now", lambda: next(stamps))
    remember(store._db, OLD)
    remember(store._db, NEW)
    assert newest(store._db, "storm").text_sha256 == NEW.text_sha256
    remember(store._db, OLD)  # opened again
    newer = newest(store._db, "storm")
    assert (newer.article_id, newer.text_sha256, newer.text, newer.title) == ("storm", OLD.text_sha256, OLD.text, TITLE)
    assert newest(store._db, "another") is None


def test_anchored_gives_the_words_and_their_context():
    start = OLD.text.index("Ana Ruiz")
    assert anchored(OLD, start, start + 8) == ("Ana Ruiz", f"{TITLE}\n\nMayor ", " said teh city would rebuild its")
    assert anchored(OLD, None, None) == (None, None, None)
    assert anchored(OLD, 3, None) == (None, None, None)
    assert anchored(OLD, None, 3) == (None, None, None)


# --- the same article, or another with the same name ------------------------------------------------------------


def test_a_corrected_text_is_the_same_article(store):
    remember(store._db, OLD)
    assert same_article(store._db, NEW, OLD.text_sha256)


def test_a_text_sharing_only_the_name_is_another_article(store):
    remember(store._db, OLD)
    other = storm("The council met on Tuesday and put the vote off until spring, once more.")
    assert not same_article(store._db, other, OLD.text_sha256)


def test_an_unknown_old_text_is_trusted_by_its_name(store):
    assert same_article(store._db, NEW, "0" * 64)
    store._db.execute(
        "INSERT INTO article_versions VALUES ('storm', ?, NULL, NULL, NULL, '2020-01-01T00:00:00.000Z')", ("1" * 64,)
    )
    assert same_article(store._db, NEW, "1" * 64)


def test_the_same_article_shares_at_least_six_words_in_ten(store):
    assert SAME_ARTICLE == 0.6
    words = [f"w{n}" for n in range(12)]
    base = storm(" ".join(words))  # with the title's 3 words, 15
    remember(store._db, base)
    # 9 of 15 words in common: exactly 0.6, the same article; 8 of 15 (0.53) is another one.
    nine = storm(" ".join(words[:6] + [f"x{n}" for n in range(6)]))
    eight = storm(" ".join(words[:5] + [f"x{n}" for n in range(7)]))
    assert same_article(store._db, nine, base.text_sha256)
    assert not same_article(store._db, eight, base.text_sha256)
    # Words, not their order: the same words shuffled are the same article.
    assert same_article(store._db, storm(" ".join(reversed(words))), base.text_sha256)


# --- moving tags ------------------------------------------------------------------------------------------------


def test_sync_moves_what_it_finds_and_orphans_what_it_cannot(store):
    first = tag(store, OLD, "Mayor Ana Ruiz")
    second = tag(store, OLD, "teh city would rebuild its harbour")
    lost = tag(store, OLD, "Ruiz", occurrence=2)
    results = sync(store._db, NEW)
    new_start = NEW.text.index("Mayor Ana Ruiz")
    assert results == [
        (first, "ok", OLD.text.index("Mayor Ana Ruiz"), new_start),
        (second, "ok", OLD.text.index("teh city"), NEW.text.index("the city")),
        (lost, "orphaned", OLD.text.index("Ruiz left"), None),
    ]
    rows = {r["annotation_id"]: r for r in store.rows(include_removed=True)}
    assert rows[first]["text"] == "Mayor Ana Ruiz"
    assert rows[first]["prefix"] == f"{TITLE}\n\nOn Monday, "  # the context of its new place
    assert rows[first]["suffix"] == NEW.text[new_start + 14 : new_start + 14 + 32]
    assert rows[second]["text"] == "the city would rebuild its harbour"  # the words as they are now
    stored = dict(store._db.execute("SELECT annotation_id, text_sha256 FROM annotations").fetchall())
    assert stored == {first: NEW.text_sha256, second: NEW.text_sha256, lost: OLD.text_sha256}
    # The orphan keeps its old place, words and version: found again when the old text comes back.
    assert rows[lost]["status"] == "orphaned"
    assert (rows[lost]["start"], rows[lost]["text"]) == (None, "Ruiz")
    assert sync(store._db, OLD)[-1] == (lost, "ok", OLD.text.index("Ruiz left"), OLD.text.index("Ruiz left"))


def test_sync_of_the_version_in_use_does_nothing(store):
    tag(store, OLD, "Mayor Ana Ruiz")
    assert sync(store._db, OLD) == []


def test_sync_remembers_the_new_version(store):
    tag(store, OLD, "Mayor Ana Ruiz")
    sync(store._db, NEW)
    assert newest(store._db, "storm").text_sha256 == NEW.text_sha256


def test_sync_moves_a_perspective_to_the_new_version_as_it_is(store):
    tag(store, OLD, "Mayor Ana Ruiz")
    perspective = store.add(OLD, layer="perspective", label="perspective", entity="Ana Ruiz", stance="support")
    results = sync(store._db, NEW)
    assert results[-1] == (perspective, "ok", None, None)
    row = store._db.execute(
        'SELECT start, "end", text, status, text_sha256 FROM annotations WHERE annotation_id = ?', (perspective,)
    ).fetchone()
    assert row == (None, None, None, "ok", NEW.text_sha256)


def test_sync_leaves_another_article_with_the_same_name_alone(store):
    tag(store, OLD, "Mayor Ana Ruiz")
    other = storm("The council met on Tuesday and put the vote off until spring, once more.")
    assert sync(store._db, other) == []
    assert store._db.execute("SELECT status, text_sha256 FROM annotations").fetchall() == [("ok", OLD.text_sha256)]


def test_sync_looks_again_at_orphans_on_the_version_in_use(store):
    """An orphan whose version is the one in use (restored that way from a hand-in) is looked for again."""
    tagged = tag(store, NEW, "Mayor Ana Ruiz")
    store._db.execute("UPDATE annotations SET status = 'orphaned' WHERE annotation_id = ?", (tagged,))
    start = NEW.text.index("Mayor Ana Ruiz")
    assert sync(store._db, NEW) == [(tagged, "ok", start, start)]


def test_sync_is_one_transaction(store, monkeypatch):
    tag(store, OLD, "Mayor Ana Ruiz")
    tag(store, OLD, "Ruiz", occurrence=2)
    calls = []

    def failing_anchor(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("stopped half way")
        return (0, 5)

    monkeypatch.setattr(versions, "anchor", failing_anchor)
    with pytest.raises(RuntimeError, match="half way"):
        sync(store._db, NEW)
    assert store._db.execute("SELECT DISTINCT text_sha256 FROM annotations").fetchall() == [(OLD.text_sha256,)]
    assert not store._db.in_transaction
