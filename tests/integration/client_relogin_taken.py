#!/usr/bin/env python3
"""A re-login refused with name_taken is retried, not fatal.

alice's client is paused (as Ctrl-Z does) until the server expires her
session; meanwhile an impostor (a raw UDP socket) logs in as alice.
When her client resumes it gets no_session, logs in again and is told
the name is taken. It must say so once ("-- reconnecting: name alice
still taken ..."), keep trying (the server refuses it again, seen in its
--trace), and get back in by itself once the impostor falls silent and
is expired; then chat works both ways.
"""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Client, Server, TestFailure, check, log, run  # noqa: E402
from clienttest import TIME_RE, PlainClient, children_of  # noqa: E402

T = "^" + TIME_RE + " "
TAKEN = T + r"-- reconnecting: name alice still taken .*retrying every 2 s"


def refusals(srv):
    """name_taken errors the server has sent so far (its --trace)."""
    return sum(1 for l in srv.stderr().splitlines()
               if " out " in l and "name_taken" in l)


def keep_alive_until(imp, pred, timeout, what):
    """Pings as the impostor (so its session lives) until pred()."""
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise TestFailure("timed out after %.0fs waiting for %s" %
                              (timeout, what))
        imp.ping()
        imp.drop()
        time.sleep(0.2)


def main():
    srv = Server("--heartbeat", "1", "--trace")
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
        b.wait_line(T + r"-- alice joined$")
        for p in pids:
            os.kill(p, signal.SIGCONT)

        # The client resumes, learns its session is gone, logs in again
        # and is refused: it says so, and stays.
        keep_alive_until(imp, lambda: a.pump(0.05) and a.matching(TAKEN),
                         10.0, "alice to say her name is still taken")
        first = refusals(srv)
        keep_alive_until(imp, lambda: refusals(srv) > first, 10.0,
                         "alice to try again (another name_taken)")
        check(a.proc.poll() is None, "alice's client is still running")
        log("alice was refused %d times and keeps trying" % refusals(srv))

        # The impostor falls silent; once expired, alice gets back in.
        b.wait_line(T + r"-- alice left \(timeout\)$", 15.0)
        a.wait_line(T + r"-- reconnected$", 15.0)
        b.wait_line(T + r"-- alice joined$", 5.0)
        a.say("back as myself")
        b.wait_line(T + r"<alice> back as myself$")
        b.say("welcome back")
        a.wait_line(T + r"<bob> welcome back$")

        check(len(a.matching(TAKEN)) == 1,
              "the taken name was reported once: %r" % a.matching(TAKEN))
        check(not a.matching(T + "error: "),
              "no error lines: %r" % a.matching(T + "error: "))
        log("alice saw:\n  " + "\n  ".join(a.lines))
        imp.close()
        a.quit()
        b.quit()
    finally:
        srv.stop()


if __name__ == "__main__":
    run(main)
