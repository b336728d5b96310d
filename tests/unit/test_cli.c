/*
 * Unit tests for shared/cli.c. Both functions act on the process (one
 * exits, one fills descriptors), so each case runs in a child and the
 * parent checks what the child printed or found.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"

/* Runs cli_bad in a child with stderr on a pipe: its words and status. */
static int
bad_in_child(const char *value, char *out, size_t cap)
{
	int	 p[2], st;
	ssize_t	 n, got = 0;
	pid_t	 pid;

	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		dup2(p[1], STDERR_FILENO);
		cli_bad("prog", "bad --room '%s': %d bytes", value, 64);
	}
	close(p[1]);
	while ((n = read(p[0], out + got, cap - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void
test_bad(void **state)
{
	char	 out[256];

	(void)state;
	assert_int_equal(bad_in_child("x y", out, sizeof(out)), 2);
	assert_string_equal(out, "prog: bad --room 'x y': 64 bytes "
	    "(see --help)\n");
	/* What was typed comes back with no escape or bidi control. */
	assert_int_equal(bad_in_child("a\x1b[2J\xe2\x80\xae" "b", out,
	    sizeof(out)), 2);
	assert_string_equal(out, "prog: bad --room 'a^[[2J\xef\xbf\xbd"
	    "b': 64 bytes (see --help)\n");
}

static void
test_std_fds(void **state)
{
	struct stat	 null, st;
	pid_t		 pid;
	int		 status, fd;

	(void)state;
	assert_int_equal(stat("/dev/null", &null), 0);
	if ((pid = fork()) == 0) {
		close(STDIN_FILENO);
		close(STDOUT_FILENO);
		if (cli_std_fds() != 0)
			_exit(3);
		/* Both are /dev/null now, and the next file gets 3 or more. */
		for (fd = 0; fd <= 1; fd++)
			if (fstat(fd, &st) != 0 || st.st_rdev != null.st_rdev)
				_exit(4);
		if ((fd = dup(STDERR_FILENO)) < 3)
			_exit(5);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* Nothing closed: nothing changes. */
	fd = dup(STDIN_FILENO);
	assert_int_equal(cli_std_fds(), 0);
	assert_int_equal(dup(STDIN_FILENO), fd + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_std_fds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
