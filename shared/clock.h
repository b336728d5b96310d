/*
 * clock: time on CLOCK_MONOTONIC for timers (never jumps with the wall
 * clock), and wall-clock milliseconds for the protocol's "ts".
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

/* Monotonic milliseconds / microseconds since an arbitrary start. */
uint64_t	 clock_ms(void);
uint64_t	 clock_us(void);

/* Milliseconds since the Unix epoch (CLOCK_REALTIME). */
uint64_t	 clock_wall_ms(void);

#endif /* CLOCK_H */
