#!/usr/bin/env python3
"""A re-login refused with name_taken for longer than any stale session
of ours can live is given up, with words a user can act on.

As in client_relogin_taken, alice's client is paused until expired and
an impostor takes her name; this impostor stays (it keeps pinging). The
client tries again for 3 heartbeats plus a 10 s margin after the first
refusal (13 s with --heartbeat 1, said in the "until" of its notice),
then prints why it gives up and exits 1. It must neither give up at the
first refusal nor keep trying for ever.
"""
import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Client, Server, TestFailure, check, log, run  # noqa: E402
from clienttest import TIME_RE, PlainClient, children_of  # noqa: E402

T = "^" + TIME_RE + " "
TAKEN = T + r"-- reconnecting: name alice still taken .*retrying every 2 s"
GIVE_UP = (T + r"error: cannot log in again: name alice was still taken "
           r"after 13 s \(server: that name is taken\); start again with "
           r"another name \(-n\)$")
BOUND = 13.0


def main():
    srv = Server("--heartbeat", "1")
    try:
        a = PlainClient(srv.port, "alice")
        b = PlainClient(srv.port, "bob")
        a.wait_line(T + r"-- bob joined$")
        pids = [a.pid] + children_of(a.pid)
        check(len(pids) == 2, "alice runs as two processes: %r" % pids)
        for p in pids:
            os.kill(p, signal.SIGSTOP)
        b.wait_line(T + r"-- alice left \(timeout\)$", 15.0)
        imp = Client(srv.port)
        imp.login("alice")
        for p in pids:
            os.kill(p, signal.SIGCONT)

        # The impostor pings all along; alice's client must end by itself.
        deadline = time.monotonic() + 2 * BOUND + 10
        taken_at = None
        while a.proc.poll() is None or a.pump(0.05):
            if time.monotonic() > deadline:
                raise TestFailure("alice still running %.0fs after "
                                  "resuming; saw:\n  %s" %
                                  (2 * BOUND + 10, "\n  ".join(a.lines)))
            imp.ping()
            imp.drop()
            a.pump(0.2)
            if taken_at is None and a.matching(TAKEN):
                taken_at = time.monotonic()
        ended_at = time.monotonic()
        a.pump(0.2)
        log("alice saw:\n  " + "\n  ".join(a.lines))
        check(taken_at is not None, "alice said her name was taken")
        waited = ended_at - taken_at
        log("alice gave up %.1fs after the first refusal" % waited)
        # Loose: it must not give up at once, nor far past its bound.
        check(BOUND / 2 < waited < 2 * BOUND,
              "gave up after %.1fs, bound %.0fs" % (waited, BOUND))
        check(len(a.matching(TAKEN)) == 1, "the notice came once")
        check(a.matching(GIVE_UP), "the reason is given: %r" %
              a.matching(T + "error: "))
        check(not a.matching(r"-- reconnected$"), "alice never got in")
        a.finish(expect_rc=1)

        # The impostor and bob are unharmed.
        check(imp.who()[0] == "alice", "the impostor keeps the name")
        b.quit()
        imp.quit()
    finally:
        srv.stop()


if __name__ == "__main__":
    run(main)
