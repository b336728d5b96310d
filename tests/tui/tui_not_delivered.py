"""A line the server refuses (a /msg to nobody: no_such_user) is marked
as not delivered, in red, in place. When the server goes away, a line
typed meanwhile is shown at once, dim, and stays pending, not failed
(protocol 2: a request is retried for the life of the session and after
logging in again); the status bar says "no answer from server" and the
input stays usable."""

import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Server, Tui, check, run  # noqa


DIM = r"\x1b\[(?:[0-9;]*;)?2m(?:\x1b\[[0-9;]*m)*"


def line_with(t, text):
    return next(l for l in t.tmux("capture-pane", "-p", "-e")
                .split("\n") if text in l)


def main():
    srv = Server("--heartbeat", "1")
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        t.type("/msg nobody are you there")
        t.keys("Enter")
        t.wait(lambda rows: "[not delivered] [private] -> *nobody* are you "
               "there" in "\n".join(rows), "the refused line marked as not "
               "delivered")
        failed = line_with(t, "[not delivered]")
        check("\x1b[31m" in failed or ";31m" in failed or "[1;31" in failed,
              "a failed line is red: %r" % failed)

        srv.stop(sig=signal.SIGKILL, expect_rc=None)
        t.type("lost words")
        t.keys("Enter")
        t.wait_text("<alice> lost words")
        t.wait_input("")
        # Pending: shown at once, dimmed until the server acks it.
        check(re.search(DIM + r"> lost words", line_with(t, "lost words"))
              and "not delivered" not in line_with(t, "lost words"),
              "a dim pending line: %r" % line_with(t, "lost words"))
        t.wait(lambda rows: "no answer from server" in rows[0],
               "the status bar shows the outage", 30)
        # Well past 3 heartbeats and the old 5 tries (7.75 s): still
        # pending, not failed.
        deadline = time.monotonic() + 9
        while time.monotonic() < deadline:
            row = line_with(t, "lost words")
            check("not delivered" not in row and re.search(DIM + r"> lost "
                  r"words", row), "still pending: %r" % row)
            time.sleep(0.5)
        t.type("still typing")
        t.wait_input("still typing")
        t.keys("C-u")
        t.wait_input("")
        t.keys("C-c")
        t.wait_text("CLIENT-EXITED", 15)
        check(not t.client_pids(), "no chat_client left")
        t.check_clean()


run(main)
