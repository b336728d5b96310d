#!/usr/bin/env python3
"""A msg or rename repeated with the same id is acked again and acted on
once: one msg delivered, one rename announced."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    a.expect("join", name="bob")

    for _ in range(3):
        a.msg("bob", "private once", id=1)
        a.expect("ack", id=1)
    for _ in range(3):
        a.rename("alicia", id=2)
        a.expect("ack", id=2)
    a.chat("marker", id=3)
    a.expect("ack", id=3)
    b.expect("chat", text="marker")
    check(len(b.distinct("msg")) == 1, "the msg was delivered once: %r" %
          [public(m) for m in b.distinct("msg")])
    check(len(b.distinct("rename")) == 1, "one rename: %r" %
          [public(m) for m in b.distinct("rename")])
    r = b.distinct("rename")[0]
    check(r.get("from") == "alice" and r.get("to") == "alicia",
          "rename alice -> alicia: %r" % public(r))
    check(sorted(b.who()) == ["alicia", "bob"], "who shows alicia")
    srv.stop()


run(main)
