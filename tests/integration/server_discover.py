#!/usr/bin/env python3
"""discover {v: 2} (sent here to 127.0.0.1, never broadcast) gets here
{v, room, port, users: count}; users counts the sessions in the room,
not one kicked and still being removed (docs/protocol.md, "Kick")."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server("--room", "lab", stdin=True)
    x = Client(srv.port)
    x.name = "discoverer"
    h = x.ask({"type": "discover", "v": 2}, "here")
    log("here:", public(h))
    check(h.get("v") == 2, "here says v 2: %r" % public(h))
    check(h.get("room") == "lab", "here names the room: %r" % public(h))
    check(h.get("port") == srv.port, "here gives the port: %r" % public(h))
    check(h.get("users") == 0, "nobody online yet: %r" % public(h))
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    h = x.ask({"type": "discover", "v": 2}, "here")
    check(h.get("users") == 2, "two online: %r" % public(h))
    check(sorted(a.who()) == ["alice", "bob"], "discover made no session")

    # A kicked session is out of the room while its leave is still being
    # retransmitted to it (bob never acks it): not counted as online.
    c = Client(srv.port)
    c.login("carol")
    c.auto_ack = False
    srv.announce("/kick carol")
    c.expect("leave", name="carol", reason="kicked")
    a.expect("leave", name="carol", reason="kicked")
    h = x.ask({"type": "discover", "v": 2}, "here")
    check(h.get("users") == 2, "the kicked one is not counted: %r" %
          public(h))
    b.quit()
    a.expect("leave", name="bob", reason="quit")
    h = x.ask({"type": "discover", "v": 2}, "here")
    check(h.get("users") == 1, "one online after a quit: %r" % public(h))
    srv.stop()


run(main)
