"""The mouse wheel scrolls the message window, three rows a notch, as
in WeeChat with its mouse on: up shows older lines with the "more
below" marker, down comes back to the newest. The wheel events are
sent as the terminal sends them (xterm's mouse reports, ESC [ M with
button 64 or 65 + 32), since tmux sends no mouse event to a detached
pane; a click is reported too and means nothing. The input line is
untouched. Mouse reports are on while the client runs, off after it;
/mouse turns them off and on.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Senders, Server, Tui, check, run  # noqa

WHEEL_UP = "\x1b[M`(("
WHEEL_DOWN = "\x1b[Ma(("
CLICK = "\x1b[M ((\x1b[M#(("      # left button press, then release


def mouse_flag(t):
    return t.tmux("display", "-p", "#{mouse_standard_flag}").strip()


def main():
    srv = Server()
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        check(mouse_flag(t) == "1", "the client asks for mouse reports")
        senders = Senders(srv.port, ["tx1", "tx2", "tx3"])
        for i in range(40):
            senders.chat(i, "wheel line %02d" % i)
        t.wait_text("wheel line 39")
        t.type("draft")
        t.wait_input("draft")
        t.type(CLICK)
        t.wait_input("draft")
        check("more below" not in "\n".join(t.screen()),
              "a click does not scroll:\n" + t.dump())
        t.type(WHEEL_UP)
        t.wait(lambda rows: "more below" in rows[-2] and
               "wheel line 35" in rows[-3], "three rows up (the marker "
               "covers one)")
        t.type(WHEEL_UP)
        t.wait(lambda rows: "wheel line 32" in rows[-3], "three more")
        t.type(WHEEL_DOWN)
        t.wait(lambda rows: "wheel line 35" in rows[-3], "down three")
        t.type(WHEEL_DOWN)
        t.wait(lambda rows: "more below" not in rows[-2] and
               "wheel line 39" in rows[-2], "the newest again")
        t.wait_input("draft")

        # /mouse: reports off (a plain drag selects), then on again.
        t.keys("C-u")
        t.type("/mouse")
        t.keys("Enter")
        t.wait_text("-- mouse off: a drag selects text")
        check(mouse_flag(t) == "0", "/mouse turns mouse reports off")
        t.type("/mouse")
        t.keys("Enter")
        t.wait_text("-- mouse on: the wheel scrolls")
        check(mouse_flag(t) == "1", "and on again")
        t.type(WHEEL_UP)
        t.wait(lambda rows: "more below" in rows[-2], "the wheel scrolls")
        t.keys("C-c")
        t.wait_text("CLIENT-EXITED 0")
        check(mouse_flag(t) == "0", "mouse reports are off after the client")
        t.check_clean()
        senders.close()
    srv.stop()


run(main)
