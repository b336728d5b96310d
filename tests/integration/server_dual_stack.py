#!/usr/bin/env python3
"""A server bound to :: serves an IPv4 client (127.0.0.1) and an IPv6
client (::1) in one room; repeated login and the address check work for
the IPv4 one too. Skips without IPv6."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    if not ipv6_loopback():
        skip("IPv6 loopback (::1) is not available here")
    srv = Server(bind="::")
    a = Client(srv.port, host="127.0.0.1")
    wa = a.login("alice")
    b = Client(srv.port, host="::1")
    b.login("bob")
    a.expect("join", name="bob")
    a.request_ok("chat", text="from v4")
    b.expect("chat", text="from v4", **{"from": "alice"})
    b.request_ok("chat", text="from v6")
    a.expect("chat", text="from v6", **{"from": "bob"})
    w2 = a.login("alice")
    check(w2.get("token") == wa["token"],
          "a repeated login over IPv4 gets the same token")
    # Another IPv4 socket with alice's token is refused.
    x = Client(srv.port, host="127.0.0.1")
    x.name = "spoofer"
    x.send({"type": "quit", "token": wa["token"]})
    x.expect_error("no_session", timeout=2.0)
    check(sorted(b.who()) == ["alice", "bob"], "both online")
    srv.stop()


run(main)
