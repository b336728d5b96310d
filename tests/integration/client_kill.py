#!/usr/bin/env python3
"""SIGKILL of either client process.

- Keyboard process killed: the network process exits within 2 s
  (PR_SET_PDEATHSIG), without a quit; the server expires the session and
  another client sees "left (timeout)".
- Network process killed: the keyboard process reaps it and exits within
  1 s, never leaving a zombie; the session likewise times out.

The server runs with --heartbeat 1 so expiry takes about 3 s. This test
is a child subreaper: an orphan comes back to us, so an unreaped network
process would show up here as a zombie.
"""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, check, log, run  # noqa: E402
from clienttest import (TIME_RE, PlainClient, gone, proc_state,  # noqa: E402
                        reap, wait_for)

T = "^" + TIME_RE + " "


def kill_parent(srv, obs):
    c = PlainClient(srv.port, "kp")
    obs.wait_line(T + r"-- kp joined$")
    child = c.child
    t0 = time.monotonic()
    os.kill(c.pid, signal.SIGKILL)
    c.proc.wait(5)
    wait_for(lambda: gone(child), 2.0, "the network process to exit after "
             "its parent was killed")
    log("parent killed: network process gone in %.3fs" %
        (time.monotonic() - t0))
    reap(child)
    line = obs.wait_line(T + r"-- kp left \((timeout|quit)\)$", 8.0)
    check(line.endswith("(timeout)"), "the session expired: %r" % line)
    c.finish(expect_rc=-signal.SIGKILL)


def kill_child(srv, obs):
    c = PlainClient(srv.port, "kc")
    obs.wait_line(T + r"-- kc joined$")
    child = c.child
    t0 = time.monotonic()
    os.kill(child, signal.SIGKILL)
    wait_for(lambda: c.proc.poll() is not None, 1.0,
             "the keyboard process to exit after its child was killed")
    log("child killed: keyboard process exited %d in %.3fs" %
        (c.proc.returncode, time.monotonic() - t0))
    check(proc_state(child) is None,
          "the killed network process was reaped, not left a zombie "
          "(state %r)" % proc_state(child))
    check(c.proc.returncode != 0, "an abnormal end is not exit status 0")
    line = obs.wait_line(T + r"-- kc left \((timeout|quit)\)$", 8.0)
    check(line.endswith("(timeout)"), "the session expired: %r" % line)
    c.finish(expect_rc=None)


def main():
    srv = Server("--heartbeat", "1")
    try:
        obs = PlainClient(srv.port, "obs")
        kill_parent(srv, obs)
        kill_child(srv, obs)
        obs.say("still fine")
        obs.wait_line(T + r"<obs> still fine$")
        obs.quit()
    finally:
        srv.stop()


if __name__ == "__main__":
    run(main)
