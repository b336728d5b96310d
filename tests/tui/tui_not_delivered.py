"""When the server goes away, a line typed meanwhile is shown at once
and then marked as not delivered (the pending line is redrawn in
place by mark()), the status bar says "no answer from server" after
three silent heartbeats, and the input stays usable."""

import os
import re
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Server, Tui, check, run  # noqa


def main():
    srv = Server("--heartbeat", "1")
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        srv.stop(sig=signal.SIGKILL, expect_rc=None)
        t.type("lost words")
        t.keys("Enter")
        t.wait_text("<alice> lost words")
        t.wait_input("")
        # Pending: shown at once, dimmed until the server acks it.
        pending = next(l for l in t.tmux("capture-pane", "-p", "-e")
                       .split("\n") if "lost words" in l)
        check(re.search(r"\x1b\[(?:[0-9;]*;)?2m(?:\x1b\[[0-9;]*m)*"
                        r"> lost words", pending) and
              "not delivered" not in pending, "a dim pending line: %r"
              % pending)
        t.wait(lambda rows: "[not delivered] <alice> lost words" in
               "\n".join(rows), "the line marked as not delivered", 30)
        failed = next(l for l in t.tmux("capture-pane", "-p", "-e")
                      .split("\n") if "[not delivered]" in l)
        check("\x1b[31m" in failed or ";31m" in failed or "[1;31" in failed,
              "a failed line is red: %r" % failed)
        t.wait(lambda rows: "no answer from server" in rows[0],
               "the status bar shows the outage", 30)
        t.type("still typing")
        t.wait_input("still typing")
        t.keys("C-u")
        t.wait_input("")
        t.keys("C-c")
        t.wait_text("CLIENT-EXITED", 15)
        check(not t.client_pids(), "no chat_client left")
        t.check_clean()


run(main)
