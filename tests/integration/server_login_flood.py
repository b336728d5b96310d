#!/usr/bin/env python3
"""A login flood that never completes (issue 9: it left 6 of 8 real logins
unanswered for 40 s): 1000 source ports of 127.0.0.1, in 10 rounds of 100
sockets 0.1 s apart, each sending 3 logins without a cookie and never
coming back: 3000 datagrams in about a second. Meanwhile a real client logs in
(the cookie round trip) and must have its welcome within 2 s; the flood
makes no session, and the room works on."""

import os
import select
import socket
import sys
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

PORTS = 1000
ROUND = 100          # sockets open at once
GAP_S = 0.1          # between rounds, spent reading the real client
EACH = 3             # logins per socket
ANSWER_S = 2.0


def flood_round(port, k0):
    """ROUND sockets, EACH logins each, then closed: never come back."""
    socks = []
    for k in range(k0, k0 + ROUND):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        socks.append((s, padded({"type": "login", "v": 2,
                                 "name": "flood%d" % k})))
    for _ in range(EACH):
        for s, data in socks:
            s.sendto(data, ("127.0.0.1", port))
    ports = set(s.getsockname()[1] for s, _ in socks)
    for s, _ in socks:
        s.close()
    return ports


def real_login(real, wait):
    """Drives the real client's login for up to wait seconds: returns the
    welcome if it came, after answering a cookie with the login that
    carries it."""
    deadline = time.monotonic() + wait
    while True:
        r, _, _ = select.select([real.sock], [], [],
                                max(0.0, deadline - time.monotonic()))
        if not r:
            return None
        m = real._recv_ready(0)
        if m["type"] == "cookie":
            real.cookie = m["cookie"]
            real.send_login(real.login_obj("student"))
        elif m["type"] == "welcome":
            return m


def main():
    srv = Server()
    obs = Client(srv.port)
    obs.login("observer")
    real = Client(srv.port)
    real.name = "student"

    ports = set()
    t0 = None
    welcome = None
    started = time.monotonic()
    for k0 in range(0, PORTS, ROUND):
        ports |= flood_round(srv.port, k0)
        if t0 is None and k0 >= PORTS // 3:
            # The real login starts in the thick of it.
            t0 = time.monotonic()
            real.send_login(real.login_obj("student"))
        if t0 is not None and welcome is None:
            welcome = real_login(real, GAP_S)
            if welcome is not None:
                log("welcome after %.3f s, mid-flood" %
                    (time.monotonic() - t0))
        else:
            real_login(real, GAP_S)
    flood_s = time.monotonic() - started
    log("flood: %d ports, %d logins in %.2f s" % (len(ports),
                                                  PORTS * EACH, flood_s))
    check(len(ports) >= PORTS * 9 // 10, "the flood came from about %d "
          "ports: %d" % (PORTS, len(ports)))
    if welcome is None:
        welcome = real_login(real, max(0.0, t0 + ANSWER_S - time.monotonic()))
    took = time.monotonic() - t0
    check(welcome is not None and took <= ANSWER_S,
          "the real login is answered within %.1f s (took %.3f s)" %
          (ANSWER_S, took))
    real.token = welcome["token"]
    obs.expect("join", name="student")
    check(sorted(obs.who()) == ["observer", "student"],
          "the flood made no session")
    real.request_ok("chat", text="made it")
    obs.expect("chat", text="made it")
    check("flood" not in srv.stderr(), "the flood left no log line")
    srv.stop()


run(main)
