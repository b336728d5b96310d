#!/usr/bin/env python3
"""A msg or rename repeated with the same id is acked again and acted on
once: one msg delivered, one rename announced. A repeated id that was
refused gets the same error again, even once the request would now
succeed: a msg to dave before dave is here stays no_such_user, a rename
to a taken name stays name_taken after the name is free."""

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

    e1 = a.request_error("msg", "no_such_user", id=4, to="dave", text="hi")
    e2 = a.request_error("rename", "name_taken", id=5, name="bob")
    d = Client(srv.port)
    d.login("dave")
    b.quit()
    a.expect("leave", name="bob")
    r1 = a.request("msg", id=4, to="dave", text="hi")
    r2 = a.request("rename", id=5, name="bob")
    check(public(r1) == public(e1), "the repeated msg gets the same error: "
          "%r, first %r" % (public(r1), public(e1)))
    check(public(r2) == public(e2), "the repeated rename gets the same "
          "error: %r, first %r" % (public(r2), public(e2)))
    a.request_ok("chat", id=6, text="marker 2")
    d.expect("chat", text="marker 2")
    check(d.received("msg") == [], "dave never got the refused msg: %r" %
          [public(m) for m in d.received("msg")])
    check(d.received("rename") == [], "nobody was renamed: %r" %
          [public(m) for m in d.received("rename")])
    srv.stop()


run(main)
