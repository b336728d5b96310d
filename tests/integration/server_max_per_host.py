#!/usr/bin/env python3
"""--max-per-host 3: three sessions from 127.0.0.1 (three ports) get in, a
fourth from another port of the same address gets full (its words say
too many from your address) and makes no session; 127.0.0.2 still gets
in; the same login again from one of the three is still welcomed (not a
new session); once one of the three quits, the fourth gets in. The
default is 16. Over IPv6 (a server on ::1, when this machine has an IPv6
loopback) the limit holds the same way: three from ::1 get in, a fourth
gets full. That an IPv6 host counts by its /64 is in
server_max_per_host_ipv6.py (addresses loopback cannot have) and the
unit tests (test_net's host key, test_session's counts)."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server("--max-per-host", "3")
    a, b, c = login_room(srv.port, "a", "b", "c")
    d = Client(srv.port)
    e = d.login_error("d", "full")
    log("fourth from 127.0.0.1: %r" % e["text"])
    check("address" in e["text"], "full says why: %r" % public(e))
    check(sorted(a.who()) == ["a", "b", "c"], "no session for d")

    # Another address is another host.
    x = Client(srv.port, source="127.0.0.2")
    w = x.login("x")
    check(w["name"] == "x", "127.0.0.2 still gets in: %r" % public(w))
    a.expect("join", name="x")

    # A repeated login of a session already counted is the same session.
    token = b.token
    w = b.login("b")
    check(w["token"] == token, "b's login again gets its own welcome: %r" %
          public(w))

    b.quit()
    a.expect("leave", name="b")
    w = d.login("d", every=0.5)
    check(w["name"] == "d", "with b gone, d gets in")
    a.expect("join", name="d")
    check(sorted(a.who()) == ["a", "c", "d", "x"], "the room: %r" % a.who())
    e = Client(srv.port).login_error("e", "full")
    check("address" in e["text"], "and a fifth is full again")
    srv.stop()

    # The default: 16 from one address.
    srv = Server()
    many = logged_in(srv.port, *["u%d" % k for k in range(16)])
    Client(srv.port).login_error("u16", "full")
    x = Client(srv.port, source="127.0.0.2")
    x.login("x")
    check(len(many[0].who()) == 17, "16 from 127.0.0.1 and x")
    srv.stop()

    if ipv6_loopback():
        over_ipv6()
    else:
        log("no IPv6 loopback (::1) here: the IPv6 case is not run")


def over_ipv6():
    """--max-per-host 3 on ::1: the fourth from ::1 is full."""
    srv = Server("--max-per-host", "3", bind="::1")
    a = Client(srv.port, host="::1")
    a.login("a")
    for name in ("b", "c"):
        Client(srv.port, host="::1").login(name)
    e = Client(srv.port, host="::1").login_error("d", "full")
    check("address" in e["text"], "full over IPv6 says why: %r" % public(e))
    check(sorted(a.who()) == ["a", "b", "c"], "no session for d over IPv6")
    srv.stop()


run(main)
