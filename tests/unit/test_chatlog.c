/*
 * Unit tests for chat_client/chatlog.c: the log's file name (no '/',
 * no dot file), its place under XDG_DATA_HOME or HOME, a file made 0600
 * in folders made 0700, lines appended with the date before them.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "chatlog.h"

#define UNUSED(x)	((void)(x))

static void
test_name(void **state)
{
	char	 buf[128];

	UNUSED(state);
	chatlog_name("127.0.0.1:8888", "lab-2", buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1:8888_lab-2.log");
	chatlog_name("[::1]:8888", "../x y", buf, sizeof(buf));
	assert_string_equal(buf, "_::1_:8888_.._x_y.log");
	chatlog_name(".h:1", "", buf, sizeof(buf));
	assert_string_equal(buf, "_h:1_chat.log");
	chatlog_name("h:1", "实验室", buf, sizeof(buf));
	assert_string_equal(buf, "h:1_实验室.log");
}

static void
test_path(void **state)
{
	char	 buf[256];

	UNUSED(state);
	setenv("XDG_DATA_HOME", "/x/data", 1);
	setenv("HOME", "/home/ann", 1);
	assert_string_equal(chatlog_path("h:1", "r", buf, sizeof(buf)),
	    "/x/data/lanchat/logs/h:1_r.log");
	setenv("XDG_DATA_HOME", "relative", 1);
	assert_string_equal(chatlog_path("h:1", "r", buf, sizeof(buf)),
	    "/home/ann/.local/share/lanchat/logs/h:1_r.log");
	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	assert_null(chatlog_path("h:1", "r", buf, sizeof(buf)));
}

static void
test_open_write(void **state)
{
	struct chatlog	 l;
	struct stat	 st;
	char		 dir[64], path[128], err[256], buf[256];
	FILE		*f;
	size_t		 n;

	UNUSED(state);
	snprintf(dir, sizeof(dir), "/tmp/test_chatlog.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a/logs/h_r.log", dir);
	setenv("TZ", "UTC", 1);
	assert_int_equal(chatlog_open(&l, path, err, sizeof(err)), 0);
	chatlog_write(&l, 86400, "00:00:00 <bob> hi");
	chatlog_close(&l);
	assert_int_equal(chatlog_open(&l, path, err, sizeof(err)), 0);
	chatlog_write(&l, 86401, "00:00:01 -- bob left (quit)");
	chatlog_close(&l);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(buf, sizeof(buf), "%s/a/logs", dir);
	assert_int_equal(stat(buf, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_non_null(f = fopen(path, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, "1970-01-02 00:00:00 <bob> hi\n"
	    "1970-01-02 00:00:01 -- bob left (quit)\n");
	assert_int_equal(unlink(path), 0);
	snprintf(buf, sizeof(buf), "%s/a/logs", dir);
	assert_int_equal(rmdir(buf), 0);
	snprintf(buf, sizeof(buf), "%s/a", dir);
	assert_int_equal(rmdir(buf), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(chatlog_open(&l, "/proc/nope/x.log", err,
	    sizeof(err)), -1);
	assert_int_equal(l.fd, -1);
	assert_non_null(strstr(err, "cannot write the log /proc/nope/x.log"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_open_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
