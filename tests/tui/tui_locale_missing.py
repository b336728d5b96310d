"""A locale that is not installed (LANG=en_US.UTF-8 on a system without
its locale data, as on a fresh Debian): when it names UTF-8 the client
starts all the same, with C.UTF-8's character set, and Chinese goes
through both ways. One that does not name UTF-8 is refused, saying which
setting names a locale that is missing rather than blaming the terminal
for "ANSI_X3.4-1968"."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tuitest import Plain, Server, Tui, check, run  # noqa

MISSING = "xx_YY.UTF-8"     # no system has it


def main():
    srv = Server()
    bob = Plain(srv.port, "bob")
    bob.say("中文历史")
    bob.wait_line(r"<bob> 中文历史")
    with Tui(srv.port, "alice",
             extra_env={"LC_ALL": "", "LANG": MISSING}) as t:
        t.ready("alice")
        t.wait_text("<bob> 中文历史")
        t.type("你好")
        t.keys("Enter")
        bob.wait_line(r"<alice> 你好$")
        t.keys("C-d")
        t.wait_text("CLIENT-EXITED 0")
        t.check_clean()
    with Tui(srv.port, "carol",
             extra_env={"LC_ALL": "", "LANG": "xx_YY.ISO-8859-1"}) as t:
        t.wait_text("CLIENT-EXITED 1")
        err = t.stderr()
        check("LANG=xx_YY.ISO-8859-1 is not installed" in err,
              "names the missing locale: %r" % err)
        check("ANSI_X3.4-1968" not in err, "no charset jargon: %r" % err)
        t.check_clean()
    bob.close()
    srv.stop()


run(main)
