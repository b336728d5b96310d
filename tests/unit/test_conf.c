/*
 * Unit tests for shared/conf.c: a file becomes the arguments it stands
 * for, before the command line's; --config found and taken out; the
 * grammar (comments, blanks, quotes, flags); the environment's
 * variables between the two; and the exact words of every refusal,
 * which name the file, the line and the key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"

static const struct option test_opts[] = {
	{ "announce",	required_argument,	NULL, 1 },
	{ "motd",	required_argument,	NULL, 2 },
	{ "port",	required_argument,	NULL, 'p' },
	{ "room",	required_argument,	NULL, 3 },
	{ "trace",	no_argument,		NULL, 4 },
	{ NULL,		0,			NULL, 0 }
};
static const char *const test_deny[] = { "announce", NULL };

struct file {
	char	 path[64];
};

static void	file_write(struct file *, const char *);
static void	file_remove(struct file *);
static void	expect_args(struct conf *, const char *const *);
static void	expect_refused(const char *, const char *);

static void
file_write(struct file *f, const char *data)
{
	int	 fd;

	snprintf(f->path, sizeof(f->path), "/tmp/test_conf.XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd != -1);
	assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	assert_int_equal(close(fd), 0);
}

static void
file_remove(struct file *f)
{
	assert_int_equal(unlink(f->path), 0);
}

/* c's argv is want (NULL-ended), and ends with NULL. */
static void
expect_args(struct conf *c, const char *const *want)
{
	int	 i;

	for (i = 0; want[i] != NULL; i++) {
		assert_true(i < c->argc);
		assert_string_equal(c->argv[i], want[i]);
	}
	assert_int_equal(c->argc, i);
	assert_null(c->argv[i]);
}

/* A file holding data is refused with err "FILE:" + want. */
static void
expect_refused(const char *data, const char *want)
{
	struct conf_spec	 spec = { test_opts, test_deny, NULL, NULL };
	struct conf		 c;
	struct file		 f;
	char			 err[512], full[512];
	char			*argv[] = { "prog", "--config", NULL, NULL };

	file_write(&f, data);
	argv[2] = f.path;
	assert_int_equal(conf_load(&c, &spec, 3, argv, err, sizeof(err)), -1);
	snprintf(full, sizeof(full), "%s:%s", f.path, want);
	assert_string_equal(err, full);
	assert_null(c.argv);
	file_remove(&f);
}

