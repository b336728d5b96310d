"""Helpers for the terminal tests (python3 stdlib + tmux).

A full-screen chat_client runs in a detached tmux server with its own
socket, at a fixed size, under a C.UTF-8 locale. Tests type with
send-keys, read with capture-pane and always poll with a deadline.

    srv = Server()
    with Tui(srv.port, "alice") as t:        # kills its tmux server on exit
        t.wait_text("connected")
        bob = Plain(srv.port, "bob")          # chat_client --plain, piped
        bob.say("hello")
        t.wait_text("<bob> hello")
"""

import os
import queue
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "lib"))
import chattest
from chattest import (BUILD, CLIENT_BIN, SANITIZER_MARKS, TestFailure,  # noqa
                      check, log, skip, wait_until)

UTF8_ENV = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
_count = [0]
# Everything a test started, stopped at the end even when it fails.
_started = []


class Server(chattest.Server):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        _started.append(self)

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def run(main):
    """chattest.run, then stops every server, client and tmux server."""
    def wrapped():
        try:
            main()
        finally:
            for thing in reversed(_started):
                thing.cleanup()
    chattest.run(wrapped)


def need_tmux():
    try:
        subprocess.run(["tmux", "-V"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        skip("tmux is not installed")


def display_width(s):
    """Columns s takes, with the same East Asian rule as shared/utf8."""
    import unicodedata
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


class Tui:
    """The full-screen client in a detached tmux pane.

    The client runs under sh so that the pane shows a shell again once
    it exits: "CLIENT-EXITED <status>" is printed, then sh waits."""

    def __init__(self, port, name, x=80, y=24, extra_env=None, args=()):
        need_tmux()
        _count[0] += 1
        self.sock = "chat-tui-%d-%d" % (os.getpid(), _count[0])
        self.port = port
        self.errpath = os.path.join(BUILD, "test-logs", "%s.err" % self.sock)
        os.makedirs(os.path.dirname(self.errpath), exist_ok=True)
        env = dict(UTF8_ENV)
        env.update(extra_env or {})
        envs = " ".join("%s='%s'" % kv for kv in env.items())
        cmd = ("env %s %s%s -s 127.0.0.1:%d -n '%s' 2>'%s'; "
               "echo CLIENT-EXITED $?; exec sh" %
               (envs, CLIENT_BIN, "".join(" " + a for a in args), port,
                name, self.errpath))
        # tmux runs the command with sh -c; exec sh keeps the pane open.
        _started.append(self)
        self.tmux("new-session", "-d", "-x", str(x), "-y", str(y), cmd)
        self.socket_path = self.tmux("display", "-p", "#{socket_path}").strip()
        log("tmux -L %s: %s" % (self.sock, cmd))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False

    def tmux(self, *args):
        r = subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null"] +
                           list(args), capture_output=True, text=True)
        if r.returncode != 0:
            raise TestFailure("tmux %s: %s" % (" ".join(args), r.stderr))
        return r.stdout

    def kill(self):
        """Kills the tmux server; the client gets SIGHUP and quits (it may
        wait a little for the server's bye); one that hangs is killed."""
        subprocess.run(["tmux", "-L", self.sock, "kill-server"],
                       capture_output=True)
        deadline = time.monotonic() + 5.0
        while self.client_pids() and time.monotonic() < deadline:
            time.sleep(0.05)
        for p in self.client_pids():
            try:
                os.kill(p, 9)
            except OSError:
                pass
        if getattr(self, "socket_path", None):
            try:
                os.unlink(self.socket_path)
            except OSError:
                pass
            self.socket_path = None

    cleanup = kill

    def screen(self):
        """The pane's rows, exactly as many as it has, right-trimmed."""
        rows = self.tmux("capture-pane", "-p").split("\n")
        h = self.size()[1]
        rows = (rows + [""] * h)[:h]
        return [r.rstrip() for r in rows]

    def size(self):
        w, h = self.tmux("display", "-p", "#{pane_width} #{pane_height}").split()
        return int(w), int(h)

    def cursor(self):
        x, y = self.tmux("display", "-p", "#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def keys(self, *keys):
        self.tmux("send-keys", *keys)

    def type(self, text):
        self.tmux("send-keys", "-l", text)

    def paste(self, text, marked=True):
        """Pastes text as a terminal does: marked as a paste (bracketed
        paste, which the client asks for) or, marked=False, as bare keys,
        as from a terminal without it (a "\n" is then Enter)."""
        path = os.path.join(BUILD, "test-logs", "%s.paste" % self.sock)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        self.tmux("load-buffer", path)
        os.unlink(path)
        self.tmux("paste-buffer", *(["-p"] if marked else []))

    def wait_read(self, timeout=10.0):
        """Waits until the client has read every key sent so far (its
        tty's input queue is empty). A Tab with more keys behind it is
        a paste to the client (text, not completion), so a Tab whose
        effect shows nothing is followed by this before typing on: on
        a loaded machine the client may otherwise read both at once."""
        import array
        import fcntl
        import termios
        tty = self.tmux("display", "-p", "#{pane_tty}").strip()
        fd = os.open(tty, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
        try:
            def empty():
                n = array.array("i", [0])
                fcntl.ioctl(fd, termios.FIONREAD, n)
                return n[0] == 0
            wait_until(empty, timeout, "the client to read its keys")
        finally:
            os.close(fd)

    def bell(self):
        """True once the client rang the bell (tmux's window flag)."""
        return self.tmux("display", "-p", "#{window_bell_flag}").strip() \
            == "1"

    def dump(self):
        return "\n".join("%2d|%s" % (i, r) for i, r in enumerate(self.screen()))

    def wait(self, pred, what, timeout=10.0):
        """Polls the screen until pred(rows) is true."""
        try:
            return wait_until(lambda: pred(self.screen()), timeout, what,
                              interval=0.02)
        except TestFailure:
            raise TestFailure("timed out waiting for %s; screen:\n%s" %
                              (what, self.dump()))

    def wait_text(self, text, timeout=10.0):
        return self.wait(lambda rows: any(text in r for r in rows),
                         repr(text), timeout)

    def input_row(self):
        return self.screen()[-1]

    def wait_input(self, text, timeout=10.0):
        """The bottom row shows exactly "> text" and the cursor is after it
        (an input line scrolled sideways is not what this checks)."""
        want = ("> " + text).rstrip()

        def ok(rows):
            return rows[-1] == want and self.cursor() == (
                display_width("> " + text), len(rows) - 1)
        try:
            self.wait(ok, "input line %r" % want, timeout)
        except TestFailure as e:
            raise TestFailure("%s\ncursor %r" % (e, self.cursor()))

    def ready(self, name, timeout=10.0):
        self.wait(lambda rows: name in rows[0] and "connected" in rows[0]
                  and rows[-1].startswith(">"), "status bar and prompt",
                  timeout)

    def client_pids(self):
        """chat_client processes of this pane (found by their server)."""
        pids = []
        needle = ("127.0.0.1:%d" % self.port).encode()
        for p in os.listdir("/proc"):
            if not p.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % p, "rb") as f:
                    argv = f.read().split(b"\0")
            except OSError:
                continue
            if argv and argv[0] == CLIENT_BIN.encode() and needle in argv \
                    and b"--plain" not in argv:
                pids.append(int(p))
        return pids

    def roles(self):
        """(keyboard pid, network pid): the network process is the child."""
        pids = self.client_pids()
        check(len(pids) == 2, "two client processes: %r" % pids)
        parent = {}
        for p in pids:
            with open("/proc/%d/stat" % p) as f:
                parent[p] = int(f.read().rsplit(")", 1)[1].split()[1])
        net = next(p for p in pids if parent[p] in pids)
        return parent[net], net

    def stderr(self):
        try:
            with open(self.errpath, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def quit(self):
        """Ctrl-D on an empty line: the client exits 0, cleanly."""
        self.keys("C-d")
        self.wait_text("CLIENT-EXITED 0")
        self.check_clean()

    def check_clean(self):
        err = self.stderr()
        for mark in SANITIZER_MARKS:
            check(mark not in err, "sanitizer report from the TUI:\n" + err)
        if os.path.exists(self.errpath):
            os.unlink(self.errpath)


# The prompt of ShellTui's shell.
PROMPT = "shell$"


class ShellTui(Tui):
    """A tmux pane running bash with job control; the client is typed
    into it, so Ctrl-Z has a shell to return to. wrap, if given, turns
    the client's command into the line typed (a wrapper script around
    it, as make run has)."""

    def __init__(self, port, name, x=80, y=24, wrap=None):
        need_tmux()
        _count[0] += 1
        self.sock = "chat-tui-%d-%d" % (os.getpid(), _count[0])
        self.port = port
        self.errpath = os.path.join(BUILD, "test-logs", "%s.err" % self.sock)
        os.makedirs(os.path.dirname(self.errpath), exist_ok=True)
        shell = ("env PS1='%s ' HISTFILE=/dev/null LANG=C.UTF-8 "
                 "LC_ALL=C.UTF-8 bash --norc --noprofile" % PROMPT)
        _started.append(self)
        self.tmux("new-session", "-d", "-x", str(x), "-y", str(y), shell)
        self.socket_path = self.tmux("display", "-p",
                                     "#{socket_path}").strip()
        self.wait(lambda rows: any(r.startswith(PROMPT) for r in rows),
                  "the shell's prompt")
        cmd = "%s -s 127.0.0.1:%d -n '%s' 2>'%s'" % (CLIENT_BIN, port, name,
                                                    self.errpath)
        self.type(wrap(cmd) if wrap is not None else cmd)
        self.keys("Enter")


def stopped_shell(rows):
    """bash said the job stopped and shows its prompt, last."""
    shown = [r for r in rows if r]
    return any("Stopped" in r for r in shown) and \
        shown[-1].startswith(PROMPT)


def proc_state(pid):
    """The state letter of process pid (R, S, T, ...) from /proc."""
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()[0]


class Plain:
    """chat_client --plain with pipes: say() types a line, lines holds
    everything it printed (all of it once close() returns); args are
    more command line arguments."""

    def __init__(self, port, name, args=()):
        env = dict(os.environ)
        env.update(UTF8_ENV)
        self.errpath = os.path.join(
            BUILD, "test-logs", "plain-%d-%s.err" % (os.getpid(), name))
        self.errf = open(self.errpath, "w+")
        self.proc = subprocess.Popen(
            [CLIENT_BIN, "--plain", "-s", "127.0.0.1:%d" % port, "-n", name]
            + list(args),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errf,
            env=env)
        _started.append(self)
        self.lines = []
        self.q = queue.Queue()
        self.reader = threading.Thread(target=self._reader, daemon=True)
        self.reader.start()

    def _reader(self):
        for raw in self.proc.stdout:
            self.q.put(raw.decode("utf-8", "replace").rstrip("\n"))

    def _drain(self):
        while True:
            try:
                self.lines.append(self.q.get_nowait())
            except queue.Empty:
                return

    def say(self, text):
        self.proc.stdin.write((text + "\n").encode())
        self.proc.stdin.flush()

    def wait_line(self, pattern, timeout=10.0):
        """Waits for an output line matching the regular expression."""
        rx = re.compile(pattern)

        def found():
            self._drain()
            return next((l for l in self.lines if rx.search(l)), None)
        try:
            return wait_until(found, timeout, "plain client line /%s/" %
                              pattern)
        except TestFailure:
            raise TestFailure("plain client never printed /%s/; it printed:\n%s"
                              % (pattern, "\n".join(self.lines[-20:])))

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        # The network process may print its last lines after the
        # keyboard process exits: stdout ends when both have.
        self.reader.join(5)
        self._drain()
        self.errf.seek(0)
        err = self.errf.read()
        self.errf.close()
        for mark in SANITIZER_MARKS:
            check(mark not in err, "sanitizer report from the plain client:\n"
                  + err)
        os.unlink(self.errpath)


class Senders:
    """Raw protocol sessions that send chat lines fast (the server lets
    one sender burst 20 lines only) and ack everything in the
    background, so the server never expires them mid-test. Each line is
    sent again every 250 ms until answered (chattest's send_request)."""

    def __init__(self, port, names):
        from chattest import Client
        self.clients = []
        for n in names:
            c = Client(port)
            c.login(n)
            self.clients.append(c)
        self.stop_flag = False
        # The clients' sockets and requests are the pump thread's and
        # chat()'s: one at a time, never held while waiting.
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()
        _started.append(self)

    def cleanup(self):
        if not self.stop_flag:
            self.close()

    def _pump(self):
        import select
        socks = [c.sock for c in self.clients]
        while not self.stop_flag:
            select.select(socks, [], [], 0.02)
            with self.lock:
                for c in self.clients:
                    c.pump(0)
                    del c.inbox[:]
                    c.resend_due()

    def chat(self, i, text):
        n = i % len(self.clients)
        with self.lock:
            self.clients[n].send_request("chat", every=0.25, text=text)

    def close(self):
        self.stop_flag = True
        self.thread.join()
        for c in self.clients:
            c.close()
