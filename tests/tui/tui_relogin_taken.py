"""While a re-login is refused with name_taken, the status bar says so
("reconnecting: name alice still taken, retrying") and the client stays;
once the name frees it is back ("connected", "-- reconnected").

As in tests/integration/client_relogin_taken.py: alice's client is
paused until the server expires her, an impostor (a raw socket) takes
her name, she resumes; the impostor pings until alice has shown the
status, then falls silent and is expired.
"""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, TestFailure, Tui, check, log, run  # noqa
from chattest import Client  # noqa  (tuitest put tests/lib on the path)

STATUS = "reconnecting: name alice still taken, retrying"


def main():
    srv = Server("--heartbeat", "1")
    with Tui(srv.port, "alice") as t:
        t.ready("alice")
        bob = Plain(srv.port, "bob")
        t.wait_text("bob joined")
        pids = t.roles()
        for p in pids:
            os.kill(p, signal.SIGSTOP)
        bob.wait_line(r"-- alice left \(timeout\)$", 15.0)
        imp = Client(srv.port)
        imp.login("alice")
        for p in pids:
            os.kill(p, signal.SIGCONT)

        deadline = time.monotonic() + 15.0
        while STATUS not in t.screen()[0]:
            if time.monotonic() > deadline:
                raise TestFailure("no %r in the status bar:\n%s" %
                                  (STATUS, t.dump()))
            imp.ping()
            imp.drop()
            time.sleep(0.1)
        log("status: %r" % t.screen()[0])
        t.wait_text("-- reconnecting: name alice still taken")
        check(all(os.path.exists("/proc/%d" % p) for p in pids),
              "the client stays")

        # The impostor stops pinging; the server expires it.
        t.wait(lambda rows: " connected " in rows[0] and
               "taken" not in rows[0], "the status back to connected", 20.0)
        t.wait_text("-- reconnected")
        bob.say("hello again")
        t.wait_text("<bob> hello again")
        imp.close()
        bob.close()
        t.check_clean()
    srv.stop()


run(main)
