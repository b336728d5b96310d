#!/usr/bin/env python3
"""The operator's console on the server's stdin: /who prints one line per
session (name, address, idle since the last chat, online for, chats
sent) on stdout; /help lists the commands; //x announces "/x"; an
unknown command is a one-line error naming /help and announces nothing;
a line with leading blanks before / is still a command; plain lines are
still announced, and the operator is told to how many. Nothing printed
for the operator carries a raw control character, bidi control or bidi
mark, whatever was typed or sent. Over the control socket, --announce /x
announces "/x" and /who answers with the table."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import re
import shutil
import socket
import tempfile

BAD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f"
                 "\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def stdout_of(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", errors="strict")


def main():
    tmp = tempfile.mkdtemp()
    out = os.path.join(tmp, "stdout")
    srv = Server(stdin=True,
                 wrapper=["sh", "-c", 'exec "$@" >"$0"', out])
    a, b = login_room(srv.port, "alice", "张伟")
    a.request_ok("chat", text="one")
    a.request_ok("chat", text="two")
    b.expect("chat", text="two")
    b.request_ok("chat", text="three")
    a.expect("chat", text="three")

    srv.announce("/who")
    text = wait_until(lambda: "2 in the room" in stdout_of(out) and
                      stdout_of(out), 5.0, "the /who table")
    log(text)
    rows = dict((line.split()[0], line.split()) for line in
                text.splitlines() if line.split() and
                line.split()[0] in ("alice", "张伟"))
    check(set(rows) == {"alice", "张伟"}, "a row per session: %r" % text)
    ra, rb = rows["alice"], rows["张伟"]
    check(ra[1] == "127.0.0.1:%d" % a.sock.getsockname()[1],
          "alice's address: %r" % ra)
    check(rb[1] == "127.0.0.1:%d" % b.sock.getsockname()[1],
          "张伟's address: %r" % rb)
    check(re.fullmatch(r"\d+s", ra[2]) is not None, "idle seconds: %r" % ra)
    check(re.fullmatch(r"\d+s", ra[3]) is not None, "online for: %r" % ra)
    check(ra[4] == "2", "alice: 2 chats: %r" % ra)
    check(rb[4] == "1", "张伟: 1 chat: %r" % rb)
    check("NAME" in text and "IDLE" in text and "ONLINE" in text and
          "CHATS" in text, "a header names the columns: %r" % text)

    # //x announces "/x", and only that.
    srv.announce("//x")
    for c in (a, b):
        m = c.expect("announce")
        check(m.get("text") == "/x", "%s: //x announces /x: %r" %
              (c.name, public(m)))

    # An unknown command: one line naming /help, nothing announced.
    n0 = len(stdout_of(out))
    srv.announce("/frobnicate now")
    line = wait_until(lambda: stdout_of(out)[n0:].strip(), 5.0,
                      "the unknown-command error")
    check(len(line.splitlines()) == 1 and "/frobnicate" in line and
          "/help" in line, "one line naming the command and /help: %r" %
          line)
    n0 = len(stdout_of(out))
    srv.announce("   /help")
    wait_until(lambda: "/kick" in stdout_of(out)[n0:], 5.0,
               "/help with leading blanks")
    check("/who" in stdout_of(out)[n0:], "/help lists /who")
    n0 = len(stdout_of(out))
    srv.announce("plain words")
    wait_until(lambda: "-- announced to 2" in stdout_of(out)[n0:], 5.0,
               "the operator told the announcement went to 2")
    for c in (a, b):
        c.expect("announce", text="plain words")
        c.ping()
        check(c.received("announce") == [],
              "%s: commands announced nothing: %r" %
              (c.name, [public(m) for m in c.received("announce")]))

    # Escape sequences typed or sent never reach the operator's terminal.
    n0 = len(stdout_of(out))
    srv.announce("/\x1b[31mred\x07 x")
    srv.announce("/kick \x1b]0;pwned\x07\u202e\u200f")
    srv.announce("/kick alice\x1b[2J")
    wait_until(lambda: stdout_of(out)[n0:].count("\n") >= 3, 5.0,
               "three error lines")
    x = Client(srv.port)
    x.name = "bad"
    x.login_error("ev\x1b[31mil", "bad_name")
    x.login_error("ev\u202eil", "bad_name")
    # A bidi mark is default-ignorable: no longer a valid name.
    x.login_error("r\u200fl", "bad_name")
    # A Braille blank is a valid name character but not seen on screen.
    y = Client(srv.port)
    y.login("r\u2800l")
    a.expect("join")
    b.expect("join")
    n1 = len(stdout_of(out))
    srv.announce("/who")
    wait_until(lambda: "3 in the room" in stdout_of(out)[n1:], 5.0,
               "/who with the third user")
    whole = stdout_of(out)
    log(whole[n0:])
    bad = BAD.search(whole)
    check(bad is None, "no raw control, bidi or separator on the "
          "operator's terminal: %r" % (bad and whole[bad.start() - 20:
                                                     bad.end() + 20]))
    check("r<U+2800>l" in whole[n1:] and "\u2800" not in whole,
          "the Braille blank is named in /who")
    check("^[[31mred" in whole, "an unknown command is shown escaped")
    check("alice" in a.who(), "a name with junk after it kicked nobody")

    # The control socket: --announce of a text with a leading slash is
    # announced as written; /who there answers with the table.
    rc, o, e = run_server_cmd(["-p", str(srv.port), "--announce", "/who"])
    check(rc == 0, "--announce /who exits 0: %r" % (o + e))
    a.expect("announce", text="/who")

    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    s.connect(control_path(srv.port))
    s.send(b"/who")
    answer = s.recv(65536).decode()
    s.close()
    check(answer.startswith("ok\n") and "3 in the room" in answer and
          "NAME" in answer, "/who over the control socket: %r" % answer)
    srv.stop()
    shutil.rmtree(tmp)


run(main)
