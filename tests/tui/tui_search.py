#!/usr/bin/env python3
"""/search TEXT scrolls the full screen back to the newest earlier line
holding TEXT (any case), in the middle of the window, the match drawn in
reverse and the bottom row saying so; /search alone goes further back;
past the oldest the bottom row says none is left; End is back at the
newest; Ctrl-R searches for the input line's text. In --plain /search
says where the lines are instead."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Senders, Server, Tui, check, run  # noqa


def reversed_match(t, word, row=None):
    """The screen's row holding row (or word) shows word in reverse."""
    for line in t.tmux("capture-pane", "-p", "-e").split("\n"):
        if (row or word) in re.sub(r"\x1b\[[0-9;]*m", "", line):
            return re.search(r"\x1b\[[0-9;]*7[0-9;]*m(\x1b\[[0-9;]*m)*" +
                             re.escape(word), line) is not None
    return False


def main():
    srv = Server()
    with Tui(srv.port, "alice", y=12) as t:
        t.ready("alice")
        s = Senders(srv.port, ["bob", "carol"])  # 20 lines each at most
        lines = ["filler %d" % i for i in range(40)]
        lines[5] = "the NEEDLE is old"
        lines[20] = "a needle in the middle"
        for i, text in enumerate(lines):
            s.chat(i, text)
        t.wait_text("<carol> filler 39", 20)
        s.close()
        check(not any("needle" in r.lower() for r in t.screen()),
              "the needles are off screen:\n" + t.dump())
        t.type("/search Needle")
        t.keys("Enter")
        t.wait_text("<bob> a needle in the middle")
        t.wait_text('"Needle" found')
        check(not any("filler 39" in r for r in t.screen()),
              "scrolled back:\n" + t.dump())
        t.wait(lambda rows: reversed_match(t, "needle"),
               "the match in reverse")
        t.type("/search")
        t.keys("Enter")
        t.wait_text("<carol> the NEEDLE is old")
        t.wait(lambda rows: reversed_match(t, "NEEDLE"),
               "the older match in reverse")
        t.type("/search")
        t.keys("Enter")
        t.wait_text('no earlier line has "Needle"')
        t.keys("End")
        t.wait(lambda rows: any("filler 39" in r for r in rows) and
               not any("Needle" in r for r in rows), "back at the newest")
        # Ctrl-R searches for what the input line holds, and keeps it.
        t.type("FILLER 3")
        t.keys("C-r")
        t.wait(lambda rows: reversed_match(t, "filler 3", "filler 39"),
               "filler 39, the newest, in reverse")
        t.keys("C-r")
        t.wait(lambda rows: reversed_match(t, "filler 3", "filler 38"),
               "filler 38 in reverse")
        t.wait_input("FILLER 3")
        t.keys("C-u")
        t.quit()
    p = Plain(srv.port, "pat")
    p.say("/search x")
    p.wait_line(r"error: /search scrolls the full screen; here your "
                r"terminal has the lines, and .*/lanchat/logs/")
    p.close()
    srv.stop()


run(main)