/* Keys in order, as options, before the command line; --config gone. */
static void
test_file_then_command_line(void **state)
{
	struct conf_spec	 spec = { test_opts, test_deny, NULL, NULL };
	struct conf		 c;
	struct file		 f;
	char			 err[256] = "", where[128];
	char			*argv[] = { "prog", "-p", "9", "--config", NULL,
				    "--room=cli", NULL };

	(void)state;
	file_write(&f, "# the lab's room\n"
	    "\n"
	    "   port = 7000\n"
	    "room=physics\r\n"
	    "\ttrace = yes\n"
	    "motd = \"  welcome #1  \"\n"
	    "  # indented comment\n"
	    "motd = a # not a comment");
	argv[4] = f.path;
	assert_int_equal(conf_load(&c, &spec, 6, argv, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	expect_args(&c, (const char *const[]){ "prog", "--port=7000",
	    "--room=physics", "--trace", "--motd=  welcome #1  ",
	    "--motd=a # not a comment", "-p", "9", "--room=cli", NULL });
	assert_int_equal(c.nfrom, 5);
	assert_string_equal(c.path, f.path);
	snprintf(where, sizeof(where), "%s:3", f.path);
	assert_string_equal(conf_where(&c, 1), where);
	snprintf(where, sizeof(where), "%s:8", f.path);
	assert_string_equal(conf_where(&c, 5), where);
	assert_null(conf_where(&c, 0));
	assert_null(conf_where(&c, 6));
	assert_null(conf_where(&c, 99));
	conf_free(&c);
	file_remove(&f);
}

/* --config=FILE, the last one counts; after "--" nothing is an option. */
static void
test_config_forms(void **state)
{
	struct conf_spec	 spec = { test_opts, test_deny, NULL, NULL };
	struct conf		 c;
	struct file		 a, b;
	char			 err[256], opt[96];
	char			*argv[] = { "prog", "--config", NULL, NULL,
				    "--", "--config", "x", NULL };

	(void)state;
	file_write(&a, "port = 1\n");
	file_write(&b, "port = 2\n");
	argv[2] = a.path;
	snprintf(opt, sizeof(opt), "--config=%s", b.path);
	argv[3] = opt;
	assert_int_equal(conf_load(&c, &spec, 7, argv, err, sizeof(err)), 0);
	expect_args(&c, (const char *const[]){ "prog", "--port=2", "--",
	    "--config", "x", NULL });
	conf_free(&c);
	file_remove(&a);
	file_remove(&b);
}

/* A flag is yes or no in any case; no leaves it out. */
static void
test_flags(void **state)
{
	struct conf_spec	 spec = { test_opts, test_deny, NULL, NULL };
	struct conf		 c;
	struct file		 f;
	char			 err[256];
	char			*argv[] = { "prog", "--config", NULL, NULL };

	(void)state;
	file_write(&f, "trace = No\ntrace = off\ntrace = 0\ntrace = false\n"
	    "trace = TRUE\ntrace = on\ntrace = 1\n");
	argv[2] = f.path;
	assert_int_equal(conf_load(&c, &spec, 3, argv, err, sizeof(err)), 0);
	expect_args(&c, (const char *const[]){ "prog", "--trace", "--trace",
	    "--trace", NULL });
	conf_free(&c);
	file_remove(&f);
}

/* Each refusal names the file, the line and the key. */
static void
test_refusals(void **state)
{
	char	 line[CONF_LINE_MAX + 16];

	(void)state;
	expect_refused("port = 1\nprot = 2\n", "2: unknown key 'prot'");
	expect_refused("announce = hi\n", "1: key 'announce' cannot be set "
	    "in a file, only on the command line");
	expect_refused("\n\nport 8888\n", "3: key 'port' needs '= value'");
	expect_refused("= 5\n", "1: '=' without a key");
	expect_refused("room =   \n", "1: key 'room' needs a value");
	expect_refused("trace = maybe\n", "1: key 'trace' takes yes or no, "
	    "not 'maybe'");
	expect_refused("Port = 1\n", "1: unknown key 'Port'");
	expect_refused("por = 1\n", "1: unknown key 'por'");
	memset(line, 'x', sizeof(line));
	memcpy(line, "motd = ", 7);
	line[CONF_LINE_MAX + 1] = '\n';
	line[CONF_LINE_MAX + 2] = '\0';
	expect_refused(line, "1: line longer than 4096 bytes");
}

/* A line of exactly CONF_LINE_MAX bytes is read whole. */
static void
test_longest_line(void **state)
{
	struct conf_spec	 spec = { test_opts, test_deny, NULL, NULL };
	struct conf		 c;
	struct file		 f;
	char			 line[CONF_LINE_MAX + 2], err[256];
	char			*argv[] = { "prog", "--config", NULL, NULL };

	(void)state;
	memset(line, 'x', CONF_LINE_MAX);
	memcpy(line, "motd = ", 7);
	line[CONF_LINE_MAX] = '\n';
	line[CONF_LINE_MAX + 1] = '\0';
	file_write(&f, line);
	argv[2] = f.path;
	assert_int_equal(conf_load(&c, &spec, 3, argv, err, sizeof(err)), 0);
	assert_int_equal(strlen(c.argv[1]), strlen("--motd=") +
	    CONF_LINE_MAX - 7);
	conf_free(&c);
	file_remove(&f);
}

/* A given file must exist; a missing default is no file at all. */
static void
test_missing(void **state)
{
	struct conf_spec	 spec = { test_opts, test_deny,
				    "/nonexistent/lanchat.conf", NULL };
	struct conf		 c;
	char			 err[256] = "";
	char			*argv[] = { "prog", "-p", "1", "--config",
				    "/nonexistent/x.conf", NULL };

	(void)state;
	assert_int_equal(conf_load(&c, &spec, 3, argv, err, sizeof(err)), 0);
	expect_args(&c, (const char *const[]){ "prog", "-p", "1", NULL });
	assert_string_equal(c.path, "");
	assert_int_equal(c.nfrom, 0);
	conf_free(&c);
	assert_int_equal(conf_load(&c, &spec, 5, argv, err, sizeof(err)), -1);
	assert_string_equal(err, "cannot read /nonexistent/x.conf: "
	    "No such file or directory");
	argv[4] = "";
	assert_int_equal(conf_load(&c, &spec, 5, argv, err, sizeof(err)), -1);
	assert_string_equal(err, "--config needs a file");
	assert_int_equal(conf_load(&c, &spec, 4, argv, err, sizeof(err)), -1);
	assert_string_equal(err, "--config needs a file");
}

/* The default is read when there; a directory is a read error. */
static void
test_default(void **state)
{
	struct conf_spec	 spec = { test_opts, test_deny, NULL, NULL };
	struct conf		 c;
	struct file		 f;
	char			 dir[] = "/tmp/test_conf_dir.XXXXXX";
	char			 err[256], want[256];
	char			*argv[] = { "prog", NULL };

	(void)state;
	file_write(&f, "room = lab\n");
	spec.defpath = f.path;
	assert_int_equal(conf_load(&c, &spec, 1, argv, err, sizeof(err)), 0);
	expect_args(&c, (const char *const[]){ "prog", "--room=lab", NULL });
	conf_free(&c);
	file_remove(&f);
	assert_non_null(mkdtemp(dir));
	spec.defpath = dir;
	assert_int_equal(conf_load(&c, &spec, 1, argv, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot read %s: Is a directory", dir);
	assert_string_equal(err, want);
	assert_int_equal(rmdir(dir), 0);
}

/* Set variables come after the file and say where they came from. */
static void
test_env(void **state)
{
	static const char *const env[] = { "TEST_CONF_ROOM", "room",
	    "TEST_CONF_PORT", "port", NULL };
	struct conf_spec	 spec = { test_opts, test_deny, NULL, env };
	struct conf		 c;
	struct file		 f;
	char			 err[256];
	char			*argv[] = { "prog", "--config", NULL, "--room=z",
				    NULL };

	(void)state;
	file_write(&f, "room = a\n");
	argv[2] = f.path;
	setenv("TEST_CONF_ROOM", "b", 1);
	setenv("TEST_CONF_PORT", "", 1);
	assert_int_equal(conf_load(&c, &spec, 4, argv, err, sizeof(err)), 0);
	expect_args(&c, (const char *const[]){ "prog", "--room=a", "--room=b",
	    "--room=z", NULL });
	assert_int_equal(c.nfrom, 2);
	assert_string_equal(conf_where(&c, 2), "TEST_CONF_ROOM");
	assert_null(conf_where(&c, 3));
	conf_free(&c);
	unsetenv("TEST_CONF_ROOM");
	unsetenv("TEST_CONF_PORT");
	file_remove(&f);
}

/* XDG_CONFIG_HOME if absolute, else HOME, else nothing. */
static void
test_user_path(void **state)
{
	char	 buf[128];

	(void)state;
	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	setenv("HOME", "/home/ann", 1);
	assert_string_equal(conf_user_path("client.conf", buf, sizeof(buf)),
	    "/x/cfg/lanchat/client.conf");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	assert_string_equal(conf_user_path("client.conf", buf, sizeof(buf)),
	    "/home/ann/.config/lanchat/client.conf");
	assert_null(conf_user_path("client.conf", buf, 10));
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_null(conf_user_path("client.conf", buf, sizeof(buf)));
}

/* The whole text of the file at path (or "" if it is not there). */
static void
file_read(const char *path, char *buf, size_t cap)
{
	FILE	*f;
	size_t	 n = 0;

	if ((f = fopen(path, "r")) != NULL) {
		n = fread(buf, 1, cap - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/*
 * conf_set: the key's first line replaced, later ones dropped, the
 * user's comments, order and mode kept; added at the end (after a last
 * line without its newline too); "" drops it; a missing file is made
 * 0600; the file a symbolic link points at is the one rewritten.
 */
static void
test_set(void **state)
{
	struct file	 f;
	struct stat	 st;
	char		 buf[512], err[256], link[80], fresh[80], deep[160];

	(void)state;
	file_write(&f, "# mine\nname = ann\n  ignore = bob # old\n"
	    "port = 1\nignore=carol\n");
	assert_int_equal(chmod(f.path, 0640), 0);
	assert_int_equal(conf_set(f.path, "ignore", "bob dave", err,
	    sizeof(err)), 0);
	file_read(f.path, buf, sizeof(buf));
	assert_string_equal(buf, "# mine\nname = ann\nignore = bob dave\n"
	    "port = 1\n");
	assert_int_equal(stat(f.path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(conf_set(f.path, "ignore", "", err, sizeof(err)), 0);
	file_read(f.path, buf, sizeof(buf));
	assert_string_equal(buf, "# mine\nname = ann\nport = 1\n");
	snprintf(link, sizeof(link), "%s.link", f.path);
	assert_int_equal(symlink(f.path, link), 0);
	assert_int_equal(conf_set(link, "name", "eve", err, sizeof(err)), 0);
	file_read(f.path, buf, sizeof(buf));
	assert_string_equal(buf, "# mine\nname = eve\nport = 1\n");
	assert_int_equal(unlink(link), 0);
	file_remove(&f);

	file_write(&f, "# no newline at the end");
	assert_int_equal(conf_set(f.path, "ignore", "bob", err, sizeof(err)),
	    0);
	file_read(f.path, buf, sizeof(buf));
	assert_string_equal(buf, "# no newline at the end\nignore = bob\n");
	file_remove(&f);

	snprintf(fresh, sizeof(fresh), "%s.fresh", f.path);
	assert_int_equal(conf_set(fresh, "ignore", "bob", err, sizeof(err)),
	    0);
	file_read(fresh, buf, sizeof(buf));
	assert_string_equal(buf, "ignore = bob\n");
	assert_int_equal(stat(fresh, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(unlink(fresh), 0);

	/* A new user: neither ~/.config nor ~/.config/lanchat exists. */
	snprintf(deep, sizeof(deep), "%s.d/config/lanchat/client.conf", f.path);
	assert_int_equal(conf_set(deep, "ignore", "bob", err, sizeof(err)), 0);
	file_read(deep, buf, sizeof(buf));
	assert_string_equal(buf, "ignore = bob\n");
	assert_int_equal(unlink(deep), 0);
	*strrchr(deep, '/') = '\0';
	assert_int_equal(stat(deep, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(rmdir(deep), 0);
	*strrchr(deep, '/') = '\0';
	assert_int_equal(rmdir(deep), 0);
	*strrchr(deep, '/') = '\0';
	assert_int_equal(rmdir(deep), 0);

	/* A folder that cannot be made (a file is in the way): refused. */
	file_write(&f, "");
	snprintf(deep, sizeof(deep), "%s/sub/x.conf", f.path);
	assert_int_equal(conf_set(deep, "ignore", "bob", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Not a directory"));
	file_remove(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_then_command_line),
		cmocka_unit_test(test_config_forms),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_longest_line),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_user_path),
		cmocka_unit_test(test_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
