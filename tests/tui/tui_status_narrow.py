"""At 36 columns the status bar still says the server is not answering:
the connection state comes first, so a narrow terminal cuts the room,
name or address, not the warning. Before, "no answer from server"
came after room, name and user count and was cut off."""

import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Server, Tui, check, run  # noqa


def main():
    srv = Server("--heartbeat", "1")
    with Tui(srv.port, "alexandra", x=36, y=10) as t:
        t.ready("alexandra")
        check(t.screen()[0] == " connected  #lobby  alexandra  1 onl",
              "connected, then room, name, users:\n" + t.dump())
        srv.signal(signal.SIGSTOP)
        t.wait(lambda rows: rows[0].startswith(" no answer from server"),
               "the whole warning at 36 columns", 30.0)
        srv.signal(signal.SIGCONT)
        t.wait(lambda rows: rows[0].startswith(" connected  #lobby  alexandra"), "connected again")
        t.check_clean()
    srv.stop()


run(main)
