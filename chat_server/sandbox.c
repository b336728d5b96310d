/*
 * sandbox: user, no_new_privs, Landlock and seccomp (sandbox.h). The
 * order matters: the user first (setgroups and setuid are not in the
 * filter), Landlock before seccomp (its calls are not either), and the
 * filter last, from which point only the loop's calls remain.
 *
 * The list of calls was found with strace -f over the whole test suite
 * (announcements, the console, the control socket, the transcript,
 * signals, shutdown) and is kept to what the loop, glibc's malloc and
 * the log need.
 *
 * A sanitizer build (SAN=1) has no filter: LeakSanitizer's check at exit
 * clones a thread that ptraces the process with every signal blocked, so
 * a call the filter traps there kills that thread silently and the exit
 * waits for it forever. The user, no_new_privs and Landlock (reading
 * allowed, for the runtime's /proc reads) still apply there.
 */
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/landlock.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"
#include "server.h"

#define SANDBOX_TEST_ENV	"CHAT_SERVER_SANDBOX_TEST"

/* Rights of Landlock ABIs newer than the build's header. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV	(1ULL << 15)
#endif

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_SAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_SAN	1
#endif
#endif
#ifdef SANDBOX_SAN
static const bool sandbox_sanitized = true;
#else
static const bool sandbox_sanitized = false;
#endif

/*
 * The loop's calls. Each line says who makes them.
 */
static const int sandbox_calls[] = {
	/* the loop: poll, the socket's batches, the control socket */
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(recvmmsg),
	SCMP_SYS(sendmmsg), SCMP_SYS(recvfrom), SCMP_SYS(sendto),
	SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(accept),
	SCMP_SYS(accept4), SCMP_SYS(getsockopt), SCMP_SYS(shutdown),
	/* stdin, the signal pipe, log lines, the transcript */
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(writev), SCMP_SYS(close),
	SCMP_SYS(fcntl), SCMP_SYS(lseek), SCMP_SYS(ftruncate),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(fsync),
	/* the control socket removed at exit */
	SCMP_SYS(unlink),
	/* clocks (vDSO, but the kernel's when it has no vDSO clock) */
	SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday), SCMP_SYS(time),
	/* cookie secrets and tokens */
	SCMP_SYS(getrandom),
	/* malloc; mmap and mprotect only without PROT_EXEC, below */
	SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise),
	/* signals: their return, and abort() on a failed assertion */
	SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(getpid),
	SCMP_SYS(gettid), SCMP_SYS(tgkill), SCMP_SYS(restart_syscall),
	/* the console: is it in the foreground (term.c) */
	SCMP_SYS(getpgrp),
	/* the control socket's check of its caller */
	SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid),
	SCMP_SYS(getegid),
	/* the end */
	SCMP_SYS(exit), SCMP_SYS(exit_group),
};

/* The terminal requests the console may make on stdin. */
static const unsigned long sandbox_ioctls[] = {
	TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ,
	TIOCGPGRP,	/* tcgetpgrp: is the console in the foreground */
};

static int	 sandbox_drop(const char *, char *, size_t);
static int	 sandbox_landlock(const char *, const char *, char *, size_t);
static uint64_t	 sandbox_fs_rights(int);
static int	 sandbox_allow_dir(int, const char *, uint64_t, char *,
		    size_t);
static int	 sandbox_allow(int, const char *, uint64_t, char *, size_t);
static int	 sandbox_seccomp(char *, size_t);
static int	 sandbox_rules(scmp_filter_ctx);
static void	 sandbox_sigsys_cb(int, siginfo_t *, void *);
static void	 sandbox_test_open(void);
static void	 sandbox_test_execve(void);
static void	 sandbox_execve_cb(int);
static void	 sandbox_err(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

int
sandbox_enter(const struct options *opt, const char *control, char *err,
    size_t errlen)
{
	/* localtime's zone file is read now: no file is opened later. */
	int	 ll = -1;

	tzset();
	/*
	 * Landlock's rules open their directories, which root may and the
	 * user may not (the control socket's is 0700): made before the drop,
	 * laid on after no_new_privs.
	 */
	if (!opt->no_sandbox && (ll = sandbox_landlock(opt->transcript,
	    control, err, errlen)) == -2)
		return -1;
	if (sandbox_drop(opt->user, err, errlen) == -1)
		goto fail;
	sandbox_test_execve();
	if (opt->no_sandbox)
		return 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		sandbox_err(err, errlen, "cannot set no_new_privs: %s",
		    strerror(errno));
		goto fail;
	}
	if (ll != -1 && syscall(SYS_landlock_restrict_self, ll, 0) == -1) {
		sandbox_err(err, errlen, "landlock: %s", strerror(errno));
		goto fail;
	}
	if (ll != -1)
		close(ll);
	sandbox_test_open();
	if (sandbox_sanitized)
		return 0;
	return sandbox_seccomp(err, errlen);
fail:
	if (ll != -1)
		close(ll);
	return -1;
}

