#!/usr/bin/env python3
"""chat_client's options from ~/.config/lanchat/client.conf (or
$XDG_CONFIG_HOME/lanchat/client.conf, or --config FILE), then
LANCHAT_SERVER and LANCHAT_NAME, then the command line, which wins.
A bad line in the file is refused naming the file, the line and the key.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import (CLIENT_BIN, Client, Server, check, log,  # noqa: E402
                      run)


def joins_as(srv, watcher, env, args, name):
    """The client started with env and args logs in as name."""
    p = subprocess.Popen([CLIENT_BIN] + args, env=env,
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    try:
        watcher.expect("join", timeout=8, name=name)
        log("joined as %s" % name)
    finally:
        p.stdin.close()
        rc = p.wait(10)
        err = p.stderr.read().decode(errors="replace")
        check(rc == 0, "the client exits 0 at end of input: %d %r" %
              (rc, err))
    watcher.expect("leave", timeout=5, name=name)


def main():
    srv = Server()
    watcher = Client(srv.port)
    watcher.login("watcher")
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "lanchat"))
        conf = os.path.join(d, "lanchat", "client.conf")
        with open(conf, "w") as f:
            f.write("# my lab\nserver = 127.0.0.1:%d\nname = fromfile\n"
                    "plain = yes\n" % srv.port)
        env = dict(os.environ, XDG_CONFIG_HOME=d)
        env.pop("LANCHAT_SERVER", None)
        env.pop("LANCHAT_NAME", None)
        joins_as(srv, watcher, env, [], "fromfile")
        joins_as(srv, watcher, dict(env, LANCHAT_NAME="fromenv"), [],
                 "fromenv")
        joins_as(srv, watcher, dict(env, LANCHAT_NAME="fromenv"),
                 ["-n", "fromcli"], "fromcli")
        other = os.path.join(d, "other.conf")
        with open(other, "w") as f:
            f.write("name = other\nplain = yes\n")
        joins_as(srv, watcher, dict(env, LANCHAT_SERVER="127.0.0.1:%d" %
                                    srv.port), ["--config", other], "other")
        for line, said in (("colour = blue", "colour takes on or off, "
                             "not 'blue'"),
                            ("theme = dark", "unknown key 'theme'")):
            with open(conf, "w") as f:
                f.write("# my lab\nserver = 127.0.0.1:%d\nname = fromfile"
                        "\nplain = yes\n%s\n" % (srv.port, line))
            p = subprocess.run([CLIENT_BIN], env=env,
                               stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=10)
            err = p.stderr.decode(errors="replace")
            log("bad line: %d %r" % (p.returncode, err))
            check(p.returncode == 2 and err.startswith(
                "chat_client: %s:5: %s" % (conf, said)),
                "the bad line is named: %d %r" % (p.returncode, err))
    srv.stop()


run(main)
