/*
 * filter: the lines the user chose not to see, and their counts
 * (filter.h).
 */
#include <stdio.h>
#include <string.h>

#include "filter.h"

static bool	 filter_kick(const struct front_item *);

/* A kick's leave reads "kicked" or "kicked: words" (netproc_recv.c). */
static bool
filter_kick(const struct front_item *it)
{
	const char	*k = proto_reason_name(PROTO_REASON_KICKED);

	return it->reason != NULL &&
	    strncmp(it->reason, k, strlen(k)) == 0;
}

bool
filter_hides(struct filter *f, const struct front_item *it)
{
	if (it->own)
		return false;
	switch (it->kind) {
	case FRONT_JOIN:
		if (!f->joins)
			return false;
		f->hid_joins++;
		return true;
	case FRONT_LEAVE:
		if (!f->joins || filter_kick(it))
			return false;
		f->hid_leaves++;
		return true;
	case FRONT_CHAT:
	case FRONT_MSG_IN:
		if (it->from == NULL || !filter_ignored(f, it->from))
			return false;
		f->hid_ignored++;
		return true;
	default:
		return false;
	}
}

bool
filter_ignored(const struct filter *f, const char *name)
{
	size_t	 i;

	for (i = 0; i < f->nignore; i++)
		if (strcmp(f->ignore[i], name) == 0)
			return true;
	return false;
}

int
filter_ignore_add(struct filter *f, const char *name)
{
	if (filter_ignored(f, name))
		return 1;
	if (f->nignore == FILTER_IGNORE_MAX ||
	    strlen(name) >= sizeof(f->ignore[0]))
		return -1;
	snprintf(f->ignore[f->nignore++], sizeof(f->ignore[0]), "%s", name);
	return 0;
}

int
filter_ignore_remove(struct filter *f, const char *name)
{
	size_t	 i;

	for (i = 0; i < f->nignore; i++) {
		if (strcmp(f->ignore[i], name) != 0)
			continue;
		/* The order is the user's: keep it. */
		memmove(f->ignore[i], f->ignore[i + 1],
		    (f->nignore - i - 1) * sizeof(f->ignore[0]));
		f->nignore--;
		return 0;
	}
	return -1;
}

int
filter_ignore_parse(struct filter *f, const char *list, char *bad,
    size_t badlen)
{
	char	 name[PROTO_NAME_MAX_BYTES + 1];
	size_t	 n;

	for (;;) {
		list += strspn(list, " \t,");
		if (*list == '\0')
			return 0;
		n = strcspn(list, " \t,");
		if (n >= sizeof(name)) {
			snprintf(bad, badlen, "%.*s", (int)n, list);
			return -1;
		}
		memcpy(name, list, n);
		name[n] = '\0';
		if (proto_check_name(name) != 0 ||
		    filter_ignore_add(f, name) == -1) {
			snprintf(bad, badlen, "%s", name);
			return -1;
		}
		list += n;
	}
}

void
filter_ignore_list(const struct filter *f, char *buf, size_t cap)
{
	size_t	 i, len = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < f->nignore && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s",
		    i > 0 ? " " : "", f->ignore[i]);
}

unsigned long
filter_hidden(const struct filter *f)
{
	return f->hid_joins + f->hid_leaves + f->hid_ignored;
}

void
filter_state(const struct filter *f, char *buf, size_t cap)
{
	if (!f->joins)
		snprintf(buf, cap, "joins and leaves shown (/filter joins "
		    "hides them)");
	else
		snprintf(buf, cap, "joins and leaves hidden (%lu join%s, %lu "
		    "leave%s so far; /filter joins shows them)", f->hid_joins,
		    f->hid_joins == 1 ? "" : "s", f->hid_leaves,
		    f->hid_leaves == 1 ? "" : "s");
}
