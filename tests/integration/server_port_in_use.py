#!/usr/bin/env python3
"""Binding a port already in use exits 1 with words saying it is in use."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import socket


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    rc, out, err = run_server_cmd(["-b", "127.0.0.1", "-p", str(port)], 5.0)
    log("exit %d: %r" % (rc, err))
    check(rc == 1, "exit status 1, got %d" % rc)
    check("in use" in (out + err).lower(), "says the port is in use: %r" % err)
    s.close()

    srv = Server()
    rc, out, err = run_server_cmd(["-b", "127.0.0.1", "-p", str(srv.port)],
                                  5.0)
    check(rc == 1, "a second server on the same port exits 1, got %d" % rc)
    check("in use" in (out + err).lower(), "says in use: %r" % err)
    a = Client(srv.port)
    a.login("alice")
    srv.stop()


run(main)
