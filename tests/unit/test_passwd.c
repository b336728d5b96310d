/*
 * Unit tests for shared/passwd.c: the first line without its line
 * ending, the 1-PROTO_PASSWORD_MAX byte bound at both ends, and the exact
 * words of each failure (the programs print them as they are),
 * including a path that opens but cannot be read (a directory).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "passwd.h"
#include "proto.h"

struct file {
	char	 path[64];
};

static void	file_write(struct file *, const char *, size_t);
static void	file_remove(struct file *);

static void
file_write(struct file *f, const char *data, size_t len)
{
	int	 fd;

	snprintf(f->path, sizeof(f->path), "/tmp/test_passwd.XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd != -1);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

static void
file_remove(struct file *f)
{
	assert_int_equal(unlink(f->path), 0);
}

/* Reads data through a file and expects the password want. */
static void
expect_password(const char *data, size_t len, const char *want)
{
	struct file	 f;
	char		 err[256] = "";
	char		*pw = NULL;

	file_write(&f, data, len);
	assert_int_equal(passwd_read(f.path, &pw, err, sizeof(err)), 0);
	assert_string_equal(pw, want);
	assert_string_equal(err, "");
	free(pw);
	file_remove(&f);
}

/* Reads data through a file and expects the bad-line refusal. */
static void
expect_bad_line(const char *data, size_t len)
{
	struct file	 f;
	char		 err[256], want[256];
	char		*pw = NULL;

	file_write(&f, data, len);
	assert_int_equal(passwd_read(f.path, &pw, err, sizeof(err)), -1);
	assert_null(pw);
	snprintf(want, sizeof(want), "--password-file '%s': first line must "
	    "hold a password of 1-%d bytes with no control characters",
	    f.path, PROTO_PASSWORD_MAX);
	assert_string_equal(err, want);
	file_remove(&f);
}

static void
test_first_line(void **state)
{
	(void)state;
	expect_password("secret\n", 7, "secret");
	expect_password("secret", 6, "secret");
	expect_password("secret\r\n", 8, "secret");
	expect_password("secret\nsecond line\n", 19, "secret");
	expect_password("with space and \xc3\xa9\n", 19, "with space and \xc3\xa9");
}

static void
test_empty(void **state)
{
	(void)state;
	expect_bad_line("", 0);
	expect_bad_line("\n", 1);
	expect_bad_line("\r\n", 2);
	expect_bad_line("\nsecret\n", 8);
}

static void
test_bound(void **state)
{
	char	 data[PROTO_PASSWORD_MAX + 2], want[PROTO_PASSWORD_MAX + 1];

	(void)state;
	memset(want, 'x', PROTO_PASSWORD_MAX);
	want[PROTO_PASSWORD_MAX] = '\0';
	memcpy(data, want, PROTO_PASSWORD_MAX);
	data[PROTO_PASSWORD_MAX] = '\n';
	expect_password(data, PROTO_PASSWORD_MAX + 1, want);
	data[PROTO_PASSWORD_MAX] = 'x';
	data[PROTO_PASSWORD_MAX + 1] = '\n';
	expect_bad_line(data, PROTO_PASSWORD_MAX + 2);
}

/* A NUL would cut the password short; other control bytes are refused too. */
static void
test_control(void **state)
{
	(void)state;
	expect_bad_line("abc\0def\n", 8);
	expect_bad_line("abc\x1b[31m\n", 9);
	expect_bad_line("tab\there\n", 9);
	expect_bad_line("del\x7f\n", 5);
}

static void
test_missing(void **state)
{
	char	 err[256];
	char	*pw = NULL;

	(void)state;
	assert_int_equal(passwd_read("/nonexistent/test_passwd", &pw, err,
	    sizeof(err)), -1);
	assert_null(pw);
	assert_string_equal(err, "cannot read --password-file "
	    "'/nonexistent/test_passwd': No such file or directory");
}

/* A file that opens but cannot be read gets the read error's words. */
static void
test_directory(void **state)
{
	char	 dir[] = "/tmp/test_passwd_dir.XXXXXX";
	char	 err[256], want[256];
	char	*pw = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(passwd_read(dir, &pw, err, sizeof(err)), -1);
	assert_null(pw);
	snprintf(want, sizeof(want), "cannot read --password-file '%s': "
	    "Is a directory", dir);
	assert_string_equal(err, want);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_line),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_directory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
