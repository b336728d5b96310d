#!/usr/bin/env python3
"""With --history 0 a newcomer gets no history."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server("--history", "0")
    a, b = logged_in(srv.port, "alice", "bob")
    a.request_ok("chat", text="one")
    a.request_ok("chat", text="two")
    b.expect("chat", text="two")
    c = Client(srv.port)
    c.login("carol")
    c.ping()
    check(c.received("chat") == [], "no history: %r" %
          [public(m) for m in c.inbox])
    a.request_ok("chat", text="three")
    m = c.expect("chat", text="three")
    check(m.get("seq") == 1 and not m.get("history"),
          "the first chat carol sees is live, seq 1: %r" % public(m))
    srv.stop()


run(main)
