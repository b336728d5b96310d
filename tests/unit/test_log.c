/*
 * Unit tests for shared/log.c: the "prog: message" form, level
 * filtering, and that a trace line carrying a datagram stays one line
 * with control, bidi (controls and marks) and invalid bytes escaped as
 * \xNN (a hostile datagram cannot drive the operator's terminal).
 * stderr is pointed at a temporary file.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

#define CAPTURE_MAX	16384

struct capture {
	FILE	*f;
	int	 saved;
	char	 text[CAPTURE_MAX];
	size_t	 len;
};

static void	capture_start(struct capture *);
static void	capture_end(struct capture *);

static void
capture_start(struct capture *c)
{
	fflush(stderr);
	c->f = tmpfile();
	assert_non_null(c->f);
	c->saved = dup(STDERR_FILENO);
	assert_true(c->saved != -1);
	assert_true(dup2(fileno(c->f), STDERR_FILENO) != -1);
}

/* Restores stderr; c->text holds what was written, NUL-terminated. */
static void
capture_end(struct capture *c)
{
	assert_true(dup2(c->saved, STDERR_FILENO) != -1);
	close(c->saved);
	rewind(c->f);
	c->len = fread(c->text, 1, sizeof c->text - 1, c->f);
	c->text[c->len] = '\0';
	fclose(c->f);
}

static void
test_format_and_levels(void **state)
{
	struct capture	c;

	(void)state;
	capture_start(&c);
	log_init("/usr/bin/chat_server", LOG_INFO);
	log_info("listening on %s %d", "127.0.0.1", 8888);
	log_debug("not shown at info");
	log_trace("not shown either");
	log_error("shown: %s", "always");
	log_init("chat_client", LOG_QUIET);
	log_info("quiet hides info");
	log_error("but not errors");
	log_init("p", LOG_DEBUG);
	log_debug("debug %d", 1);
	log_trace("no trace at debug");
	log_init("p", LOG_TRACE);
	log_trace("trace %d", 2);
	capture_end(&c);
	assert_string_equal(c.text,
	    "chat_server: listening on 127.0.0.1 8888\n"
	    "chat_server: shown: always\n"
	    "chat_client: but not errors\n"
	    "p: debug 1\n"
	    "p: trace 2\n");
	assert_int_equal(log_get_level(), LOG_TRACE);
}

/* Stamps: local time, ISO 8601, milliseconds, the offset as +hh:mm. */
static void
test_stamps(void **state)
{
	struct capture	c;
	char		stamp[40];
	char		*p;

	(void)state;
	log_stamp(stamp, sizeof stamp);
	assert_int_equal(strlen(stamp), strlen("2026-03-02T14:05:09.031+01:00"));
	assert_true(stamp[4] == '-' && stamp[7] == '-' && stamp[10] == 'T' &&
	    stamp[13] == ':' && stamp[16] == ':' && stamp[19] == '.' &&
	    (stamp[23] == '+' || stamp[23] == '-') && stamp[26] == ':');
	capture_start(&c);
	log_init("chat_server", LOG_INFO);
	log_set_stamps(1);
	log_info("join %s", "alice");
	log_set_stamps(0);
	log_info("plain");
	capture_end(&c);
	p = strchr(c.text, ' ');
	assert_non_null(p);
	assert_int_equal(p - c.text, (long)strlen(stamp));
	assert_true(strncmp(c.text, stamp, 11) == 0);	/* the same day */
	assert_string_equal(p, " chat_server: join alice\nchat_server: plain\n");
}

static void
writer_cb(void *arg, const char *line, size_t len)
{
	struct capture	*c = arg;

	memcpy(c->text + c->len, line, len);
	c->len += len;
	c->text[c->len] = '\0';
}

/* A writer (the server's console) gets each whole line instead. */
static void
test_writer(void **state)
{
	struct capture	c;

	(void)state;
	c.len = 0;
	log_init("p", LOG_INFO);
	log_set_writer(writer_cb, &c);
	log_info("one");
	log_error("two \x1b[2J");
	log_set_writer(NULL, NULL);
	assert_string_equal(c.text, "p: one\np: two \\x1b[2J\n");
}

/* ESC, BEL, newline, C1 CSI, RLO, RLM, ALM and a stray byte: escaped. */
static void
test_trace_escapes(void **state)
{
	struct capture	c;
	const char	dgram[] = "\x1b]0;x\x07\n\xc2\x9b\xe2\x80\xae\xff\\ok"
			    "\xe2\x80\x8f" "1\xd8\x9c" "2\xe2\x80\x8e";

	(void)state;
	capture_start(&c);
	log_init("s", LOG_TRACE);
	log_trace("in h %.*s", (int)(sizeof dgram - 1), dgram);
	log_info("name %s", "a\x1b[2Jb\r");
	capture_end(&c);
	assert_string_equal(c.text,
	    "s: in h \\x1b]0;x\\x07\\x0a\\xc2\\x9b\\xe2\\x80\\xae\\xff\\ok"
	    "\\xe2\\x80\\x8f1\\xd8\\x9c2\\xe2\\x80\\x8e\n"
	    "s: name a\\x1b[2Jb\\x0d\n");
}

/* A datagram of 1400 control bytes stays one (cut) line. */
static void
test_trace_long(void **state)
{
	struct capture	c;
	char		dgram[1400];
	char		*nl;

	(void)state;
	memset(dgram, 0x1b, sizeof dgram);
	capture_start(&c);
	log_init("s", LOG_TRACE);
	log_trace("in h %.*s", (int)sizeof dgram, dgram);
	memset(dgram, '\n', sizeof dgram);
	dgram[sizeof dgram - 1] = '\0';
	log_error("%s%s%s%s%s%s", dgram, dgram, dgram, dgram, dgram, dgram);
	capture_end(&c);
	nl = strchr(c.text, '\n');
	assert_non_null(nl);
	/* 1400 escaped bytes fit whole: 4 bytes each after "s: in h ". */
	assert_int_equal(nl - c.text, 8 + 4 * 1400);
	nl = strchr(nl + 1, '\n');
	assert_non_null(nl);
	assert_ptr_equal(nl, c.text + c.len - 1);
	assert_memory_equal(nl - 5, "[...]", 5);
}

static void
test_keeps_errno(void **state)
{
	struct capture	c;

	(void)state;
	capture_start(&c);
	log_init("s", LOG_INFO);
	errno = ENOENT;
	log_info("x");
	assert_int_equal(errno, ENOENT);
	capture_end(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_and_levels),
		cmocka_unit_test(test_stamps),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_trace_escapes),
		cmocka_unit_test(test_trace_long),
		cmocka_unit_test(test_keeps_errno),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
