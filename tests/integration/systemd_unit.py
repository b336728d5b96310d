#!/usr/bin/env python3
"""contrib/systemd's units, as make install writes them, pass
`systemd-analyze verify` without a word (an unknown key is a failure,
not a warning), carry the hardening the service promises, and
`systemd-analyze security` (offline, where this systemd can) rates
their exposure low. No running systemd is needed; skips without
systemd-analyze."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import BUILD, TOP, check, log, run, skip  # noqa: E402

UNITS = ("chat_server.service", "chat_server@.service")
PROMISED = ("DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict",
            "ProtectHome=yes", "PrivateTmp=yes",
            "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
            "SystemCallFilter=@system-service", "MemoryDenyWriteExecute=yes",
            "StandardInput=null")


def make_unit(d, name):
    """The unit as make install writes it, with the build's programs."""
    with open(os.path.join(TOP, "contrib", "systemd", name + ".in")) as f:
        text = f.read()
    text = text.replace("@BINDIR@", BUILD).replace("@SYSCONFDIR@", "/etc")
    check("@" not in re.sub(r"chat_server@|%i|@system-service|@privileged|"
                            r"@resources", "", text),
          "every @VAR@ of %s is replaced" % name)
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write(text)
    return path, text


def verify(d, unit):
    p = subprocess.run(["systemd-analyze", "verify", "--man=no", unit],
                       cwd=d, capture_output=True, text=True, timeout=60)
    return p.returncode, (p.stdout + p.stderr).strip()


def main():
    if shutil.which("systemd-analyze") is None:
        skip("systemd-analyze is missing (Debian package systemd)")
    with tempfile.TemporaryDirectory() as d:
        for name in UNITS:
            path, text = make_unit(d, name)
            lines = text.splitlines()
            for want in PROMISED:
                check(want in lines, "%s has %s" % (name, want))
            check(any(x.startswith("StateDirectory=") for x in lines),
                  "%s has a StateDirectory for the transcript" % name)
            unit = name.replace("@.", "@physics.")
            rc, out = verify(d, os.path.join(d, unit) if unit != name
                             else path)
            log("verify %s: %d %r" % (unit, rc, out))
            check(rc == 0 and out == "", "%s verifies cleanly: %r" %
                  (unit, out))
        # The check can fail: a key systemd does not know is reported.
        with open(os.path.join(d, "bad.service"), "w") as f:
            f.write(text.replace("UMask=0077", "UMask=0077\nProtectEverything=yes"))
        rc, out = verify(d, os.path.join(d, "bad.service"))
        check("Unknown key" in out, "an unknown key is reported: %r" % out)
        p = subprocess.run(["systemd-analyze", "security", "--offline=true",
                            os.path.join(d, "chat_server.service")],
                           cwd=d, capture_output=True, text=True, timeout=60)
        m = re.search(r"Overall exposure level for \S+: ([0-9.]+) (\w+)",
                      p.stdout)
        if m is None:
            log("systemd-analyze security cannot rate it offline here: %r" %
                (p.stdout + p.stderr)[-300:])
            return
        log("systemd-analyze security: exposure %s %s" % m.groups())
        check(float(m.group(1)) <= 2.0, "exposure at most 2.0 (OK): %s" %
              m.group(0))


run(main)
