/*
 * Unit tests for chat_server/transcript.c: the exact line of each event
 * type, escaping (every line parses as JSON and gives back the string,
 * whatever bytes went in), the size bound, and the file: created 0600,
 * appended, a failing write reported once, a line the disk had room
 * for only part of taken back, a stalled FIFO reader never blocking.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cJSON.h>
#include <cmocka.h>

#include "proto.h"
#include "transcript.h"

static void
encode_is(const struct transcript_event *e, const char *want)
{
	char	 buf[TRANSCRIPT_LINE_MAX];
	size_t	 n;

	n = transcript_encode(e, buf, sizeof(buf));
	assert_int_equal(n, strlen(want));
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void
test_types(void **state)
{
	struct transcript_event	 e;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.type = "chat";
	e.ts = 1700000000123ULL;
	e.from = "alice";
	e.text = "hello 你好";
	encode_is(&e, "{\"ts\":1700000000123,\"type\":\"chat\","
	    "\"from\":\"alice\",\"text\":\"hello 你好\"}\n");

	memset(&e, 0, sizeof(e));
	e.type = "join";
	e.ts = 1;
	e.name = "张伟";
	encode_is(&e, "{\"ts\":1,\"type\":\"join\",\"name\":\"张伟\"}\n");

	memset(&e, 0, sizeof(e));
	e.type = "leave";
	e.ts = 2;
	e.name = "bob";
	e.reason = "kicked";
	e.text = "too loud";
	encode_is(&e, "{\"ts\":2,\"type\":\"leave\",\"name\":\"bob\","
	    "\"reason\":\"kicked\",\"text\":\"too loud\"}\n");
	/* Joins and leaves say where the session came from. */
	e.addr = "[::1]:4000";
	e.reason = "shutdown";
	e.text = NULL;
	encode_is(&e, "{\"ts\":2,\"type\":\"leave\",\"name\":\"bob\","
	    "\"reason\":\"shutdown\",\"addr\":\"[::1]:4000\"}\n");

	memset(&e, 0, sizeof(e));
	e.type = "rename";
	e.ts = 3;
	e.from = "bob";
	e.to = "robert";
	encode_is(&e, "{\"ts\":3,\"type\":\"rename\",\"from\":\"bob\","
	    "\"to\":\"robert\"}\n");

	memset(&e, 0, sizeof(e));
	e.type = "announce";
	e.ts = 4;
	e.text = "exam at 10";
	encode_is(&e, "{\"ts\":4,\"type\":\"announce\",\"text\":\"exam at 10\"}\n");

	/* Version 2: the message number, and a chat's action. */
	memset(&e, 0, sizeof(e));
	e.type = "chat";
	e.ts = 5;
	e.mid = 17;
	e.from = "bob";
	e.text = "waves";
	e.action = true;
	encode_is(&e, "{\"ts\":5,\"mid\":17,\"type\":\"chat\","
	    "\"from\":\"bob\",\"text\":\"waves\",\"action\":true}\n");
}

/* Parses line (one object and its newline) and returns the text field. */
static cJSON *
parse_line(const char *line, size_t len)
{
	cJSON	*o;

	assert_true(len > 0);
	assert_int_equal(line[len - 1], '\n');
	assert_null(memchr(line, '\n', len - 1));
	o = cJSON_ParseWithLength(line, len);
	assert_non_null(o);
	return o;
}

static void
round_trip(const char *text, const char *want)
{
	struct transcript_event	 e;
	char			 buf[TRANSCRIPT_LINE_MAX];
	cJSON			*o, *t;
	size_t			 n, i;

	memset(&e, 0, sizeof(e));
	e.type = "announce";
	e.ts = 5;
	e.text = text;
	n = transcript_encode(&e, buf, sizeof(buf));
	/* No raw control byte (nor DEL) anywhere in the line but its end. */
	for (i = 0; i + 1 < n; i++)
		assert_true((unsigned char)buf[i] >= 0x20 &&
		    (unsigned char)buf[i] != 0x7f);
	o = parse_line(buf, n);
	t = cJSON_GetObjectItemCaseSensitive(o, "text");
	assert_true(cJSON_IsString(t));
	assert_string_equal(t->valuestring, want);
	cJSON_Delete(o);
}

static void
test_escaping(void **state)
{
	(void)state;
	round_trip("say \"hi\" \\o/", "say \"hi\" \\o/");
	round_trip("a\x01" "b\x1b[31mc\x7f" "d\te\nf", "a\x01" "b\x1b[31mc\x7f"
	    "d\te\nf");
	/* C1 (U+0085), line and paragraph separators: escaped, kept. */
	round_trip("x\xc2\x85y\xe2\x80\xa8z\xe2\x80\xa9", "x\xc2\x85y"
	    "\xe2\x80\xa8z\xe2\x80\xa9");
	/* Invalid UTF-8 cannot be kept in JSON: U+FFFD. */
	round_trip("bad \xff\xc3 end", "bad \xef\xbf\xbd\xef\xbf\xbd end");
}

