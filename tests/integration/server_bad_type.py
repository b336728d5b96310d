#!/usr/bin/env python3
"""An unknown type, or a server-to-client type sent by a client, gets
bad_type; in particular a client cannot make an announce."""

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
    j = a.expect("join", name="bob")
    for typ in ("shout", "", "CHAT", "Ping", "chat ", "announce", "welcome",
                "pong", "join", "leave", "users", "here", "bye", "error"):
        a.name = "alice sending type %r" % typ
        a.ask_error({"type": typ, "token": a.token, "id": 99, "seq": 1,
                     "ts": now_ms(), "text": "I am the operator",
                     "name": "alice", "from": "alice", "to": "bob",
                     "reason": "kicked", "code": "full", "users": []},
                    "bad_type")
    a.name = "alice"
    x = Client(srv.port)
    x.name = "stranger"
    x.ask_error({"type": "announce", "text": "hello"}, "bad_type")
    b.barrier()
    check(b.received("announce") == [], "no client-made announce: %r" %
          [public(m) for m in b.received("announce")])
    check(b.inbox == [], "bob got nothing: %r" % [public(m) for m in b.inbox])
    check(sorted(b.who()) == ["alice", "bob"], "nothing changed")
    i = b.chat("probe")
    b.expect("ack", id=i)
    m = a.expect("chat", text="probe")
    check(m["seq"] == j["seq"] + 1, "alice's next seq is unchanged")
    a.barrier()
    check(a.received("leave") == [], "no leave")
    srv.stop()


run(main)
