#!/usr/bin/env python3
"""login repeated from the same address gets the same token and no second
join; the same name from another address gets name_taken."""

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
    w1 = b.login("bob")
    j = a.expect("join", name="bob")

    w2 = b.login("bob")
    check(w2.get("token") == w1["token"],
          "a repeated login gets the same token: %r vs %r" %
          (w1["token"], w2.get("token")))
    check(sorted(w2.get("users", [])) == ["alice", "bob"],
          "the repeated welcome lists both users: %r" % public(w2))

    b.chat("after relogin")
    m = a.expect("chat", text="after relogin")
    check(m.get("seq") == j["seq"] + 1,
          "alice's next seq follows the join (no second join): %r" % public(m))
    check(a.received("join") == [], "no second join: %r" %
          [public(x) for x in a.received("join")])

    c = Client(srv.port)
    e = c.login_error("bob", "name_taken")
    check(isinstance(e.get("text"), str) and e["text"],
          "the error has human words: %r" % public(e))
    c.login_error("alice", "name_taken")
    users = a.who()
    check(sorted(users) == ["alice", "bob"],
          "name_taken created no session: %r" % users)
    a.barrier()
    check(a.received("join") == [], "no join for a refused login")
    check(b.who() == users or sorted(b.who()) == ["alice", "bob"],
          "bob's session is the same one")
    srv.stop()


run(main)
