#!/usr/bin/env python3
"""Names breaking the rules (default-ignorable code points included)
get bad_name (each from its own socket); valid edge names (16 chars,
48 bytes, Chinese) are welcomed."""

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
    "Alice",                         # names compare byte for byte
    "alice",
    "caf\u00e9",                      # precomposed e-acute ...
    "cafe\u0301",                     # ... and e + combining accent: two names
]


def main():
    srv = Server()
    obs = Client(srv.port)
    obs.login("observer")
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


run(main)
