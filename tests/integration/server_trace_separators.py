#!/usr/bin/env python3
"""--trace writes one line per datagram even when a chat holds the
Unicode line and paragraph separators (U+2028, U+2029), which many
viewers (and Python's splitlines) treat as line breaks: they are
escaped as \\xNN like control and bidi characters. The chat itself is
valid and forwarded unchanged."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


TEXT = "one\u2028two\u2029three"


def main():
    srv = Server("--trace")
    a, b = login_room(srv.port, "alice", "bob")
    a.request_ok("chat", text=TEXT)
    m = b.expect("chat")
    check(m["text"] == TEXT, "bob got the chat unchanged: %r" % m["text"])
    with open(srv.errpath, "rb") as f:
        raw = f.read()
    srv.stop()
    for sep in (b"\xe2\x80\xa8", b"\xe2\x80\xa9"):
        check(sep not in raw, "the trace holds a raw %r" % sep)
    check(b"one\\xe2\\x80\\xa8two\\xe2\\x80\\xa9three" in raw,
          "the trace shows the separators escaped")
    lines = raw.decode().splitlines()
    ins = [x for x in lines if " in " in x and "one" in x]
    outs = [x for x in lines if " out " in x and "one" in x]
    check(len(ins) >= 1 and len(outs) >= 1 and
          all("three" in x for x in ins + outs),
          "each traced chat is one line: %r" % (ins + outs))


run(main)
