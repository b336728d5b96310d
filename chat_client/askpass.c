/*
 * askpass: a password from the terminal without echo (askpass.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "askpass.h"

static struct termios	 askpass_tty;	/* the modes before we asked */
static int		 askpass_fd = -1;
static const int	 askpass_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGTSTP };
#define ASKPASS_NSIGS	(sizeof(askpass_sigs) / sizeof(askpass_sigs[0]))

static void	 askpass_restore(int);
static int	 askpass_line(char *, size_t);

/* A signal while the password is typed: echo back on, then die of it. */
static void
askpass_restore(int sig)
{
	tcsetattr(askpass_fd, TCSAFLUSH, &askpass_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line, without its newline. -1: end of input before anything. */
static int
askpass_line(char *buf, size_t cap)
{
	size_t	 len = 0;
	ssize_t	 n;
	char	 ch;

	while ((n = read(askpass_fd, &ch, 1)) == 1 ||
	    (n == -1 && errno == EINTR)) {
		if (n != 1)
			continue;
		if (ch == '\n' || ch == '\r')
			break;
		if (len + 1 < cap)
			buf[len++] = ch;
	}
	buf[len] = '\0';
	return n == 1 || len > 0 ? 0 : -1;
}

enum askpass_result
askpass(const char *prompt, char *buf, size_t cap)
{
	struct termios	 quiet;
	size_t		 i;
	int		 got;

	if ((askpass_fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY))
	    == -1)
		return ASKPASS_NO_TTY;
	if (tcgetattr(askpass_fd, &askpass_tty) == -1) {
		close(askpass_fd);
		return ASKPASS_NO_TTY;
	}
	dprintf(askpass_fd, "%s", prompt);
	for (i = 0; i < ASKPASS_NSIGS; i++)
		signal(askpass_sigs[i], askpass_restore);
	quiet = askpass_tty;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	tcsetattr(askpass_fd, TCSAFLUSH, &quiet);
	got = askpass_line(buf, cap);
	tcsetattr(askpass_fd, TCSAFLUSH, &askpass_tty);
	for (i = 0; i < ASKPASS_NSIGS; i++)
		signal(askpass_sigs[i], SIG_DFL);
	dprintf(askpass_fd, "\n");
	close(askpass_fd);
	askpass_fd = -1;
	if (got == -1 || buf[0] == '\0') {
		explicit_bzero(buf, cap);
		return ASKPASS_NONE;
	}
	return ASKPASS_OK;
}
