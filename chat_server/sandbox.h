/*
 * sandbox: the server's least privilege, entered once everything it
 * opens at start-up is open (the socket bound, the transcript, the
 * control socket) and before it reads a datagram:
 *
 *   1. started as root, it becomes --user (default nobody): groups, gid,
 *      uid, each checked, and checked that root cannot come back;
 *   2. no new privileges (no set-uid program can give any back);
 *   3. Landlock, where the kernel has it: no file may be opened, made or
 *      removed except in the transcript's directory (to write) and the
 *      control socket's (to remove it at exit);
 *   4. seccomp: only the system calls the loop makes (sandbox.c lists
 *      them, found with strace over the whole test suite); anything else
 *      prints "chat_server: sandbox: system call N is not allowed" and
 *      kills the server with SIGSYS (a core, not a carried-on error).
 *
 * Steps 2-4 are skipped with --no-sandbox; step 1 always happens as root.
 *
 * Test hook (tests/integration/server_sandbox.py): with the variable
 * CHAT_SERVER_SANDBOX_TEST set, "open:PATH" makes step 3 try to open
 * PATH for writing and say how it went on stderr; "execve" makes
 * SIGUSR2 run /bin/true, which the filter forbids. Neither can give the
 * server a right.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stddef.h>

struct options;

/*
 * Enters it for the server started with opt (server.h: --user,
 * --no-sandbox, --transcript) whose control socket is at control (NULL
 * for none). Returns 0, or -1 with err filled (errlen bytes) in words an
 * operator can act on; the caller must then exit, the process being
 * half-way.
 */
int	 sandbox_enter(const struct options *opt, const char *control,
	    char *err, size_t errlen);

#endif /* SANDBOX_H */
