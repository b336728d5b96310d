#!/usr/bin/env python3
"""A quit or chat carrying another session's valid token from another
socket is refused with no_session and changes nothing."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    victim = Client(srv.port)
    victim.login("victim")
    b = Client(srv.port)
    b.login("bob")
    victim.expect("join", name="bob")
    j = b.who()
    check(sorted(j) == ["bob", "victim"], "both online")

    # Each attempt is sent once, from a socket of its own (so no error
    # rate limit applies): a retry could hide a first attempt that worked.
    eves = []
    for o in ({"type": "quit", "token": victim.token},
              {"type": "chat", "token": victim.token, "id": 1,
               "text": "I am the victim"},
              {"type": "msg", "token": victim.token, "id": 2, "to": "bob",
               "text": "psst"},
              {"type": "rename", "token": victim.token, "id": 3,
               "name": "pwned"},
              {"type": "ack", "token": victim.token, "seq": 1},
              {"type": "ping", "token": victim.token},
              {"type": "who", "token": victim.token}):
        eve = Client(srv.port)
        eve.name = "eve sending %s" % o["type"]
        eve.send(o)
        e = eve.expect("error", timeout=2.0)
        check(e.get("code") == "no_session", "%s: %r" % (eve.name, public(e)))
        eves.append(eve)
        check(sorted(b.who()) == ["bob", "victim"],
              "after a spoofed %s the victim is still listed" % o["type"])
    for eve in eves:
        eve.pump(0.05)
        check(eve.inbox == [], "%s got only the error: %r" %
              (eve.name, [public(m) for m in eve.inbox]))
    # A login from another address with the victim's name is name_taken.
    eve = Client(srv.port)
    eve.name = "eve"
    e = eve.login_error("victim", "name_taken")
    check(e.get("code") == "name_taken", "login as victim: %r" % public(e))

    users = b.who()
    check(sorted(users) == ["bob", "victim"],
          "the victim is still listed: %r" % users)
    b.barrier()
    check(b.received("leave") == [] and b.received("chat") == [] and
          b.received("msg") == [] and b.received("rename") == [],
          "nothing was forwarded: %r" % [public(m) for m in b.inbox])
    victim.barrier()
    check(victim.received("bye") == [], "the victim got no bye")
    # The victim's session works, and its id 1 was never used up by eve.
    victim.chat("really me", id=1)
    victim.expect("ack", id=1)
    m = b.expect("chat", text="really me")
    check(m.get("from") == "victim", "the victim's chat id 1 is forwarded")
    srv.stop()


run(main)
