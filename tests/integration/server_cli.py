#!/usr/bin/env python3
"""--help prints usage and exits 0; -V exits 0; a bad option or a missing
argument exits 2 with one line."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    for opt in ("--help", "-h"):
        rc, out, err = run_server_cmd([opt])
        check(rc == 0, "%s exits 0, got %d" % (opt, rc))
        text = out + err
        check("usage" in text.lower(), "%s prints usage: %r" % (opt, text))
        for o in ("--port", "--room", "--heartbeat", "--max-clients",
                  "--max-per-host"):
            check(o in text, "%s mentions %s" % (opt, o))
    rc, out, err = run_server_cmd(["-V"])
    check(rc == 0 and (out + err).strip(), "-V prints a version and exits 0")
    for args in (["--bogus"], ["-Z"], ["--port"], ["--heartbeat"],
                 ["--max-per-host", "0"], ["--max-per-host", "x"],
                 ["--max-per-host"]):
        rc, out, err = run_server_cmd(args)
        lines = [l for l in (out + err).splitlines() if l.strip()]
        log("%r -> %d %r" % (args, rc, lines))
        check(rc == 2, "%r exits 2, got %d" % (args, rc))
        check(len(lines) == 1, "%r prints one line, got %r" % (args, lines))
    # A refused value is repeated made safe: no escape, no bidi control.
    rc, out, err = run_server_cmd(["--room", "a\u202eb\x1b[31m"])
    check(rc == 2 and "a\ufffdb^[[31m" in err and "\x1b" not in err and
          "\u202e" not in err, "the bad --room is shown safe: %r" % err)
    # A room may hold a bidi mark; the start-up line shows it as U+FFFD.
    srv = Server("--room", "a\u200eb")
    line = srv.stderr().splitlines()[0]
    check("(room a\ufffdb," in line and "\u200e" not in line,
          "the listening line neutralises the mark: %r" % line)
    srv.stop()


run(main)
