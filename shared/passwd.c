/*
 * passwd: reads the --password-file of chat_server and chat_client
 * (passwd.h). The bound is the protocol's string limit, so a password
 * read here always fits the login's "password" field.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "passwd.h"
#include "proto.h"

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
	if (n <= 0 || n > PROTO_STR_MAX) {
		free(line);
		snprintf(err, errlen, "--password-file '%s': first line must "
		    "hold a password of 1-%d bytes", path, PROTO_STR_MAX);
		return -1;
	}
	*pw = line;
	return 0;
}
