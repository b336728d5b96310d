#!/usr/bin/env python3
"""The reader of a plain client's output goes away (a bot at the end of
a pipe crashed, `chat_client --plain | head -1`) while its stdin stays
open: the client leaves the room as on SIGHUP (the others see
"left (quit)") and exits 0, instead of staying online unseen, holding
its name, for as long as stdin lasts."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import Server, check, run  # noqa: E402
from clienttest import PlainClient, gone, wait_for  # noqa: E402


def main():
    srv = Server()
    try:
        watcher = PlainClient(srv.port, "watcher")
        bot = PlainClient(srv.port, "bot")
        watcher.wait_line(r"-- bot joined$")
        bot.wait_line(r"-- connected to ")
        child = bot.child
        # The reader ends; stdin stays open.
        bot.proc.stdout.close()
        watcher.say("anyone there?")
        watcher.wait_line(r"-- bot left \(quit\)$", timeout=5.0)
        rc = bot.wait_exit(5.0)
        wait_for(lambda: gone(child), 5.0, "the network process to end")
        check(rc == 0, "exit status %d after its reader left" % rc)
        err = bot.stderr()
        check("Sanitizer" not in err and "runtime error" not in err,
              "clean stderr: %r" % err)
        watcher.quit()
    finally:
        srv.stop()


if __name__ == "__main__":
    run(main)
