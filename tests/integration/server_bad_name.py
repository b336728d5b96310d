#!/usr/bin/env python3
"""Names breaking the rules (default-ignorable code points included)
get bad_name (each from its own socket, after the cookie round trip);
valid edge names (16 chars, 48 bytes, Chinese) are welcomed. A name that
looks like one online (the same confusable skeleton, Unicode TS #39) is
name_taken, at login and at rename, even from the same address; once
the original is gone the look-alike may log in."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


BAD = [
    ("empty", ""),
    ("17 characters", "a" * 17),
    ("17 Chinese characters", "中" * 17),
    ("16 characters but 49 bytes", "\U00020000" + "中" * 15),
    ("space", "al ice"),
    ("leading space", " alice"),
    ("tab", "al\tice"),
    ("newline", "al\nice"),
    ("NUL", "al\u0000ice"),
    ("C0 control", "al\x01ice"),
    ("escape", "\x1b[31mred"),
    ("DEL", "al\x7fice"),
    ("C1 control", "al\u0085ice"),
    ("C1 CSI", "al\u009bice"),
    ("bidi RLO", "al\u202eice"),
    ("bidi LRE", "\u202aalice"),
    ("bidi LRI", "al\u2066ice"),
    ("bidi PDI", "alice\u2069"),
    ("leading slash", "/me"),
    ("leading hash", "#chan"),
    ("leading at", "@bob"),
    ("ideographic space (Unicode white space)", "张\u3000伟"),
    ("BOM (default-ignorable)", "\ufeffalice"),
    ("zero width space", "ali\u200bce"),
    ("zero width joiner", "ali\u200dce"),
    ("soft hyphen", "ali\u00adce"),
    ("word joiner", "alice\u2060"),
    ("variation selector 16", "\u263a\ufe0f"),
    ("tag character", "alice\U000e0041"),
    ("bidi mark RLM", "alice\u200f"),
    ("Hangul filler", "\u3164"),
]

GOOD = [
    "a" * 16,
    "中" * 16,                        # 16 characters, 48 bytes
    "\U00020000" * 12,               # 12 characters, 48 bytes
    "张伟",
    "x/y#z@",                        # only a leading / # @ is refused
    "Alice",                         # names compare byte for byte, and
    "alice",                         # a capital A does not look like a
    "caf\u00e9",                      # precomposed e-acute
]

# (online, look-alike): Cyrillic a; Cyrillic a, i, c, e; rn and m; e and a
# combining accent against the precomposed e-acute; digit 1 and l.
LOOKALIKE = [
    ("alice", "\u0430lice"),
    ("alice", "\u0430l\u0456\u0441\u0435"),
    ("m", "rn"),
    ("rn", "m"),
    ("caf\u00e9", "cafe\u0301"),
    ("bob1", "bobl"),
]


def observed():
    """A server and an observer logged in to it."""
    srv = Server()
    obs = Client(srv.port)
    obs.login("observer")
    return srv, obs


def main():
    srv, obs = observed()
    for what, name in BAD:
        c = Client(srv.port)
        c.name = "login %r" % name
        e = c.login_error(name, "bad_name", timeout=3.0)
        log("refused %s: %r" % (what, e.get("text")))
        c.close()
    users = obs.who()
    check(users == ["observer"], "bad names created no session: %r" % users)
    obs.barrier()
    check(obs.received("join") == [], "no join for refused names: %r" %
          [public(m) for m in obs.received("join")])
    for name in GOOD:
        c = Client(srv.port)
        w = c.login(name)
        check(w.get("name") == name, "welcome for %r: %r" % (name, public(w)))
        obs.expect("join", name=name)
    users = obs.who()
    check(sorted(users) == sorted(GOOD + ["observer"]),
          "all good names are online: %r" % users)
    srv.stop()
    lookalikes()


def lookalikes():
    srv, obs = observed()
    for online, other in LOOKALIKE:
        a = Client(srv.port)
        a.login(online)
        obs.expect("join", name=online)
        c = Client(srv.port)
        e = c.login_error(other, "name_taken")
        log("%r while %r is online: %r" % (other, online, e.get("text")))
        # From the address of the original, too: not the same login.
        a.login_error(other, "name_taken")
        check(sorted(a.who()) == sorted([online, "observer"]),
              "the original is still there, and only it")
        a.quit()
        obs.expect("leave", name=online)
        w = c.login(other)
        check(w["name"] == other, "with %r gone, %r gets in" % (online, other))
        obs.expect("join", name=other)
        c.quit()
        obs.expect("leave", name=other)
    # Rename: to a look-alike of another is name_taken; of its own name is
    # fine (nobody else looks like that).
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    b.request_error("rename", "name_taken", name="\u0430lice")
    b.request_error("rename", "name_taken", name="a1ice")
    a.request_ok("rename", name="\u0430lice")
    obs.expect("rename", **{"from": "alice", "to": "\u0430lice"})
    b.request_error("rename", "name_taken", name="alice")
    check(sorted(obs.who()) == ["bob", "observer", "\u0430lice"],
          "the refused renames changed nothing: %r" % obs.who())
    srv.stop()


run(main)