/*
 * Root becomes user: only its own group, then the gid and uid (real,
 * effective, saved), checked, and checked that setuid(0) now fails.
 * Anyone else may name only themselves.
 */
static int
sandbox_drop(const char *user, char *err, size_t errlen)
{
	struct passwd	*pw;
	uid_t		 uid;
	gid_t		 gid, groups[2];

	if (geteuid() != 0) {
		if (user == NULL || ((pw = getpwnam(user)) != NULL &&
		    pw->pw_uid == geteuid()))
			return 0;
		sandbox_err(err, errlen, "--user %s: only root can become "
		    "another user", user);
		return -1;
	}
	if (user == NULL)
		user = "nobody";
	if ((pw = getpwnam(user)) == NULL) {
		sandbox_err(err, errlen, "--user %s: no such user", user);
		return -1;
	}
	if (pw->pw_uid == 0) {
		sandbox_err(err, errlen, "--user %s: that is root; name an "
		    "unprivileged user", user);
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1) {
		sandbox_err(err, errlen, "cannot become %s: %s", user,
		    strerror(errno));
		return -1;
	}
	if (getuid() != uid || geteuid() != uid || getgid() != gid ||
	    getegid() != gid || getgroups(2, groups) != 1 ||
	    groups[0] != gid || setuid(0) != -1) {
		sandbox_err(err, errlen, "cannot become %s: the ids did not "
		    "all change", user);
		return -1;
	}
#ifdef SANDBOX_SAN
	/* LeakSanitizer ptraces the process at exit: let it. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
	return 0;
}

/*
 * Every file right the kernel's Landlock knows is handled, so denied
 * unless a rule gives it. A kernel without Landlock (or with it off)
 * is not an error: the filter below still holds. Returns the ruleset
 * for landlock_restrict_self, -1 without Landlock, -2 on an error.
 */
static int
sandbox_landlock(const char *transcript, const char *control, char *err,
    size_t errlen)
{
	struct landlock_ruleset_attr	 attr;
	uint64_t			 w;
	int				 abi, fd;

	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = sandbox_fs_rights(abi);
	if ((fd = (int)syscall(SYS_landlock_create_ruleset, &attr,
	    sizeof(attr), 0)) == -1) {
		sandbox_err(err, errlen, "landlock: %s", strerror(errno));
		return -2;
	}
	w = (LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG |
	    LANDLOCK_ACCESS_FS_TRUNCATE) & attr.handled_access_fs;
	if ((transcript != NULL &&
	    sandbox_allow_dir(fd, transcript, w, err, errlen) == -1) ||
	    (control != NULL && control[0] == '/' &&
	    sandbox_allow_dir(fd, control, LANDLOCK_ACCESS_FS_REMOVE_FILE,
	    err, errlen) == -1))
		goto fail;
#ifdef SANDBOX_SAN
	if (sandbox_allow(fd, "/", LANDLOCK_ACCESS_FS_READ_FILE |
	    LANDLOCK_ACCESS_FS_READ_DIR, err, errlen) == -1)
		goto fail;
#endif
	return fd;
fail:
	close(fd);
	return -2;
}

/* The file rights of Landlock ABI abi. */
static uint64_t
sandbox_fs_rights(int abi)
{
	uint64_t	 r;

	r = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;	/* ABI 1 */
	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		r |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return r;
}

/* Gives rights beneath the directory of the file path. */
static int
sandbox_allow_dir(int fd, const char *path, uint64_t rights, char *err,
    size_t errlen)
{
	char	 copy[PATH_MAX];

	if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy)) {
		sandbox_err(err, errlen, "landlock: path too long: %s", path);
		return -1;
	}
	return sandbox_allow(fd, dirname(copy), rights, err, errlen);
}

