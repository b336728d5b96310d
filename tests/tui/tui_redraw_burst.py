"""A burst of 200 chats is drawn in a few repaints, not one per line:
the network process's events only mark what changed and it draws once
per loop turn (tmux's server_client_check_redraw). The count comes from
CHAT_CLIENT_DEBUG_DRAWS; every line still reaches the screen, in order."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import BUILD, Senders, Server, Tui, check, log, run  # noqa

LINES = 200


def main():
    srv = Server()
    path = os.path.join(BUILD, "test-logs", "draws-%d" % os.getpid())
    with Tui(srv.port, "alice", x=80, y=24,
             extra_env={"CHAT_CLIENT_DEBUG_DRAWS": path}) as t:
        t.ready("alice")
        # The server lets one sender burst 20 lines: ten senders.
        senders = Senders(srv.port, ["tx%d" % i for i in range(10)])
        for i in range(LINES):
            senders.chat(i, "line %03d" % i)
        t.wait_text("line %03d" % (LINES - 1))
        rows = [r for r in t.screen() if "line " in r]
        nums = [int(r.split("line ")[1][:3]) for r in rows]
        check(nums == sorted(nums) and len(nums) >= 20,
              "the newest lines, in order:\n" + t.dump())
        t.keys("C-c")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
        senders.close()
    srv.stop()
    with open(path) as f:
        shows, draws = (int(x) for x in f.read().split())
    os.unlink(path)
    log("%d lines shown in %d repaints" % (shows, draws))
    check(shows >= LINES, "%d lines shown, %d sent" % (shows, LINES))
    # One repaint a line would be 200 and more; a handful is usual.
    check(draws < LINES // 4, "%d lines took %d repaints" % (shows, draws))


run(main)
