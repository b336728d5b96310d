"""The unread marker and the activity count. When the terminal says it
lost focus (mode 1004: ESC[O, sent here as the terminal would) and a
line comes, "-- new since you left --" goes in before it and the status
bar counts the unseen lines ("+2") until focus comes back (ESC[I); a
focus lost and regained with nothing new adds no marker. After Ctrl-Z
and fg (bash in the pane), the lines that came meanwhile follow a new
marker."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import (PROMPT, Plain, Server, ShellTui, check, run,  # noqa
                     stopped_shell, wait_until)

MARK = "-- new since you left --"


def marker_rows(rows):
    return [i for i, r in enumerate(rows) if MARK in r]


def acked(srv, text):
    """Some client acked the chat holding text (the server's --trace)."""
    err = srv.stderr()
    m = re.search(r"out (\S+) (\{\"type\":\"chat\".*%s.*)" %
                  re.escape(text), err)
    if m is None:
        return False
    seq = re.search(r"\"seq\":(\d+)", m.group(2)).group(1)
    return re.search(r"in %s \{\"type\":\"ack\".*\"seq\":%s\b" %
                     (re.escape(m.group(1)), seq), err) is not None


def focus(t, report):
    """Sends a focus report as the terminal would, and a key after it:
    once the key shows, the report has been read."""
    t.type(report + "x")
    t.wait_input("x")
    t.keys("BSpace")
    t.wait_input("")


def main():
    srv = Server("--trace")
    with ShellTui(srv.port, "alice") as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        t.wait_text("bob joined")
        bob.say("before you left")
        t.wait_text("<bob> before you left")

        focus(t, "\x1b[O")
        bob.say("while away 1")
        bob.say("while away 2")
        t.wait_text("<bob> while away 2")
        rows = t.screen()
        marks = marker_rows(rows)
        check(len(marks) == 1, "one marker:\n" + t.dump())
        check("before you left" in rows[marks[0] - 1] and
              "while away 1" in rows[marks[0] + 1],
              "the marker sits where the user left:\n" + t.dump())
        t.wait(lambda rows: "+2" in rows[0], "+2 in the status bar")
        focus(t, "\x1b[I")
        t.wait(lambda rows: "+2" not in rows[0], "focus back: seen")

        # Away and back with nothing new: no second marker.
        focus(t, "\x1b[O")
        focus(t, "\x1b[I")
        bob.say("after you came back")
        t.wait_text("<bob> after you came back")
        check(len(marker_rows(t.screen())) == 1, "still one marker:\n" +
              t.dump())

        t.keys("C-z")
        t.wait(stopped_shell, "the shell's prompt and 'Stopped'")
        check(t.tmux("display", "-p", "#{mouse_standard_flag}").strip() ==
              "0", "the shell gets no mouse reports while we are stopped")
        bob.say("during the stop")
        wait_until(lambda: acked(srv, "during the stop"), 10,
                   "alice's network process has the line")
        t.type("fg")
        t.keys("Enter")
        t.wait_text("<bob> during the stop")
        t.wait(lambda rows: t.tmux("display", "-p", "#{mouse_standard_flag}")
               .strip() == "1", "mouse reports again after fg")
        rows = t.screen()
        marks = marker_rows(rows)
        check(len(marks) == 2, "a second marker:\n" + t.dump())
        check("after you came back" in rows[marks[1] - 1] and
              "during the stop" in rows[marks[1] + 1],
              "the marker before what came during the stop:\n" + t.dump())
        t.keys("C-d")
        t.wait(lambda rows: [r for r in rows if r][-1] == PROMPT,
               "the shell's prompt once the client has quit")
        wait_until(lambda: not t.client_pids(), 5, "the client exits")
        t.check_clean()
        bob.close()
    srv.stop()


run(main)
