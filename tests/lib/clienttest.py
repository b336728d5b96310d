"""Helpers for the client integration tests (python3 stdlib only).

Starts the real build/chat_client in --plain mode as a real process
(stdin piped, stdout read line by line with deadlines) against the real
server (chattest.Server) on loopback. Every wait polls with a deadline.

    from chattest import *
    from clienttest import *
    srv = Server()
    a = PlainClient(srv.port, "alice")
    a.wait_line(r"-- users|")           # or whatever comes
    a.say("hello")
    a.wait_line(r"<alice> hello$")      # printed once acked
    a.quit()                            # /quit, exit 0, both processes gone

Cleanup: every client started here is killed (both processes) when the
test exits, even when it fails or is stopped by SIGTERM (tests/run's
timeout). The test process makes itself a child subreaper, so a network
process its keyboard process failed to reap shows up as our zombie
instead of vanishing into init: tests can then tell "reaped" from
"orphaned".
"""

import atexit
import ctypes
import os
import re
import select
import signal
import subprocess
import sys
import time

from chattest import (BUILD, CLIENT_BIN, SANITIZER_MARKS, TestFailure, check,
                      log)

TIME_RE = r"\d\d:\d\d:\d\d"
PR_SET_CHILD_SUBREAPER = 36

_clients = []


def _cleanup():
    for c in list(_clients):
        c.kill()
    # Reap any orphaned network process that was handed to us.
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def _on_term(sig, frame):
    raise SystemExit(1)


atexit.register(_cleanup)
signal.signal(signal.SIGTERM, _on_term)
try:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0,
                                            0)
except (OSError, AttributeError):
    pass


def proc_state(pid):
    """'R', 'S', 'Z', ... or None when pid does not exist."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return s[s.rindex(")") + 2]


def proc_ppid(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(s[s.rindex(")") + 2:].split()[1])


def children_of(pid):
    """Live (non-zombie) children of pid, from /proc."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        p = int(d)
        if proc_ppid(p) == pid and proc_state(p) not in (None, "Z"):
            out.append(p)
    return out


def gone(pid):
    """True when pid has exited (no entry, or a zombie nobody reaped yet)."""
    return proc_state(pid) in (None, "Z")


def reap(pid):
    """Reaps pid if it is our (sub-reaped) zombie; True if it was."""
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:
        return False


def wait_for(pred, timeout, what, interval=0.01):
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise TestFailure("timed out after %.1fs waiting for %s" %
                              (timeout, what))
        time.sleep(interval)


