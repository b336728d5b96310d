#!/usr/bin/env python3
"""login with v other than 1 gets bad_version and creates no session."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    obs = Client(srv.port)
    obs.login("observer")
    for v in (2, 0, 99):
        c = Client(srv.port)
        c.name = "v%d" % v
        c.login_error("carol", "bad_version", v=v)
    check(obs.who() == ["observer"], "bad_version created no session")
    c = Client(srv.port)
    w = c.login("carol")
    check(w.get("name") == "carol", "carol logs in with v 1 afterwards")
    obs.expect("join", name="carol")
    srv.stop()


run(main)
