"""No UTF-8 locale: the client says so clearly and exits 1 before
drawing anything, and never falls back to writing UTF-8 (mojibake) -
even with Chinese history waiting on the server. It decides before
logging in, so the server never sees the session: nobody else is told
it joined, and no session is left behind to time out."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run, wait_until  # noqa


def main():
    srv = Server()
    bob = Plain(srv.port, "bob")
    bob.say("中文历史")
    bob.wait_line(r"<bob> 中文历史")
    with Tui(srv.port, "ascii", extra_env={"LANG": "C", "LC_ALL": "C"}) as t:
        t.wait_text("CLIENT-EXITED 1")
        t.wait(lambda rows: "not UTF-8" in t.stderr() + "\n".join(rows),
               "the reason")
        check("中文" not in "\n".join(t.screen()), "no UTF-8 text written:\n"
              + t.dump())
        wait_until(lambda: not t.client_pids(), 5.0, "no chat_client left")
        t.check_clean()
    bob.say("/who")
    bob.wait_line(r"-- users: bob$")
    check(not any("ascii" in l for l in bob.lines),
          "the server never saw ascii: %r" % bob.lines)
    bob.close()
    srv.stop()


run(main)