static void
test_escape_form(void **state)
{
	struct transcript_event	 e;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.type = "chat";
	e.ts = 6;
	e.from = "a";
	e.text = "\x1b\x7f\xe2\x80\xa8";
	encode_is(&e, "{\"ts\":6,\"type\":\"chat\",\"from\":\"a\","
	    "\"text\":\"\\u001b\\u007f\\u2028\"}\n");
}

/* The worst 1000-byte text with the longest names still fits a line. */
static void
test_longest(void **state)
{
	struct transcript_event	 e;
	char			 text[PROTO_TEXT_MAX + 1];
	char			 name[PROTO_NAME_MAX_BYTES + 1];
	char			 buf[TRANSCRIPT_LINE_MAX];
	cJSON			*o;
	size_t			 n;

	(void)state;
	memset(text, 0x01, PROTO_TEXT_MAX);
	text[PROTO_TEXT_MAX] = '\0';
	memset(name, 0x02, PROTO_NAME_MAX_BYTES);
	name[PROTO_NAME_MAX_BYTES] = '\0';
	memset(&e, 0, sizeof(e));
	e.type = "leave";
	e.ts = UINT64_C(9007199254740991);
	e.name = name;
	e.from = name;
	e.to = name;
	e.reason = "kicked";
	e.text = text;
	n = transcript_encode(&e, buf, sizeof(buf));
	assert_true(n > 6 * PROTO_TEXT_MAX);
	o = parse_line(buf, n);
	cJSON_Delete(o);
	/* One byte short of the line: nothing, never a cut object. */
	assert_int_equal(transcript_encode(&e, buf, n - 1), 0);
	assert_int_equal(transcript_encode(&e, buf, n), n);
}

