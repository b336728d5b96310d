#!/usr/bin/env python3
"""quit -> bye to the sender; the others get leave reason quit; the token
is dead afterwards. A quit's text (protocol 2) goes in the others' leave;
a quit without text, or with a text that breaks the text rules, makes a
leave without one."""

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
        check("text" not in m, "a quit without words: no text: %r" %
              public(m))
    check(sorted(a.who()) == ["alice", "carol"], "bob is gone from who")
    b.req("ping")
    b.expect_error("no_session")
    b.chat("ghost")
    b.expect_error("no_session")
    c.barrier()
    check(c.received("chat") == [], "a dead token forwards nothing")
    w = b.login("bob")
    check(w.get("name") == "bob", "bob can log in again")
    a.expect("join", name="bob")
    c.expect("join", name="bob")

    b.req("quit", text="see you tomorrow 明天见")
    b.expect("bye")
    for o in (a, c):
        m = o.expect("leave", name="bob")
        check(m.get("reason") == "quit" and
              m.get("text") == "see you tomorrow 明天见",
              "%s: the leave carries the quit's words: %r" %
              (o.name, public(m)))
    c.req("quit", text="bad\x1b[2J")
    c.expect("bye")
    m = a.expect("leave", name="carol")
    check(m.get("reason") == "quit" and "text" not in m,
          "a quit with a bad text is a quit without text: %r" % public(m))
    srv.stop()


run(main)
