#!/usr/bin/env python3
"""With --max-clients 2 a third login gets full; a repeated login of a
session that lives still gets its welcome; after a quit there is room."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server("--max-clients", "2")
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    wb = b.login("bob")
    c = Client(srv.port)
    c.name = "carol"
    c.login_error("carol", "full")
    check(sorted(a.who()) == ["alice", "bob"], "full created no session")
    w2 = b.login("bob")
    check(w2.get("token") == wb["token"],
          "a repeated login of a live session is not refused as full")
    a.quit()
    b.expect("leave", name="alice", reason="quit")
    w = c.login("carol")
    check(w.get("name") == "carol", "after a quit carol gets in")
    b.expect("join", name="carol")
    d = Client(srv.port)
    d.name = "dave"
    d.login_error("dave", "full")
    srv.stop()


run(main)
