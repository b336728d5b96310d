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

    eve = Client(srv.port)
    eve.name = "eve"
    eve.token = victim.token
    eve.ask_error({"type": "quit", "token": victim.token}, "no_session")
    eve.ask_error({"type": "chat", "token": victim.token, "id": 1,
                   "text": "I am the victim"}, "no_session")
    eve.ask_error({"type": "msg", "token": victim.token, "id": 2, "to": "bob",
                   "text": "psst"}, "no_session")
    eve.ask_error({"type": "rename", "token": victim.token, "id": 3,
                   "name": "pwned"}, "no_session")
    eve.ask_error({"type": "ack", "token": victim.token, "seq": 1},
                  "no_session")
    eve.ask_error({"type": "who", "token": victim.token}, "no_session")
    # A login from eve's address with the victim's name is name_taken.
    eve.login_error("victim", "name_taken")

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
