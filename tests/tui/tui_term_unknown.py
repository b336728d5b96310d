"""A terminal type curses does not know (TERM=bogus): the client says
it cannot start the full screen and that it goes on one line per event,
as with --plain, and it does: lines arrive and are sent, and end of
input (Ctrl-D in the terminal's own line mode) quits with 0."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run  # noqa


def main():
    srv = Server()
    bob = Plain(srv.port, "bob")
    # libtinfo leaks the screen of a newterm that fails (new_prescr); it
    # is not ours to free, so LeakSanitizer is off for this one client.
    env = {"TERM": "bogus", "ASAN_OPTIONS": "detect_leaks=0"}
    with Tui(srv.port, "alice", extra_env=env) as t:
        t.wait_text("-- connected to 127.0.0.1:%d as alice" % srv.port)
        err = t.stderr()
        check("cannot start the full screen (TERM=bogus); one line per "
              "event instead" in err, "says it falls back: %r" % err)
        bob.say("hi alice")
        t.wait_text("<bob> hi alice")
        t.type("hello bob")
        t.keys("Enter")
        bob.wait_line(r"<alice> hello bob$")
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
    bob.close()
    srv.stop()


run(main)
