#!/usr/bin/env python3
"""Errors to one source are rate limited: 50 bad datagrams at once get
far fewer than 50 errors, but at least one; another source is answered
at once, and the first one again later."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    x = Client(srv.port)
    x.name = "flooder"
    for _ in range(50):
        x.send_raw(b"this is not json")
    # Count what comes back in a bounded window.
    x.pump(1.5)
    n = len(x.received("error", code="bad_json"))
    log("%d errors for 50 bad datagrams" % n)
    check(n >= 1, "at least one error comes back")
    check(n <= 20, "errors are rate limited: %d of 50 answered" % n)
    check(len(x.inbox) == n, "only bad_json came back: %r" %
          [public(m) for m in x.inbox])
    y = Client(srv.port)
    y.name = "someone else"
    y.send_raw(b"not json either")
    y.expect_error("bad_json", timeout=1.0)
    x.drop()
    x.ask_error(b"still not json", "bad_json", timeout=5.0)
    a = Client(srv.port)
    a.login("alice")
    check(a.who() == ["alice"], "the server works normally")
    srv.stop()


run(main)
