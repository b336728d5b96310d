#!/usr/bin/env python3
"""Started with stdin closed (`chat_client --plain ... <&-`), the client
must not take the UDP socket as its standard input: it would read the
server's datagrams as typed lines ("error: message is 7999 bytes") and
steal them from the network process. A closed stdin is the end of
input: it logs in, shows the room, quits (the others see "left
(quit)") and exits 0."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import CLIENT_BIN, Server, check, log, run  # noqa: E402
from clienttest import PlainClient  # noqa: E402


def main():
    srv = Server()
    try:
        watcher = PlainClient(srv.port, "watcher")
        watcher.say("some history")
        watcher.wait_line(r"<watcher> some history$")
        p = subprocess.run(
            [CLIENT_BIN, "--plain", "-s", "127.0.0.1:%d" % srv.port, "-n",
             "closedin"], preexec_fn=lambda: os.close(0),
            capture_output=True, timeout=10)
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        log("exit %d\nstdout:\n%s\nstderr:\n%s" % (p.returncode, out, err))
        check(p.returncode == 0, "exit status %d" % p.returncode)
        check("-- connected to 127.0.0.1:%d as closedin" % srv.port in out,
              "logged in")
        check("[history] <watcher> some history" in out, "history shown")
        check("error:" not in out, "nothing read as a typed line")
        watcher.wait_line(r"-- closedin joined$")
        watcher.wait_line(r"-- closedin left \(quit\)$")
        watcher.quit()
    finally:
        srv.stop()


if __name__ == "__main__":
    run(main)
