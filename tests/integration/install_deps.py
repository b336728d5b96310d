"""scripts/install-deps asks only for what a target needs, and never
claims packages are missing where it cannot know (no dpkg).

- No dpkg-query on PATH (not Debian) and pkg-config finds every module:
  `build` and `test` exit 0 and print nothing. Before, every package
  (gcc and make too) was listed as missing.
- dpkg-query says only tmux is missing: `build` (make, make install)
  exits 0 silently and installs nothing; `test` (make check) asks
  apt-get for tmux alone. Before, `make` refused to build without tmux.

Nothing is installed: apt-get, sudo, dpkg-query and pkg-config are fakes
in a temporary folder that comes first on PATH (and, for the no-dpkg
case, is all of PATH, with links to the real tools it may use)."""

import os
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chattest import TOP, check, log, run  # noqa

SCRIPT = os.path.join(TOP, "scripts", "install-deps")


def fake(d, name, body):
    p = os.path.join(d, name)
    with open(p, "w") as f:
        f.write("#!/bin/sh\n" + body + "\n")
    os.chmod(p, os.stat(p).st_mode | stat.S_IXUSR)


def link(d, name):
    real = shutil.which(name)
    if real is not None:
        os.symlink(real, os.path.join(d, name))


def install_deps(path, what):
    r = subprocess.run(["/bin/sh", SCRIPT, what], capture_output=True,
                       text=True, env={"PATH": path, "HOME": "/nonexistent"})
    log("install-deps %s: exit %d, out %r, err %r" %
        (what, r.returncode, r.stdout, r.stderr))
    return r


def no_dpkg(tmp):
    d = os.path.join(tmp, "nodpkg")
    os.mkdir(d)
    # Only what the script runs, and the tools a build and the tests use.
    for name in ("cat", "grep", "id", "cc", "gcc", "make", "tmux",
                 "python3", "ps", "ip", "valgrind", "tshark", "clang",
                 "systemd-analyze", "lintian", "fakeroot", "dpkg-shlibdeps"):
        link(d, name)
    fake(d, "pkg-config", "exit 0")
    fake(d, "apt-get", "echo apt-get \"$@\" >>%s/asked; exit 0" % tmp)
    check(shutil.which("dpkg-query", path=d) is None, "no dpkg-query")
    for what in ("build", "test"):
        if what == "test" and not all(
                os.path.exists(os.path.join(d, n))
                for n in ("tmux", "valgrind", "tshark", "ps", "ip",
                          "systemd-analyze", "lintian", "fakeroot",
                          "dpkg-shlibdeps")):
            continue
        r = install_deps(d, what)
        check(r.returncode == 0 and r.stdout == "" and r.stderr == "",
              "no dpkg, everything found: %s is silent and succeeds" % what)
    # Something really missing: named, as a hint, and an error.
    fake(d, "pkg-config", "[ \"$2\" != libsodium ]")
    r = install_deps(d, "build")
    check(r.returncode == 1 and "libsodium-dev" in r.stderr and
          "gcc" not in r.stderr and "make" not in r.stderr,
          "only the missing library is named")
    check(not os.path.exists(os.path.join(tmp, "asked")),
          "nothing installed without dpkg")


def only_tmux_missing(tmp):
    d = os.path.join(tmp, "debian")
    os.mkdir(d)
    fake(d, "dpkg-query", 'for a; do p=$a; done\n'
         '[ "$p" = tmux ] && exit 1\nprintf "install ok installed"')
    fake(d, "apt-get", "echo \"$@\" >>%s/asked; exit 0" % tmp)
    fake(d, "sudo", "exec \"$@\"")
    path = d + ":" + os.environ.get("PATH", "/usr/bin:/bin")
    check(shutil.which("apt-get", path=path) == os.path.join(d, "apt-get"),
          "the fake apt-get comes first")
    r = install_deps(path, "build")
    check(r.returncode == 0 and r.stdout == "" and r.stderr == "",
          "build does not need tmux")
    check(not os.path.exists(os.path.join(tmp, "asked")),
          "build asked apt-get for nothing")
    r = install_deps(path, "test")
    check(r.returncode == 0, "test installs what is missing")
    with open(os.path.join(tmp, "asked")) as f:
        asked = f.read()
    check("install" in asked and asked.split("\n")[-2].split()[-1] ==
          "tmux" and "valgrind" not in asked,
          "test asked for tmux alone: %r" % asked)


def main():
    tmp = tempfile.mkdtemp(prefix="install-deps-")
    try:
        no_dpkg(tmp)
        only_tmux_missing(tmp)
    finally:
        shutil.rmtree(tmp)


run(main)