class PlainClient:
    """One real chat_client --plain process pair."""

    def __init__(self, port, name=None, host="127.0.0.1", args=(),
                 server=None, login=True):
        self.name = name
        argv = [CLIENT_BIN, "--plain", "-s",
                server or ("%s:%d" % (host, port))]
        if name is not None:
            argv += ["-n", name]
        argv += list(args)
        self.errpath = os.path.join(
            BUILD, "test-logs", "client-%d-%d.err" %
            (os.getpid(), int(time.monotonic() * 1e6)))
        os.makedirs(os.path.dirname(self.errpath), exist_ok=True)
        self.errf = open(self.errpath, "w+")
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=self.errf, bufsize=0)
        _clients.append(self)
        self.pid = self.proc.pid
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.raw = b""          # every byte read from stdout
        self.partial = b""
        self.lines = []         # decoded complete lines
        self.pos = 0            # wait_line's cursor into lines
        self.child = None
        if login and name is not None:
            self.wait_logged_in()

    # ---- output ----

    def _read(self, timeout):
        """Reads what stdout has within timeout; False at EOF."""
        fd = self.proc.stdout.fileno()
        r, _, _ = select.select([fd], [], [], max(0.0, timeout))
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return True
        if not data:
            return False
        self.raw += data
        self.partial += data
        while b"\n" in self.partial:
            line, self.partial = self.partial.split(b"\n", 1)
            self.lines.append(line.decode("utf-8", errors="replace"))
        return True

    def pump(self, timeout=0.0):
        deadline = time.monotonic() + timeout
        while True:
            if not self._read(deadline - time.monotonic()):
                return False
            if time.monotonic() >= deadline:
                return True

    def wait_line(self, pattern, timeout=5.0, what=None):
        """Returns the first line at or after the cursor matching the
        regex pattern and moves the cursor past it."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            for i in range(self.pos, len(self.lines)):
                if rx.search(self.lines[i]):
                    self.pos = i + 1
                    return self.lines[i]
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                if left > 0:    # EOF: one last look
                    for i in range(self.pos, len(self.lines)):
                        if rx.search(self.lines[i]):
                            self.pos = i + 1
                            return self.lines[i]
                raise TestFailure(
                    "%s: no line matching %r within %.1fs (%s); last "
                    "lines:\n  %s\nstderr: %s" %
                    (self.name, pattern, timeout,
                     "exited" if self.proc.poll() is not None else "alive",
                     "\n  ".join(self.lines[-15:]), self.stderr()[-800:]))

    def wait_count(self, pattern, n, timeout=10.0):
        """Waits until at least n lines (from the start) match pattern."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            got = [l for l in self.lines if rx.search(l)]
            if len(got) >= n:
                return got
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                raise TestFailure("%s: %d of %d lines matching %r within "
                                  "%.1fs; last lines:\n  %s" %
                                  (self.name, len(got), n, pattern, timeout,
                                   "\n  ".join(self.lines[-15:])))

    def matching(self, pattern):
        rx = re.compile(pattern)
        return [l for l in self.lines if rx.search(l)]

    def wait_logged_in(self, timeout=8.0):
        """After login the network process exists: two processes."""
        self.child = wait_for(lambda: (children_of(self.pid) or [None])[0]
                              if self.proc.poll() is None
                              else self._early_exit(),
                              timeout, "%s to log in (fork)" % self.name)
        return self.child

    def _early_exit(self):
        raise TestFailure("%s exited early (%s): %s" %
                          (self.name, self.proc.returncode, self.stderr()))

    def stderr(self):
        try:
            with open(self.errpath, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    # ---- input ----

    def send(self, line):
        if isinstance(line, str):
            line = line.encode()
        self.proc.stdin.write(line + b"\n")
        self.proc.stdin.flush()

    def say(self, text):
        self.send(text)

    def eof(self):
        self.proc.stdin.close()

    # ---- ending ----

    def wait_exit(self, timeout=5.0):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise TestFailure("%s did not exit within %.1fs" %
                              (self.name, timeout))

    def finish(self, expect_rc=0):
        """Reads the rest of stdout, checks the exit status and stderr."""
        while self._read(1.0) and self.proc.poll() is None:
            pass
        self.pump(0.1)
        rc = self.wait_exit()
        err = self.stderr()
        for mark in SANITIZER_MARKS:
            check(mark not in err,
                  "sanitizer report in %s's stderr:\n%s" % (self.name, err))
        if expect_rc is not None:
            check(rc == expect_rc, "%s exit status %s, wanted %s; stderr: %s"
                  % (self.name, rc, expect_rc, err[-800:]))
        if self in _clients:
            _clients.remove(self)
        try:
            self.errf.close()
            os.unlink(self.errpath)
        except OSError:
            pass
        return rc

    def quit(self, timeout=1.0, expect_rc=0):
        """/quit; both processes must be gone within timeout."""
        child = self.child
        self.send("/quit")
        t0 = time.monotonic()
        wait_for(lambda: self.proc.poll() is not None and
                 (child is None or gone(child)),
                 timeout, "%s's processes to exit after /quit" % self.name)
        log("%s quit in %.3fs" % (self.name, time.monotonic() - t0))
        return self.finish(expect_rc)

    def kill(self):
        """Kills both processes (cleanup); never fails."""
        for pid in (self.child, self.pid):
            if pid is None:
                continue
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        if self.child is not None:
            reap(self.child)
        if self in _clients:
            _clients.remove(self)


def lines_of(client, pattern):
    """The captured groups of every line of client matching pattern."""
    rx = re.compile(pattern)
    out = []
    for l in client.lines:
        m = rx.search(l)
        if m:
            out.append(m.group(1) if m.groups() else l)
    return out
