#!/usr/bin/env python3
"""A --motd the server accepts must still let everyone log in: with a
motd of characters JSON must escape ('"' and \\) the server either refuses
it at start (exit 2, one line) or sends every login a welcome that fits
in 1400 bytes."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403



def main():
    for motd in ('"' * 1000, "\\" * 700, 'say "hi" ' * 100):
        rc, out, err = None, "", ""
        try:
            srv = Server("--motd", motd)
        except TestFailure as e:
            log("refused at start: %s" % e)
            rc, out, err = run_server_cmd(["-b", "127.0.0.1", "-p", "0",
                                           "--motd", motd], 5.0)
            check(rc == 2, "a refused --motd exits 2, got %r" % rc)
            continue
        a = Client(srv.port)
        a.name = "alice with a %d-byte motd" % len(motd.encode())
        w = a.login("中" * 16)          # the longest name, too
        check(len(w["_raw"]) <= 1400, "the welcome fits")
        check(isinstance(w.get("motd", ""), str), "motd is a string")
        b = Client(srv.port)
        b.login("bob")
        srv.stop()


run(main)
