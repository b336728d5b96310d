"""A server that stops answering shows as "no answer from server" in the
status bar within seconds, and the word goes the moment it answers again.

The documented bounds (docs/chat_client.1, DESCRIPTION): an idle client
notices within a heartbeat plus 4 s (it pings after a heartbeat of its
own silence; the ping is retried like a request), a client that has
just sent a line within 4 s of sending it. The server is paused with
SIGSTOP (its socket keeps what arrives) and resumed with SIGCONT. The
times are asserted loosely (under twice the bound), so a slow machine
does not make the test flaky.
"""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Server, Tui, check, log, run  # noqa

HEARTBEAT = 2
NO_ANSWER_S = 4.0


def status(t):
    return t.screen()[0]


def main():
    srv = Server("--heartbeat", str(HEARTBEAT))
    with Tui(srv.port, "alice") as t:
        t.ready("alice")

        # Idle: only the heartbeat ping can notice.
        srv.signal(signal.SIGSTOP)
        t0 = time.monotonic()
        t.wait(lambda rows: "no answer from server" in rows[0],
               "'no answer from server' while idle", 60.0)
        idle = time.monotonic() - t0
        bound = HEARTBEAT + NO_ANSWER_S
        log("idle client: no answer shown after %.1fs (bound %.0fs)" %
            (idle, bound))
        check(idle < 2 * bound, "shown after %.1fs, bound %.0fs" %
              (idle, bound))
        srv.signal(signal.SIGCONT)
        t.wait(lambda rows: "no answer" not in rows[0] and
               " connected " in rows[0], "the status back to connected",
               20.0)

        # A line typed while the server is away: noticed from its send.
        srv.signal(signal.SIGSTOP)
        t.type("anyone there?")
        t.keys("Enter")
        t0 = time.monotonic()
        t.wait_text("anyone there?")
        t.wait(lambda rows: "no answer from server" in rows[0],
               "'no answer from server' after a line", 60.0)
        sent = time.monotonic() - t0
        log("after a line: no answer shown after %.1fs (bound %.0fs)" %
            (sent, NO_ANSWER_S))
        check(sent < 2 * NO_ANSWER_S, "shown after %.1fs, bound %.0fs" %
              (sent, NO_ANSWER_S))
        check(os.path.exists("/proc/%d" % t.roles()[1]),
              "the client carries on")
        srv.signal(signal.SIGCONT)
        t.wait(lambda rows: "no answer" not in rows[0] and
               " connected " in rows[0], "the status back to connected",
               20.0)
        log("status: %r" % status(t))
        t.check_clean()
    srv.stop()


run(main)
