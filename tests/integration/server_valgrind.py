#!/usr/bin/env python3
"""The server under valgrind --leak-check=full through login, chat, msg,
rename, who, bad datagrams, requests held early (one still held at exit),
quit with words, a resumed login, the operator's console (/who, /help,
an unknown command, an overlong line, /kick), --kick, kicked sessions
(answered with their leave, gone on ack or quit, one still there at
exit), a transcript, and SIGTERM: exit 0, no errors, no definite or
indirect leaks. Skips without valgrind or on an ASan build."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import shutil
import tempfile

VALGRIND = ["valgrind", "--leak-check=full", "--error-exitcode=9",
            "--errors-for-leak-kinds=definite,indirect"]


def main():
    if shutil.which("valgrind") is None:
        skip("valgrind is not installed")
    if "asan" in os.path.basename(os.path.normpath(BUILD)).lower():
        skip("an ASan build cannot run under valgrind")
    tmp = tempfile.mkdtemp()
    transcript = os.path.join(tmp, "room.jsonl")
    # valgrind cannot run a program under a seccomp filter.
    srv = Server("--no-sandbox", "--history", "2", "--motd", "hi", "--transcript",
                 transcript, stdin=True, wrapper=VALGRIND, timeout=60.0)
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
    c.login("carol", cid="00112233aabbccdd")
    c.expect("chat", text="three", history=True)
    a.request_ok("msg", to="bob", text="private")
    b.expect("msg", text="private")
    a.request_error("msg", "no_such_user", to="nobody", text="x")
    b.request_ok("rename", name="robert")
    a.expect("rename", to="robert")
    check(sorted(c.who()) == ["alice", "carol", "robert"], "who")
    c.ping()
    a.ask_error(b"this is not json", "bad_json")    # too small for words
    a.ask_error(b"not json".ljust(PAD_MIN), "bad_json")
    a.ask_error(b'{"type":"chat","token":"' + a.token.encode() +
                b'","id":9,"text":"\xff"}', "bad_utf8")
    x = Client(srv.port)
    x.name = "stranger"
    x.ask_error({"type": "quit", "token": a.token}, "no_session")
    x.ask({"type": "discover", "v": 2}, "here")
    a.req("chat", id=a.next_id + 1, text="early")     # held until ...
    a.request_ok("chat", text="in order")              # ... this fills the gap
    a.new_id()
    b.expect("chat", text="early")
    c.req("quit", text="see you")
    c.expect("bye")
    a.expect("leave", name="carol", reason="quit", text="see you")
    c = Client(srv.port)
    w = c.login("carol", cid="00112233aabbccdd")
    check(w.get("next_id") == 1, "carol sent nothing: %r" % public(w))
    a.expect("join", name="carol")
    c.quit()
    a.expect("leave", name="carol", reason="quit")

    # The operator: commands, an overlong line, kicks by console and
    # by --kick; kicked sessions leave by ack, by quit, and one is still
    # being removed when the server stops.
    for line in ("/who", "/help", "/bogus \x1b[31m", "/kick nobody",
                 "/kick " + "x" * 5000, "an announcement " + "y" * 6000):
        srv.announce(line)
    a.expect("announce")
    d, e, f = logged_in(srv.port, "dave", "erin", "frank")
    d.auto_ack = False
    srv.announce("/kick dave too loud \xff")
    lv = d.expect("leave", 20.0, name="dave", reason="kicked")
    d.req("ping")
    d.req("chat", id=d.new_id(), text="still here")
    for q in range(1, lv["seq"] + 1):
        d.req("ack", seq=q)
    d.req("ping")
    pump_until([a, b, d, e, f], lambda: d.received("error",
               code="no_session"), 20.0, "dave to be gone after his acks")
    e.auto_ack = False
    rc, out, err = run_server_cmd(["-p", str(srv.port), "--kick", "erin"],
                                  timeout=30.0)
    check(rc == 0, "--kick erin: %d %r" % (rc, err))
    e.expect("leave", 20.0, name="erin", reason="kicked")
    e.ask({"type": "quit", "token": e.token}, "bye", 20.0)
    f.auto_ack = False
    srv.announce("/kick frank")
    f.expect("leave", 20.0, name="frank", reason="kicked")
    a.expect("leave", 20.0, name="frank", reason="kicked")
    a.req("chat", id=a.next_id + 3, text="held at exit")
    a.barrier()
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
    with open(transcript) as t:
        recs = [json.loads(line) for line in t]
    kinds = [o["type"] for o in recs]
    left = [o for o in recs if o["type"] == "leave" and
            o.get("reason") != "shutdown"]
    check(len(left) == 5, "carol twice, dave, erin, frank left: %r" % kinds)
    shutil.rmtree(tmp)


run(main)
