#!/usr/bin/env python3
"""A plain client that the operator kicks (docs/protocol.md, "Kick") says
so, exits 1 and does not log in again by itself.

alice and bob run the real plain client; the operator types /kick alice
spamming on the server's console. alice must print "-- you were removed
by the operator (spamming)" (the reason comes in the leave's text) and
exit 1; bob sees "alice left (kicked: spamming)" once. The server's
--trace must show no login from alice after the kick: not at once, and
not after her session has been removed, when a client that took the
kick for a plain leave would get no_session and log in again."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Client, Server, check, log, run, wait_until  # noqa: E402
from clienttest import TIME_RE, PlainClient  # noqa: E402

T = "^" + TIME_RE + " "


def logins(srv):
    """Logins the server handled: those that came back with a cookie (the
    first of each round trip only fetches it)."""
    return len([ln for ln in srv.stderr().splitlines()
                if re.search(r'"type":\s*"login"', ln) and
                re.search(r'"cookie":', ln)])


def main():
    srv = Server("--trace", stdin=True)
    try:
        a = PlainClient(srv.port, "alice")
        b = PlainClient(srv.port, "bob")
        a.wait_line(T + r"-- bob joined$")
        a.say("before the kick")
        b.wait_line(T + r"<alice> before the kick$")
        before = logins(srv)
        log("logins before the kick: %d" % before)

        srv.announce("/kick alice spamming")
        # The operator's reason comes in the leave's text (protocol 2).
        a.wait_line(T + r"-- you were removed by the operator "
                    r"\(spamming\)$", 5.0)
        a.wait_exit(5.0)
        check(a.proc.returncode == 1,
              "a kicked client exits 1, not %r" % a.proc.returncode)
        b.wait_line(T + r"-- alice left \(kicked: spamming\)$", 5.0)

        # The session is gone once alice's ack of her leave is in (or
        # after the leave's retransmits): then the name is free.
        watcher = Client(srv.port)
        watcher.login("watcher")
        wait_until(lambda: "alice" not in watcher.who(), 10.0,
                   "alice's session to be removed")
        # A client that re-logged in would do it within a retry or two.
        x = Client(srv.port)
        x.login("alice2")
        x.ping()
        check(logins(srv) == before + 2,
              "no login from the kicked client (only watcher and alice2): "
              "%d logins after the kick" % (logins(srv) - before))
        check(len(b.matching(r"-- alice left")) == 1,
              "bob was told once: %r" % b.matching(r"-- alice left"))
        check(not b.matching(r"-- alice joined"), "alice did not come back")
        b.quit()
    finally:
        srv.stop()


run(main)
