#!/usr/bin/env python3
"""A client that was away long enough to be expired (its processes
stopped, as Ctrl-Z does) logs in again when it resumes. The server
replays its history to the new session; the client shows only what the
user has not seen: the line said while it was away, not the lines
already on screen (neither another user's nor its own, nor an action or
an announcement: protocol 2 replays those too, each with its mid, and the
client remembers the mids it has shown in this run of the server).
"""
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, check, log, run  # noqa: E402
from clienttest import TIME_RE, PlainClient, children_of  # noqa: E402

T = "^" + TIME_RE + " "


def main():
    srv = Server("--heartbeat", "1", stdin=True)
    try:
        w = PlainClient(srv.port, "watcher")
        t = PlainClient(srv.port, "talker")
        w.wait_line(T + r"-- talker joined$")
        t.say("seen before the pause")
        w.wait_line(T + r"<talker> seen before the pause$")
        w.say("my own line")
        w.wait_line(T + r"<watcher> my own line$")
        t.wait_line(T + r"<watcher> my own line$")
        t.say("/me nods")
        w.wait_line(T + r"\* talker nods$")
        srv.announce("notice before the pause")
        w.wait_line(T + r"!! notice before the pause$")

        pids = [w.pid] + children_of(w.pid)
        check(len(pids) == 2, "watcher runs as two processes: %r" % pids)
        for p in pids:
            os.kill(p, signal.SIGSTOP)
        t.wait_line(T + r"-- watcher left \(timeout\)$", 15.0)
        t.say("said while away")
        t.wait_line(T + r"<talker> said while away$")
        for p in pids:
            os.kill(p, signal.SIGCONT)

        w.wait_line(T + r"-- reconnected$", 10.0)
        w.wait_line(T + r"\[history\] <talker> said while away$", 10.0)
        # The replay is in order and ends with the line said while away,
        # so everything before it has been judged by now.
        for pat in (r"<talker> seen before the pause$",
                    r"<watcher> my own line$", r"\* talker nods$",
                    r"!! notice before the pause$"):
            got = w.matching(pat)
            check(len(got) == 1, "shown once, not replayed: %r" % got)
        log("after the re-login the watcher saw only the missed line")
        w.quit()
        t.quit()
    finally:
        srv.stop()


if __name__ == "__main__":
    run(main)