/* Gives rights beneath the directory dir. */
static int
sandbox_allow(int fd, const char *dir, uint64_t rights, char *err,
    size_t errlen)
{
	struct landlock_path_beneath_attr	 pb;
	int					 rc;

	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = rights;
	if ((pb.parent_fd = open(dir, O_PATH | O_CLOEXEC)) == -1) {
		sandbox_err(err, errlen, "landlock: %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	rc = (int)syscall(SYS_landlock_add_rule, fd,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	if (rc == -1)
		sandbox_err(err, errlen, "landlock: %s: %s", dir,
		    strerror(errno));
	close(pb.parent_fd);
	return rc;
}

/*
 * Anything not listed traps into sandbox_sigsys_cb, which says which
 * call it was and dies of SIGSYS; a call of another architecture (an
 * x32 or i386 entry into a 64-bit process) kills at once.
 */
static int
sandbox_seccomp(char *err, size_t errlen)
{
	struct sigaction	 sa;
	scmp_filter_ctx		 ctx;
	int			 rc;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = sandbox_sigsys_cb;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
	if (sigaction(SIGSYS, &sa, NULL) == -1) {
		sandbox_err(err, errlen, "sigaction: %s", strerror(errno));
		return -1;
	}
#ifdef SANDBOX_AUDIT
	/*
	 * For finding the list: every unlisted call is made and logged in
	 * the kernel's log (dmesg: "type=1326 ... syscall=N").
	 */
	ctx = seccomp_init(SCMP_ACT_LOG);
#else
	ctx = seccomp_init(SCMP_ACT_TRAP);
#endif
	if (ctx == NULL) {
		sandbox_err(err, errlen, "seccomp: cannot make a filter");
		return -1;
	}
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) == 0 && (rc = sandbox_rules(ctx)) == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc != 0) {
		sandbox_err(err, errlen, "seccomp: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

static int
sandbox_rules(scmp_filter_ctx ctx)
{
	size_t	 i;
	int	 rc;

	for (i = 0; i < sizeof(sandbox_calls) / sizeof(sandbox_calls[0]); i++) {
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
		    sandbox_calls[i], 0)) != 0)
			return rc;
	}
	/* Memory may be mapped, never executable (no code is made). */
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0))) != 0 ||
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0))) != 0)
		return rc;
	for (i = 0; i < sizeof(sandbox_ioctls) / sizeof(sandbox_ioctls[0]);
	    i++) {
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl),
		    1, SCMP_A1(SCMP_CMP_EQ, sandbox_ioctls[i]))) != 0)
			return rc;
	}
	return 0;
}

/*
 * A call outside the list: one line on stderr, then the same death as
 * SCMP_ACT_KILL_PROCESS gives (SIGSYS, a core). SA_RESETHAND has put
 * SIGSYS back to its default, so the next trapped call is fatal: reboot
 * is never allowed (and would fail without the capability anyway).
 */
static void
sandbox_sigsys_cb(int sig, siginfo_t *si, void *uctx)
{
	char		 buf[128], num[16];
	unsigned	 nr;
	size_t		 n, len;

	(void)sig;
	(void)uctx;
	nr = (unsigned)si->si_syscall;
	n = sizeof(num);
	do {
		num[--n] = (char)('0' + nr % 10);
		nr /= 10;
	} while (nr != 0 && n > 0);
	len = 0;
	memcpy(buf, "chat_server: sandbox: system call ", 34);
	len += 34;
	memcpy(buf + len, num + n, sizeof(num) - n);
	len += sizeof(num) - n;
	memcpy(buf + len, " is not allowed\n", 16);
	len += 16;
	if (write(STDERR_FILENO, buf, len) == -1) {
		/* Nothing left to tell it with. */
	}
	syscall(SYS_reboot, 0, 0, 0, NULL);
	_exit(128 + SIGSYS);
}

/* The test hook "open:PATH": may the server still write to PATH? */
static void
sandbox_test_open(void)
{
	const char	*v;
	int		 fd;

	if ((v = getenv(SANDBOX_TEST_ENV)) == NULL || strncmp(v, "open:", 5))
		return;
	if ((fd = open(v + 5, O_WRONLY | O_APPEND | O_CLOEXEC)) == -1) {
		fprintf(stderr, "chat_server: sandbox test: open %s: %s\n",
		    v + 5, strerror(errno));
		return;
	}
	fprintf(stderr, "chat_server: sandbox test: open %s: ok\n", v + 5);
	close(fd);
}

/* The test hook "execve": SIGUSR2 runs /bin/true from the loop. */
static void
sandbox_test_execve(void)
{
	struct sigaction	 sa;
	const char		*v;

	if ((v = getenv(SANDBOX_TEST_ENV)) == NULL || strcmp(v, "execve"))
		return;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = sandbox_execve_cb;
	sigaction(SIGUSR2, &sa, NULL);
}

static void
sandbox_execve_cb(int sig)
{
	char	*argv[] = { "true", NULL }, *envp[] = { NULL };

	(void)sig;
	execve("/bin/true", argv, envp);
}

static void
sandbox_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
