#!/usr/bin/env python3
"""A server bound to ::1 serves clients on ::1 (skips without IPv6)."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    if not ipv6_loopback():
        skip("IPv6 loopback (::1) is not available here")
    srv = Server(bind="::1")
    a = Client(srv.port, host="::1")
    a.login("alice")
    b = Client(srv.port, host="::1")
    b.login("bob")
    a.expect("join", name="bob")
    a.request_ok("chat", text="over v6")
    m = b.expect("chat", text="over v6")
    check(m.get("from") == "alice", "chat over IPv6")
    b.request_ok("msg", to="alice", text="v6 msg")
    a.expect("msg", text="v6 msg")
    check(sorted(a.who()) == ["alice", "bob"], "who over IPv6")
    b.quit()
    a.expect("leave", name="bob", reason="quit")
    srv.stop()


run(main)
