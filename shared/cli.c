/*
 * cli: the command-line pieces both programs share (cli.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "utf8.h"

void
cli_bad(const char *prog, const char *fmt, ...)
{
	char	 msg[1024], safe[sizeof(msg) * 3];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	utf8_sanitize(msg, strlen(msg), safe, sizeof(safe));
	fprintf(stderr, "%s: %s (see --help)\n", prog, safe);
	exit(2);
}

int
cli_std_fds(void)
{
	int	 fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* The lowest free number: fd itself. */
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			return -1;
	}
	return 0;
}
