"""A thread snippet's text and its reply lines (storage/threads.py): composed, read back,
and a person's lines taken out."""

from __future__ import annotations

from storage.threads import REMOVED, Reply, compose_thread, removed, root_of, tail

BOB = Reply("1.2", "UBOB", "Bob Builder", "in the vault")
AL = Reply("1.3", "UAL", "Bo & <Co>", "A &amp; B")


def test_threads_are_composed_root_first_one_line_per_reply() -> None:
    assert compose_thread(" Q? ", [BOB, Reply("1.4", "UX", "X", " ")]) == (
        "Q?\n\n— Bob Builder: in the vault"
    )
    # a replier's name is raw; the thread is markup
    assert compose_thread("Q?", [AL]).endswith("— Bo &amp; &lt;Co&gt;: A &amp; B")
    assert compose_thread("Q?", []) == "Q?"


def test_a_removed_reply_keeps_its_place_and_its_ts_but_not_its_words() -> None:
    gone = removed(BOB)
    assert (gone.ts, gone.user_id, gone.name, gone.text, gone.removed) == ("1.2", "", "", "", True)
    assert (
        compose_thread("Q?", [gone, AL]) == f"Q?\n\n— {REMOVED}\n— Bo &amp; &lt;Co&gt;: A &amp; B"
    )


def test_the_root_is_what_precedes_the_lines_kept_with_it() -> None:
    # a root that itself holds a line like a reply's is told apart by the rows
    root = "Options:\n\n— one: a"
    text = compose_thread(root, [BOB])
    assert root_of(text, [BOB]) == root
    assert tail([BOB]) == "\n\n— Bob Builder: in the vault"
    # without rows, the first reply-like line is where the root ends
    assert root_of(text, []) == "Options:"
    assert root_of("Just a message", []) == "Just a message"
