#!/usr/bin/env python3
"""The server under valgrind --leak-check=full through login, chat, msg,
rename, who, bad datagrams, quit and SIGTERM: exit 0, no errors, no
definite or indirect leaks. Skips without valgrind or on an ASan build."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import shutil

VALGRIND = ["valgrind", "--leak-check=full", "--error-exitcode=9",
            "--errors-for-leak-kinds=definite,indirect"]


def main():
    if shutil.which("valgrind") is None:
        skip("valgrind is not installed")
    if "asan" in os.path.basename(os.path.normpath(BUILD)).lower():
        skip("an ASan build cannot run under valgrind")
    srv = Server("--history", "2", "--motd", "hi", wrapper=VALGRIND,
                 timeout=60.0)
    a = Client(srv.port)
    a.login("alice")
    b = Client(srv.port)
    b.login("bob")
    a.expect("join", name="bob")
    a.request_ok("chat", text="one")
    a.request_ok("chat", text="two")
    a.request_ok("chat", text="three")
    b.expect("chat", text="three")
    c = Client(srv.port)
    c.login("carol")
    c.expect("chat", text="three", history=True)
    a.request_ok("msg", to="bob", text="private")
    b.expect("msg", text="private")
    a.request_error("msg", "no_such_user", to="nobody", text="x")
    b.request_ok("rename", name="robert")
    a.expect("rename", to="robert")
    check(sorted(c.who()) == ["alice", "carol", "robert"], "who")
    c.ping()
    a.ask_error(b"not json", "bad_json")
    a.ask_error(b'{"type":"chat","token":"' + a.token.encode() +
                b'","id":9,"text":"\xff"}', "bad_utf8")
    x = Client(srv.port)
    x.name = "stranger"
    x.ask_error({"type": "quit", "token": a.token}, "no_session")
    x.ask({"type": "discover", "v": 1}, "here")
    c.quit()
    a.expect("leave", name="carol", reason="quit")
    srv.signal(SIGTERM)
    pump_until([a, b], lambda: a.received("announce") and
               b.received("announce"), 20.0, "the shutdown announce")
    err = srv.stop(expect_rc=None, timeout=60.0)
    rc = srv.proc.returncode
    tail = "\n".join(err.splitlines()[-40:])
    check(rc == 0, "exit status %d under valgrind (9: valgrind found "
          "errors):\n%s" % (rc, tail))
    check("ERROR SUMMARY: 0 errors" in err, "no valgrind errors:\n" + tail)
    check("definitely lost: 0 bytes" in err or
          "All heap blocks were freed" in err, "no definite leak:\n" + tail)
    check("indirectly lost: 0 bytes" in err or
          "All heap blocks were freed" in err, "no indirect leak:\n" + tail)


run(main)
