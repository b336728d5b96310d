#!/usr/bin/env python3
"""Without options the welcome says room "lobby" and heartbeat 5."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    a = Client(srv.port)
    w = a.login("张伟")
    check(w.get("name") == "张伟", "a Chinese name is welcomed: %r" % public(w))
    check(w.get("room") == "lobby", "default room is lobby: %r" % public(w))
    check(w.get("heartbeat") == 5, "default heartbeat is 5: %r" % public(w))
    check(w.get("users") == ["张伟"], "users lists the Chinese name")
    srv.stop()


run(main)
