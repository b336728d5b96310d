#!/usr/bin/env python3
"""The control socket serves a few connections at once. Connections of
the server's own user that are left open and silent (a stuck or stopped
caller) must not lock the operator out: while they are fresh a caller is
told the server is busy (not "no answer"), and once they have been
silent for 5 s a new caller takes the place of one and is served."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

CONNS = 4   # ANNOUNCE_CONNS in chat_server/announce.h


def main():
    srv = Server()
    a = Client(srv.port)
    a.login("alice")
    name = control_path(srv.port)
    idle = []
    for i in range(CONNS):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.connect(name)
        idle.append(s)
    t0 = time.monotonic()
    rc, out, err = run_server_cmd(["-p", str(srv.port), "--announce",
                                   "while busy"])
    log("while busy: exit %d: %s" % (rc, err.strip()))
    if time.monotonic() - t0 < 4.0:
        check(rc != 0 and "busy" in err,
              "a caller is told the server is busy: %d %r" % (rc, err))

    def announced():
        rc, out, err = run_server_cmd(["-p", str(srv.port), "--announce",
                                       "let in"])
        return rc == 0
    wait_until(announced, 15.0, "--announce to get in past the idle "
               "connections", interval=0.5)
    took = time.monotonic() - t0
    log("served after %.1f s" % took)
    a.expect("announce", text="let in")
    check(a.received("announce", text="while busy") == [] or rc == 0,
          "nothing announced while refused")
    for s in idle:
        s.close()
    srv.stop()


run(main)
