#!/usr/bin/env python3
"""Requests with an unknown token get no_session and change nothing."""

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

    for token in ("0" * 32, "f" * 32, "", "not-a-token", a.token.upper()):
        x = Client(srv.port)     # a socket per token: errors are rate limited
        x.name = "stranger with token %r" % token
        for typ, fields in (("ping", {}), ("who", {}), ("quit", {}),
                            ("ack", {"seq": 1}), ("chat", {"id": 1, "text": "x"}),
                            ("msg", {"id": 1, "to": "bob", "text": "x"}),
                            ("rename", {"id": 1, "name": "alice2"})):
            o = {"type": typ, "token": token}
            o.update(fields)
            x.ask_error(o, "no_session")
    # The same with a session's own socket but a wrong token.
    real = a.token
    a.token = "0123456789abcdef" * 2
    a.req("quit")
    a.expect_error("no_session")
    a.token = real
    users = b.who()
    check(sorted(users) == ["alice", "bob"], "nothing changed: %r" % users)
    b.barrier()
    check(b.received("chat") == [] and b.received("msg") == [] and
          b.received("leave") == [] and b.received("rename") == [],
          "nothing was forwarded: %r" % [public(m) for m in b.inbox])
    i = a.chat("still alice")
    a.expect("ack", id=i)
    m = b.expect("chat", text="still alice")
    check(m.get("from") == "alice", "alice is still alice")
    srv.stop()


run(main)
