#!/usr/bin/env python3
"""The client's two processes: exactly two after login, both gone within
1 s after /quit and after end of input, and after SIGINT, SIGTERM and
SIGHUP, with exit status 0 and a clean quit (others see "left (quit)"); with
the server gone, /quit waits about 1 s for a bye that never comes.
The network process is reaped by the keyboard process (this test is a
child subreaper: an unreaped one would come back to us as a zombie).
"""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, check, log, run  # noqa: E402
from clienttest import (TIME_RE, PlainClient, children_of, gone,  # noqa: E402
                        proc_state, wait_for)

T = "^" + TIME_RE + " "


def two_processes(c):
    kids = children_of(c.pid)
    check(len(kids) == 1, "%s: one network process under the keyboard "
          "process: %r" % (c.name, kids))
    check(children_of(kids[0]) == [],
          "%s: the network process has no children" % c.name)
    check(proc_state(c.pid) not in (None, "Z") and
          proc_state(kids[0]) not in (None, "Z"), "both alive")


def ended(c, how, obs, act):
    child = c.child
    t0 = time.monotonic()
    act()
    wait_for(lambda: c.proc.poll() is not None, 1.5,
             "%s to exit after %s" % (c.name, how))
    took = time.monotonic() - t0
    rc = c.finish(expect_rc=0)
    # Reaped by its parent: not our zombie, not alive.
    check(proc_state(child) is None,
          "%s: network process reaped after %s (state %r)" %
          (c.name, how, proc_state(child)))
    obs.wait_line(T + r"-- %s left \(quit\)$" % c.name)
    log("%-8s exit %d in %.3fs, both processes gone" % (how, rc, took))
    check(took < 1.0 + 0.3, "%s: gone within about 1 s" % how)


def main():
    srv = Server()
    try:
        obs = PlainClient(srv.port, "obs")
        cases = [
            ("/quit", lambda c: c.send("/quit")),
            ("EOF", lambda c: c.eof()),
            ("SIGINT", lambda c: os.kill(c.pid, signal.SIGINT)),
            ("SIGTERM", lambda c: os.kill(c.pid, signal.SIGTERM)),
            ("SIGHUP", lambda c: os.kill(c.pid, signal.SIGHUP)),
        ]
        for i, (how, act) in enumerate(cases):
            name = "p%d" % i
            c = PlainClient(srv.port, name)
            obs.wait_line(T + r"-- %s joined$" % name)
            two_processes(c)
            c.say("line before " + how)
            c.wait_line(T + r"<%s> line before" % name)
            ended(c, how, obs, lambda: act(c))
        obs.quit()
        check(gone(obs.pid), "observer gone")

        # No bye ever comes: the client gives the server 1 s, then goes.
        c = PlainClient(srv.port, "lonely")
        child = c.child
        srv.stop()
        t0 = time.monotonic()
        c.send("/quit")
        wait_for(lambda: c.proc.poll() is not None, 2.0,
                 "the client to give up waiting for bye")
        took = time.monotonic() - t0
        log("/quit without a server: exit in %.3fs" % took)
        check(0.7 < took < 1.6, "waited about 1 s for bye (%.3fs)" % took)
        c.finish(expect_rc=0)
        check(proc_state(child) is None, "network process reaped")
    finally:
        if srv.alive():
            srv.stop()


if __name__ == "__main__":
    run(main)
