/*
 * cli: the command-line pieces both programs share (cli.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "utf8.h"

/* The arguments being read (cli_conf); like log.c's, one per process. */
static const struct conf *cli_args;

void
cli_conf(const struct conf *c)
{
	cli_args = c;
}

void
cli_bad(const char *prog, const char *fmt, ...)
{
	char		 msg[1024], safe[sizeof(msg) * 3];
	const char	*where = NULL;
	va_list		 ap;
	int		 n = 0;

	if (cli_args != NULL && (where = conf_where(cli_args, optind - 1)) !=
	    NULL)
		n = snprintf(msg, sizeof(msg) / 2, "%s: ", where);
	if (n >= (int)sizeof(msg) / 2)
		n = sizeof(msg) / 2 - 1;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
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
