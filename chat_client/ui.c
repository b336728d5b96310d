/*
 * ui: the ncursesw full-screen front end (front.h). Placeholder so the
 * client links while the real implementation lands: every operation
 * fails or does nothing, so main falls back to --plain.
 */
#include <stddef.h>
#include <stdint.h>

#include "front.h"

#define UI_UNUSED(x)	(void)(x)

static int	ui_init(struct client_shared *);
static void	ui_end(void);
static int	ui_read_line(char *, size_t);
static void	ui_show(const struct front_item *);
static void	ui_mark(uint64_t, enum front_state);
static void	ui_nop(void);

const struct front_ops ui_front = {
	.init = ui_init,
	.end = ui_end,
	.read_line = ui_read_line,
	.show = ui_show,
	.mark = ui_mark,
	.status = ui_nop,
	.clear = ui_nop,
	.resize = ui_nop,
};

static int
ui_init(struct client_shared *shared)
{
	UI_UNUSED(shared);
	return -1;
}

static void
ui_end(void)
{
}

static int
ui_read_line(char *buf, size_t cap)
{
	UI_UNUSED(buf);
	UI_UNUSED(cap);
	return 0;
}

static void
ui_show(const struct front_item *item)
{
	UI_UNUSED(item);
}

static void
ui_mark(uint64_t id, enum front_state state)
{
	UI_UNUSED(id);
	UI_UNUSED(state);
}

static void
ui_nop(void)
{
}
