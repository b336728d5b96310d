/*
 * passwd: reads the --password-file of chat_server and chat_client
 * (passwd.h). The bound and the ban on control bytes (NUL above all,
 * which would cut the password short) make a password read here one
 * that a login can carry and the server can compare whole.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "passwd.h"
#include "proto.h"

static bool	 passwd_has_control(const char *, size_t);

/* A C0 byte (NUL included) or DEL among the n bytes of s. */
static bool
passwd_has_control(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return true;
	return false;
}

int
passwd_read(const char *path, char **pw, char *err, size_t errlen)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "cannot read --password-file '%s': %s",
		    path, strerror(errno));
		return -1;
	}
	errno = 0;
	n = getline(&line, &cap, f);
	if (n == -1 && ferror(f)) {
		/* A directory, say: its words, not "first line must ...". */
		snprintf(err, errlen, "cannot read --password-file '%s': %s",
		    path, strerror(errno != 0 ? errno : EIO));
		fclose(f);
		free(line);
		return -1;
	}
	fclose(f);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n <= 0 || n > PROTO_PASSWORD_MAX || passwd_has_control(line, n)) {
		free(line);
		snprintf(err, errlen, "--password-file '%s': first line must "
		    "hold a password of 1-%d bytes with no control characters",
		    path, PROTO_PASSWORD_MAX);
		return -1;
	}
	*pw = line;
	return 0;
}