static void
test_file(void **state)
{
	struct transcript	 t;
	struct transcript_event	 e;
	struct stat		 st;
	char			 dir[] = "/tmp/test_transcript.XXXXXX";
	char			 path[256], err[512], buf[256];
	FILE			*f;
	mode_t			 old;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/room.jsonl", dir);
	memset(&e, 0, sizeof(e));
	e.type = "join";
	e.ts = 7;
	e.name = "alice";
	/* A loose umask must not make the file readable by others. */
	old = umask(0);
	assert_int_equal(transcript_open(&t, path, err, sizeof(err)), 0);
	umask(old);
	assert_int_equal(transcript_write(&t, &e, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	transcript_close(&t);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* A second run appends. */
	assert_int_equal(transcript_open(&t, path, err, sizeof(err)), 0);
	e.name = "bob";
	assert_int_equal(transcript_write(&t, &e, err, sizeof(err)), 0);
	transcript_close(&t);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_string_equal(buf, "{\"ts\":7,\"type\":\"join\",\"name\":\"alice\"}\n");
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_string_equal(buf, "{\"ts\":7,\"type\":\"join\",\"name\":\"bob\"}\n");
	assert_null(fgets(buf, sizeof(buf), f));
	fclose(f);

	/* A folder, or a path in a missing folder: refused in words. */
	assert_int_equal(transcript_open(&t, dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, dir));
	assert_int_equal(t.fd, -1);
	snprintf(path, sizeof(path), "%s/missing/room.jsonl", dir);
	assert_int_equal(transcript_open(&t, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file or directory"));

	snprintf(path, sizeof(path), "%s/room.jsonl", dir);
	unlink(path);
	rmdir(dir);
}

/* A write that fails is reported the first time only. */
static void
test_write_error(void **state)
{
	struct transcript	 t;
	struct transcript_event	 e;
	char			 err[512];

	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	assert_int_equal(transcript_open(&t, "/dev/full", err, sizeof(err)), 0);
	memset(&e, 0, sizeof(e));
	e.type = "announce";
	e.ts = 8;
	e.text = "x";
	assert_int_equal(transcript_write(&t, &e, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/dev/full"));
	assert_non_null(strstr(err, "No space left on device"));
	assert_int_equal(transcript_write(&t, &e, err, sizeof(err)), -1);
	assert_string_equal(err, "");
	transcript_close(&t);
}

/*
 * The disk fills up in the middle of a line (RLIMIT_FSIZE stands in for
 * a full disk: the write is short, then fails), then there is room
 * again: the file must go on in whole JSON lines, the half line gone.
 * In a child, so the limit cannot touch the test's own output.
 */
static void
test_disk_full_midline(void **state)
{
	struct transcript	 t;
	struct transcript_event	 e;
	struct rlimit		 rl;
	struct stat		 st;
	char			 dir[] = "/tmp/test_transcript.XXXXXX";
	char			 path[256], err[512], text[PROTO_TEXT_MAX + 1];
	char			*data, *line, *nl;
	size_t			 lines;
	pid_t			 pid;
	FILE			*f;
	int			 status;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/room.jsonl", dir);
	memset(text, 'x', PROTO_TEXT_MAX);
	text[PROTO_TEXT_MAX] = '\0';
	memset(&e, 0, sizeof(e));
	e.type = "chat";
	e.ts = 9;
	e.from = "alice";
	e.text = text;
	if ((pid = fork()) == 0) {
		signal(SIGXFSZ, SIG_IGN);
		if (transcript_open(&t, path, err, sizeof(err)) == -1 ||
		    transcript_write(&t, &e, err, sizeof(err)) == -1)
			_exit(10);
		/* Room for half of the next line only. */
		getrlimit(RLIMIT_FSIZE, &rl);
		rl.rlim_cur = 1500;
		if (setrlimit(RLIMIT_FSIZE, &rl) == -1)
			_exit(11);
		if (transcript_write(&t, &e, err, sizeof(err)) != -1)
			_exit(12);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_FSIZE, &rl);
		e.text = "after";
		if (transcript_write(&t, &e, err, sizeof(err)) == -1)
			_exit(13);
		transcript_close(&t);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	assert_int_equal(stat(path, &st), 0);
	assert_non_null(data = calloc(1, (size_t)st.st_size + 1));
	assert_non_null(f = fopen(path, "r"));
	assert_int_equal(fread(data, 1, (size_t)st.st_size, f),
	    (size_t)st.st_size);
	fclose(f);
	/* Two whole lines: the first chat and "after"; no half line. */
	lines = 0;
	for (line = data; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		cJSON_Delete(parse_line(line, (size_t)(nl - line + 1)));
		lines++;
	}
	assert_string_equal(line, "");
	assert_int_equal(lines, 2);
	assert_non_null(strstr(data, "\"text\":\"after\"}\n"));
	free(data);
	unlink(path);
	rmdir(dir);
}

/*
 * A FIFO whose reader stopped reading: writes fail (reported once)
 * instead of blocking the server in write(2) once the pipe is full.
 * The alarm turns a blocked write into a failed test.
 */
static void
test_fifo_stalled(void **state)
{
	struct transcript	 t;
	struct transcript_event	 e;
	char			 dir[] = "/tmp/test_transcript.XXXXXX";
	char			 path[256], err[512], text[PROTO_TEXT_MAX + 1];
	static char		 buf[128 * 1024];
	char			*line;
	size_t			 got;
	ssize_t			 n;
	int			 rd, i, failed;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* No reader: refused at once, not a hang at start-up. */
	assert_int_equal(transcript_open(&t, path, err, sizeof(err)), -1);
	assert_true((rd = open(path, O_RDONLY | O_NONBLOCK)) != -1);
	assert_int_equal(transcript_open(&t, path, err, sizeof(err)), 0);
	/* Escaped, a line of 6 KiB: over PIPE_BUF, so it can go in part. */
	memset(text, '\1', PROTO_TEXT_MAX);
	text[PROTO_TEXT_MAX] = '\0';
	memset(&e, 0, sizeof(e));
	e.type = "announce";
	e.ts = 10;
	e.text = text;
	alarm(10);
	failed = 0;
	/* More than a pipe holds (64 KiB). */
	for (i = 0; i < 40; i++) {
		if (transcript_write(&t, &e, err, sizeof(err)) == -1) {
			if (failed++ == 0)
				assert_non_null(strstr(err, path));
			else
				assert_string_equal(err, "");
		}
	}
	alarm(0);
	assert_true(failed > 0);
	/*
	 * The reader catches up: the next line is a line of its own, even
	 * if the pipe took only the head of the last one that went in.
	 */
	got = 0;
	while ((n = read(rd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	e.text = "after";
	assert_int_equal(transcript_write(&t, &e, err, sizeof(err)), 0);
	while ((n = read(rd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	assert_true(got > 0 && buf[got - 1] == '\n');
	buf[got - 1] = '\0';
	line = strrchr(buf, '\n');
	line = line == NULL ? buf : line + 1;
	buf[got - 1] = '\n';
	assert_non_null(strstr(line, "\"text\":\"after\""));
	cJSON_Delete(parse_line(line, got - (size_t)(line - buf)));
	transcript_close(&t);
	close(rd);
	unlink(path);
	rmdir(dir);
}

/* No file: writing is a no-op that succeeds. */
static void
test_none(void **state)
{
	struct transcript	 t;
	struct transcript_event	 e;
	char			 err[64];

	(void)state;
	transcript_init(&t);
	memset(&e, 0, sizeof(e));
	e.type = "announce";
	e.text = "x";
	assert_int_equal(transcript_write(&t, &e, err, sizeof(err)), 0);
	transcript_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_escape_form),
		cmocka_unit_test(test_longest),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_disk_full_midline),
		cmocka_unit_test(test_fifo_stalled),
		cmocka_unit_test(test_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
