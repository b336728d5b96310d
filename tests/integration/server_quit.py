#!/usr/bin/env python3
"""quit -> bye to the sender; the others get leave reason quit; the token
is dead afterwards."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    a, b, c = login_room(srv.port, "alice", "bob", "carol")
    b.quit()
    for o in (a, c):
        m = o.expect("leave", name="bob")
        check(m.get("reason") == "quit", "%s: leave reason quit: %r" %
              (o.name, public(m)))
        check(isinstance(m.get("seq"), int) and isinstance(m.get("ts"), int),
              "leave is reliable: %r" % public(m))
    check(sorted(a.who()) == ["alice", "carol"], "bob is gone from who")
    b.req("ping")
    b.expect_error("no_session")
    b.chat("ghost")
    b.expect_error("no_session")
    c.barrier()
    check(c.received("chat") == [], "a dead token forwards nothing")
    w = b.login("bob")
    check(w.get("name") == "bob", "bob can log in again")
    srv.stop()


run(main)
