#!/usr/bin/env python3
"""login or discover with v other than 2 gets bad_version, whose words say
the server speaks protocol version 2, and creates no session. The words
fit the answer to a version 1 client's own login (about 40 bytes, so 3 x
40 = 120 bytes may go back); a smaller request gets the error without
them (no amplification)."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403


def main():
    srv = Server()
    obs = Client(srv.port)
    obs.login("observer")
    for v in (1, 0, 3, 99):
        c = Client(srv.port)
        c.name = "v%d" % v
        e = c.login_error("carol", "bad_version", v=v)
        check("version 2" in e.get("text", ""),
              "bad_version says the server speaks version 2: %r" % public(e))
    x = Client(srv.port)
    x.name = "discover-v1"
    e = x.ask_error(padded({"type": "discover", "v": 1}), "bad_version")
    check("version 2" in e.get("text", ""),
          "a discover of v 1 is told version 2: %r" % public(e))
    # What a version 1 client sends, unpadded: the words still fit.
    for v1 in (b'{"type":"login","v":1,"name":"alice"}',
               b'{"type":"discover","v":1}'.ljust(40)):
        e = x.ask_error(v1, "bad_version")
        check("version 2" in e.get("text", ""),
              "%d bytes of v 1 get the words too: %r" % (len(v1), public(e)))
    # Smaller: the code alone.
    for small in (b'{"type":"discover","v":1}', b'{"v":1,"type":"login"}'):
        e = x.ask_error(small, "bad_version")
        check("text" not in e and len(e["_raw"]) <= 3 * len(small),
              "%d bytes get the code without words: %r" %
              (len(small), public(e)))
    check(obs.who() == ["observer"], "bad_version created no session")
    c = Client(srv.port)
    w = c.login("carol")
    check(w.get("name") == "carol", "carol logs in with v 2 afterwards")
    obs.expect("join", name="carol")
    srv.stop()


run(main)
