#!/usr/bin/env python3
"""The server restarts mid-conversation on the same port: the clients
get no_session (on their next chat or ping), log in again by themselves
with the same name, show "-- reconnected", and the next lines get
through both ways. A line typed while the server was down is resent in
the new session and acked once.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, check, log, run  # noqa: E402
from clienttest import TIME_RE, PlainClient  # noqa: E402

T = "^" + TIME_RE + " "


def main():
    srv = Server("--heartbeat", "1")
    port = srv.port
    srv2 = None
    try:
        a = PlainClient(port, "alice")
        b = PlainClient(port, "bob")
        a.wait_line(T + r"-- bob joined$")
        a.say("before restart")
        b.wait_line(T + r"<alice> before restart$")
        a.wait_line(T + r"<alice> before restart$")

        srv.stop()
        a.say("while down")         # retransmitted until the server is back
        srv2 = Server("--heartbeat", "1", port=port)
        a.wait_line(T + r"-- reconnected$", 10.0)
        b.wait_line(T + r"-- reconnected$", 10.0)
        a.wait_line(T + r"<alice> while down$", 10.0)
        log("both reconnected to the restarted server on port %d" % port)

        a.say("after restart 1")
        b.wait_line(T + r"<alice> after restart 1$")
        b.say("after restart 2 重连")
        a.wait_line(T + r"<bob> after restart 2 重连$")
        check(len(a.matching(r"<alice> while down$")) == 1,
              "the line typed while down was shown once")
        check(len(a.matching(r"-- reconnected$")) == 1 and
              len(b.matching(r"-- reconnected$")) == 1,
              "one reconnect each")
        a.quit()
        b.wait_line(T + r"-- alice left \(quit\)$")
        b.quit()
    finally:
        if srv2 is not None:
            srv2.stop()
        elif srv.alive():
            srv.stop()


if __name__ == "__main__":
    run(main)
