#!/usr/bin/env python3
"""Without --history a newcomer gets the recent chats (default 50): all
of 5 chats, in order, marked history."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    for k in range(5):
        a.request_ok("chat", text="c%d" % k)
    c = Client(srv.port)
    c.login("carol")
    c.ping()
    hist = c.received("chat")
    check([m.get("text") for m in hist] == ["c0", "c1", "c2", "c3", "c4"],
          "all 5 chats as history: %r" % [public(m) for m in hist])
    check(all(m.get("history") is True for m in hist), "marked history")
    srv.stop()


run(main)
