#!/usr/bin/env python3
"""History keeps announcements and actions too (protocol 2): a newcomer
gets, after its welcome and in order, the chats and the operator's
announcements as they were sent, each with "history": true, its first ts
and mid, and a chat sent with "action": true replayed with it; the live
forward of an action carries it too. --history counts both kinds."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server("--history", "4", stdin=True)
    a, b = login_room(srv.port, "alice", "bob")
    a.request_ok("chat", text="too old")
    srv.announce("lunch at noon")
    live = [a.expect("announce", text="lunch at noon"),
            b.expect("announce", text="lunch at noon")]
    a.request_ok("chat", text="waves", action=True)
    m = b.expect("chat", text="waves")
    check(m.get("action") is True and m.get("from") == "alice",
          "an action is forwarded with action true: %r" % public(m))
    b.request_ok("chat", text="plain")
    m = a.expect("chat", text="plain")
    check("action" not in m, "a plain chat has no action: %r" % public(m))
    srv.announce("exam at 10")
    b.expect("announce", text="exam at 10")

    c = Client(srv.port)
    c.login("carol")
    c.ping()
    hist = [m for m in c.inbox if m["type"] in ("chat", "announce")]
    log("carol got %r" % [public(m) for m in hist])
    check([(m["type"], m["text"]) for m in hist] ==
          [("announce", "lunch at noon"), ("chat", "waves"),
           ("chat", "plain"), ("announce", "exam at 10")],
          "the last 4 chats and announcements, in order: %r" %
          [public(m) for m in hist])
    check(all(m.get("history") is True for m in hist),
          "each marked history: %r" % [public(m) for m in hist])
    check([m.get("mid") for m in hist] == [2, 3, 4, 5],
          "with their mids: %r" % [public(m) for m in hist])
    check(hist[0]["ts"] == live[0]["ts"],
          "with the ts it was first sent with: %r %r" %
          (public(hist[0]), public(live[0])))
    check(hist[1].get("action") is True and "action" not in hist[2],
          "the action replayed with it, the plain chat without: %r" %
          [public(m) for m in hist[1:3]])
    check("from" not in hist[0], "an announce has no from: %r" %
          public(hist[0]))
    srv.stop()


run(main)
