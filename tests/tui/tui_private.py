"""A private message to us stands out and rings the bell, as a mention
does, even when it does not contain our name: its text is highlighted
(reverse video) and tmux sees the bell. Before, only a line naming us
did either. Our own private line to someone rings nothing."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run  # noqa


def bell(t):
    return t.tmux("display", "-p", "#{window_bell_flag}").strip()


def line_with(t, text):
    s = t.tmux("capture-pane", "-p", "-e")
    return next(l for l in s.split("\n") if text in l)


def main():
    srv = Server()
    for env in ({}, {"NO_COLOR": "1"}):
        with Tui(srv.port, "alice", extra_env=env) as t:
            t.ready("alice")
            bob = Plain(srv.port, "bob")
            t.wait_text("bob joined")
            bob.say("an ordinary line")
            t.wait_text("<bob> an ordinary line")
            t.type("/msg bob a secret for you")
            t.keys("Enter")
            bob.wait_line(r"\*alice\* a secret for you")
            t.wait_text("-> *bob* a secret for you")
            check(bell(t) == "0", "no bell for ordinary or own lines")
            bob.say("/msg alice psst, over here")
            t.wait_text("*bob* psst, over here")
            t.wait(lambda rows: bell(t) == "1", "the bell", 10)
            line = line_with(t, "psst, over here")
            check(re.search(r"\x1b\[[0-9;]*7[0-9;]*m(\x1b\[[0-9;]*m)*psst",
                            line), "the private text is highlighted: %r"
                  % line)
            plain = line_with(t, "an ordinary line")
            check(not re.search(r"\x1b\[[0-9;]*7[0-9;]*m(\x1b\[[0-9;]*m)*an "
                                "ordinary", plain), "an ordinary line is not")
            t.quit()
            bob.close()
    srv.stop()


run(main)
