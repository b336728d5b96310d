"""TERM=dumb (Emacs' shell buffer, some IDE consoles) and an empty TERM
have no cursor addressing: the client says it cannot start the full
screen, exactly as for an unknown TERM, and goes on one line per
event: incoming lines show, typed lines are sent. Before, TERM=dumb
started the full screen anyway and showed no incoming lines."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run  # noqa


def one(srv, bob, name, term):
    env = {"TERM": term, "ASAN_OPTIONS": "detect_leaks=0"}
    with Tui(srv.port, name, extra_env=env) as t:
        t.wait_text("-- connected to 127.0.0.1:%d as %s" % (srv.port, name))
        err = t.stderr()
        check("cannot start the full screen (TERM=%s); one line per "
              "event instead" % term in err, "says it falls back: %r" % err)
        bob.say("hi %s" % name)
        t.wait_text("<bob> hi %s" % name)
        t.type("hello bob")
        t.keys("Enter")
        bob.wait_line(r"<%s> hello bob$" % name)
        t.quit()


def main():
    srv = Server()
    bob = Plain(srv.port, "bob")
    one(srv, bob, "alice", "dumb")
    one(srv, bob, "carol", "")
    bob.close()
    srv.stop()


run(main)
