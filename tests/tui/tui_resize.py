"""Resizing the window from 80x24 to 40x12: both processes lay out
again, nothing from the old size is left, the status bar is on top,
the newest lines are just above the input, and the half-typed input and
its cursor are kept; growing back to 80x24 shows all of a long input
again; Enter still sends it."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, display_width, log, run  # noqa

CN = "中文消息：窗口变小以后，这一行应该重新换行，而且不能留下旧的内容。"


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        t.wait_text("bob joined")
        for i in range(15):
            bob.say("before resize %02d " % i + "x" * 40)
        bob.say(CN)
        t.wait_text("<bob> 中文消息")
        t.type("kept 输入")
        t.wait_input("kept 输入")
        t.tmux("resize-window", "-x", "40", "-y", "12")

        def consistent(rows):
            return (len(rows) == 12 and rows[0].startswith(" connected  #lobby  alice")
                    and rows[-1] == "> kept 输入"
                    and all(display_width(r) <= 40 for r in rows)
                    and "内容。" in rows[-2]
                    and t.cursor() == (11, 11))
        t.wait(consistent, "a consistent 40x12 screen")
        rows = t.screen()
        # The CJK line re-wrapped at 40 columns, nothing cut at column 40.
        first = next(i for i, r in enumerate(rows) if "<bob> 中文" in r)
        text = rows[first].split("<bob> ", 1)[1] + "".join(
            r.strip() for r in rows[first + 1:-1])
        check(text == CN, "re-wrapped text intact:\n" + t.dump())
        for r in rows[1:first]:
            # A row of x is a word too long for the indented column: it
            # has full rows from column 0 (tui_wrap_url).
            check(r == "" or r.startswith(" ") or r[:2].isdigit() or
                  set(r) == {"x"},
                  "no leftover from the old size: %r\n%s" % (r, t.dump()))
        log("40x12 after resize:\n" + t.dump())
        # A line longer than 40 columns scrolls sideways; growing the
        # window again brings its start back.
        t.type(" ok " + "y" * 40)
        t.wait(lambda rows: rows[-1].endswith("y" * 30) and
               "kept" not in rows[-1], "the input scrolled sideways")
        t.tmux("resize-window", "-x", "80", "-y", "24")
        t.wait_input("kept 输入 ok " + "y" * 40)
        t.wait(lambda rows: rows[0].startswith(" connected  #lobby  alice") and
               "容。" in rows[-2], "the 80x24 layout again")
        t.keys("Enter")
        bob.wait_line(r"<alice> kept 输入 ok y{40}$")
        t.wait_input("")
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        bob.close()
    srv.stop()


run(main)
