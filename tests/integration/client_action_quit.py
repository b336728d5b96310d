#!/usr/bin/env python3
"""/me and /quit TEXT between two real clients through the real server
(protocol 2): alice's /me waves is shown as "* alice waves" at bob and
at alice, and her /quit see you tomorrow reaches bob as
"-- alice left (quit: see you tomorrow)". A /quit without words is the
plain "(quit)" as before. Needs the server side of protocol 2 (action
forwarded, the quit's words in leave)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, run  # noqa: E402
from clienttest import TIME_RE, PlainClient  # noqa: E402

T = "^" + TIME_RE + " "


def main():
    srv = Server()
    try:
        a = PlainClient(srv.port, "alice")
        b = PlainClient(srv.port, "bob")
        c = PlainClient(srv.port, "carol")
        a.wait_line(T + r"-- carol joined$")
        a.say("/me waves")
        a.wait_line(T + r"\* alice waves$")
        b.wait_line(T + r"\* alice waves$")
        c.wait_line(T + r"\* alice waves$")
        a.send("/quit see you tomorrow")
        a.finish()
        b.wait_line(T + r"-- alice left \(quit: see you tomorrow\)$")
        c.quit()
        b.wait_line(T + r"-- carol left \(quit\)$")
        b.quit()
    finally:
        srv.stop()


if __name__ == "__main__":
    run(main)
