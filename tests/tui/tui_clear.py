"""/clear empties the message window but keeps the scrollback, as
irssi's /clear does: PageUp shows the lines from before it again, End
goes back to the cleared view, and new lines appear as usual. Before,
/clear threw the scrollback away."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run  # noqa


def shows(rows, text):
    return any(text in r for r in rows)


def main():
    srv = Server()
    with Tui(srv.port, "alice", x=60, y=12) as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        t.wait_text("bob joined")
        for i in range(1, 4):
            bob.say("before clear %d" % i)
        t.wait_text("before clear 3")
        t.type("/clear")
        t.keys("Enter")
        t.wait(lambda rows: not any(shows(rows[1:-1], w) for w in
                                    ("before clear", "bob joined")),
               "an empty message window")
        check(all(r == "" for r in t.screen()[1:-1]),
              "nothing left in view:\n" + t.dump())
        t.keys("PPage")
        t.wait(lambda rows: shows(rows, "<bob> before clear 1") and
               shows(rows, "<bob> before clear 3"),
               "PageUp: the lines from before /clear")
        t.keys("End")
        t.wait(lambda rows: not shows(rows, "before clear"),
               "End: the cleared view again")
        bob.say("after clear")
        t.wait(lambda rows: rows[-2].endswith("<bob> after clear") and
               not shows(rows, "before clear"), "a new line, at the bottom")
        t.keys("PPage")
        t.wait(lambda rows: shows(rows, "<bob> before clear 3"),
               "the old lines are still above")
        t.keys("End")
        t.quit()
        bob.close()
    srv.stop()


run(main)
