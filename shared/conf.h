/*
 * conf: the configuration files of both programs. A file holds the
 * program's long options, one "key = value" a line, the key spelt as
 * the option without its dashes ("port = 8888", "room = lab-2"); a flag
 * takes yes or no ("trace = yes"). Blank lines and lines whose first
 * non-blank is '#' are skipped; a value is taken as written between the
 * '=' and the end of the line, trimmed, and may be put in double quotes
 * to keep blanks at its ends ('#' inside a value is part of it).
 *
 * The file is not read into a struct of its own: conf_load turns it into
 * the argv the program would have been given, "--key=value" each, with
 * the real command line after it. The program's one option handler then
 * reads both, so every option is a key without a table to keep in step,
 * a value is checked by the same code whichever way it came, and the
 * command line wins (the last of an option counts). conf_where says
 * which line an argument came from, for a refusal to name it.
 *
 * Never prints or exits: a failure fills err with words that name the
 * file, the line and the key.
 */
#ifndef CONF_H
#define CONF_H

#include <getopt.h>
#include <stddef.h>

/* A line longer than this is refused (no option needs one). */
#define CONF_LINE_MAX	4096

/* What a program's files may hold and where the default one is. */
struct conf_spec {
	const struct option	*opts;		/* the program's long options */
	const char *const	*deny;		/* keys no file may set; NULL-ended */
	const char		*defpath;	/* read if it exists and no
						   --config was given; NULL: none */
	const char *const	*env;		/* pairs: variable, key (its value
						   as that option, after the file);
						   NULL-ended, or NULL */
};

struct conf {
	int		 argc;		/* argv[0], the file's, the environment's,
					   then the command line's arguments */
	char		**argv;
	int		 nfrom;		/* argv[1..nfrom] came from the file
					   or the environment */
	char		**from;		/* from[i]: "FILE:LINE" or VARIABLE */
	char		 path[4096];	/* the file read; "" for none */
};

/*
 * Reads the file given by --config FILE (or --config=FILE; the last one
 * counts, and it must exist) or else spec->defpath if that exists, and
 * makes c->argv: the command line's argv[0], an argument per key, one
 * per set variable of spec->env, then the rest of the command line
 * without --config. Returns 0, or -1 with err filled (errlen bytes) and
 * c holding nothing to free.
 */
int		 conf_load(struct conf *c, const struct conf_spec *spec,
		    int argc, char **argv, char *err, size_t errlen);

/*
 * "FILE:LINE" or the variable argument i of c->argv came from; NULL for
 * one from the command line.
 */
const char	*conf_where(const struct conf *c, int i);

void		 conf_free(struct conf *c);

/*
 * A flag's value as a file writes it: 1 for yes, true, on, 1; 0 for
 * no, false, off, 0 (any case); -1 for anything else.
 */
int		 conf_bool(const char *v);

/*
 * A user's file: $XDG_CONFIG_HOME/lanchat/NAME, else
 * $HOME/.config/lanchat/NAME, in buf. Returns buf, or NULL when neither
 * variable is set or the path does not fit.
 */
const char	*conf_user_path(const char *name, char *buf, size_t len);

/*
 * mkdir -p of the folders of path (a file's path; its last part is not
 * made), mode 0700: the user's config and log folders. path is changed
 * while it works and put back. Returns 0, or -1 with errno.
 */
int		 conf_mkdirs(char *path);

/*
 * Sets key to value in the file at path and keeps every other line, the
 * user's comments and order too: the first "key = ..." line is
 * replaced, later ones are dropped, and the line is added at the end if
 * there was none; value "" drops them all. A file not there is made
 * (0600; its folder 0700 if missing). The new text goes to a file
 * beside it that is renamed over it (through a symbolic link to its
 * target, with the old file's mode), so a crash leaves the old file or
 * the new one, whole. Returns 0, or -1 with err filled.
 */
int		 conf_set(const char *path, const char *key, const char *value,
		    char *err, size_t errlen);

#endif /* CONF_H */
