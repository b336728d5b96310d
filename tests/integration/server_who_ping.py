#!/usr/bin/env python3
"""who -> users with every name online; ping -> pong."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    check(a.who() == ["alice"], "who lists alice alone")
    b = Client(srv.port)
    b.login("李雷")
    users = a.who()
    check(sorted(users) == sorted(["alice", "李雷"]),
          "who lists both, each once: %r" % users)
    b.ping()
    a.ping()
    b.quit()
    check(a.who() == ["alice"], "who after a quit lists alice alone")
    srv.stop()


run(main)
