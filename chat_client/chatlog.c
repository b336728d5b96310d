/*
 * chatlog: the room's log file (chatlog.h). One write(2) with O_APPEND
 * per line, so two clients of the same user in the same room (two
 * terminals) interleave whole lines, never halves.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chatlog.h"
#include "conf.h"


void
chatlog_name(const char *server, const char *room, char *buf, size_t cap)
{
	size_t		 i, len;
	unsigned char	 c;

	if (cap == 0)
		return;
	snprintf(buf, cap, "%s_%s", server, room[0] != '\0' ? room : "chat");
	len = strlen(buf);
	for (i = 0; i < len; i++) {
		c = (unsigned char)buf[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c >= 0x80 ||
		    strchr(".-:@_", c) != NULL)
			continue;
		buf[i] = '_';
	}
	if (buf[0] == '.')
		buf[0] = '_';
	if (len + 4 < cap)
		memcpy(buf + len, ".log", 5);
}

const char *
chatlog_path(const char *server, const char *room, char *buf, size_t cap)
{
	char		 name[1024];
	const char	*dir;
	int		 n;

	chatlog_name(server, room, name, sizeof(name));
	if ((dir = getenv("XDG_DATA_HOME")) != NULL && dir[0] == '/')
		n = snprintf(buf, cap, "%s/lanchat/logs/%s", dir, name);
	else if ((dir = getenv("HOME")) != NULL && dir[0] != '\0')
		n = snprintf(buf, cap, "%s/.local/share/lanchat/logs/%s", dir,
		    name);
	else
		return NULL;
	return n < 0 || (size_t)n >= cap ? NULL : buf;
}

int
chatlog_open(struct chatlog *l, const char *path, char *err, size_t errlen)
{
	l->fd = -1;
	snprintf(l->path, sizeof(l->path), "%s", path);
	if (conf_mkdirs(l->path) == -1 ||
	    (l->fd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOCTTY, 0600)) == -1) {
		snprintf(err, errlen, "cannot write the log %s: %s", l->path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
chatlog_write(struct chatlog *l, time_t when, const char *line)
{
	struct tm	 tm;
	char		 buf[8192];
	size_t		 n = 0;
	ssize_t		 w;

	if (l->fd == -1)
		return;
	if (localtime_r(&when, &tm) != NULL)
		n = strftime(buf, sizeof(buf), "%Y-%m-%d ", &tm);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", line);
	if (n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	do
		w = write(l->fd, buf, n);
	while (w == -1 && errno == EINTR);
}

void
chatlog_close(struct chatlog *l)
{
	if (l->fd != -1)
		close(l->fd);
	l->fd = -1;
}
