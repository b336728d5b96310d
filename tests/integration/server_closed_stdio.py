#!/usr/bin/env python3
"""A server started with its standard output or error closed (`>&-`,
`2>&-`, as a careless init script does) must not hand those numbers to
the transcript: the log and the operator's /who table would then be
written into it, between the JSON lines. Every line of the transcript
stays one JSON object, and the server works as usual."""

import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from chattest import *  # noqa: E402,F401,F403

import shutil
import tempfile


def json_lines(path):
    with open(path, "rb") as f:
        data = f.read()
    check(data.endswith(b"\n"), "the transcript ends with a whole line: %r"
          % data[-200:])
    out = []
    for line in data.decode("utf-8", "replace").split("\n")[:-1]:
        try:
            o = json.loads(line)
        except ValueError:
            raise TestFailure("not a JSON line in the transcript: %r\n"
                              "whole file:\n%s" % (line, data.decode(
                                  "utf-8", "replace")))
        check(isinstance(o, dict), "an object: %r" % line)
        out.append(o)
    return out


def main():
    tmp = tempfile.mkdtemp()

    # stdout closed: /who, /help and a refused /kick print there.
    path = os.path.join(tmp, "out.jsonl")
    srv = Server("--transcript", path, stdin=True,
                 wrapper=["sh", "-c", 'exec "$@" >&-', "sh"])
    a = Client(srv.port)
    a.login("alice")
    for line in ("/who", "/help", "/kick nobody", "/bogus", "hello"):
        srv.announce(line)
    a.expect("announce", text="hello")
    srv.stop()
    got = json_lines(path)
    check([o["type"] for o in got] == ["join", "announce", "announce",
                                       "leave"],
          "only the room's events (alice still in at the end): %r" % got)

    # stderr closed: the log (join, leave, shutting down) goes there.
    # The port is picked here, as no "listening on" line can be read.
    path = os.path.join(tmp, "err.jsonl")
    port = free_port()
    proc = subprocess.Popen(
        ["sh", "-c", 'exec "$@" 2>&-', "sh", SERVER_BIN, "-b", "127.0.0.1",
         "-p", str(port), "--transcript", path],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        preexec_fn=globals().get("_die_with_parent"))
    try:
        a = Client(port)
        a.name = "alice"
        a.login("alice", timeout=10.0, every=0.5)
        b = Client(port)
        b.login("bob")
        a.expect("join", name="bob")
        b.quit()
        a.expect("leave", name="bob")
        proc.send_signal(SIGTERM)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    check(proc.returncode == 0, "exit status %d" % proc.returncode)
    got = json_lines(path)
    check([o["type"] for o in got] == ["join", "join", "leave", "announce",
                                       "leave"],
          "only the room's events (alice still in at the end): %r" % got)
    shutil.rmtree(tmp)


run(main)
