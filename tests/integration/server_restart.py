#!/usr/bin/env python3
"""Tokens do not survive a restart: a new server on the same port answers
the old token with no_session, and the same name logs in again."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    port = srv.port
    a = Client(port)
    w1 = a.login("alice")
    a.ping()
    srv.stop()

    srv = Server(port=port)
    check(srv.port == port, "the new server is on the same port")
    a.drop()
    a.ask_error({"type": "ping", "token": a.token}, "no_session")
    a.ask_error({"type": "chat", "token": a.token, "id": 1, "text": "x"},
                "no_session")
    w2 = a.login("alice")
    check(w2["token"] != w1["token"], "a new token after the restart")
    check(w2.get("users") == ["alice"], "the new server knows only alice")
    srv.stop()


run(main)
