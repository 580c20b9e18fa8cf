/*
 * loop.h - the event loop: file events, timers, signals, deferred free.
 *
 * The shape is redis `ae`: one loop, callbacks with one signature per kind,
 * nothing hidden.  Linux only: epoll for file events, a binary min-heap of
 * one-shot timers on the monotonic clock in milliseconds, signalfd for
 * signals.  One iteration of ev_run() is:
 *
 *   1. epoll_wait() for at most the time to the earliest timer, events
 *      fetched in batches of EV_BATCH;
 *   2. the clock is read once into ev_now();
 *   3. file (and signal) callbacks for the batch;
 *   4. callbacks of the timers that were due at ev_now() when step 4 began;
 *   5. the deferred frees queued during this iteration (ev_defer), in order.
 *
 * Step 5 is why a callback may end a session whose fd event is still pending
 * in the same batch: the callback calls ev_io_del() and close() at once, and
 * queues the free of the session memory with ev_defer(); an event already
 * fetched for that fd is dropped (each registration carries a generation, so
 * an fd number closed and reused within the batch does not get the old event).
 *
 * Timers come in two forms.  The protocol cores hand out one deadline per
 * object, so each session embeds a struct ev_timer and re-arms it with
 * ev_timer_set() after every input: set, move and stop are O(log n) and never
 * allocate (the heap slot is reserved by ev_timer_init).  For occasional
 * one-shots, ev_timer_add() allocates a timer and names it with an id that
 * ev_timer_cancel() takes.
 *
 * Nothing here allocates after set-up except ev_io_add on a higher fd number
 * than seen before, ev_timer_init/ev_timer_add on heap growth and ev_defer on
 * queue growth.  All functions return 0 or a negative ERR_* of err.h; ERR_SYS
 * leaves errno as the failed system call set it.  The loop is not
 * thread-safe; use it from one thread.
 */
#ifndef PPTPKIT_EVENT_LOOP_H
#define PPTPKIT_EVENT_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"

#define EV_READ		0x1u
#define EV_WRITE	0x2u
#define EV_BATCH	64		/* epoll events fetched per wait */

struct ev_loop;

/*
 * File event callback.  `events` holds the ready bits among those asked for
 * (EV_READ, EV_WRITE); an error or hang-up on the fd is reported as every bit
 * asked for, so the read() or write() the callback does returns the error.
 */
typedef void ev_io_cb(struct ev_loop *loop, int fd, unsigned events, void *ctx);
/* Timer callback: the timer has fired and is disarmed; it may be re-armed. */
typedef void ev_timer_cb(struct ev_loop *loop, void *ctx);
/* Signal callback: signo arrived (once per delivery the kernel merged). */
typedef void ev_signal_cb(struct ev_loop *loop, int signo, void *ctx);
/* Deferred function: called with ptr at the end of the iteration. */
typedef void ev_defer_fn(void *ptr);

/*
 * An embeddable timer.  Fields are the loop's; read them only through the
 * functions below.  Heap order is (when, seq): equal deadlines fire in the
 * order they were armed.
 */
struct ev_timer {
	struct ev_loop	*loop;
	ev_timer_cb	*cb;
	void		*ctx;
	uint64_t	 when;		/* deadline, ms on the ev_now() clock */
	uint64_t	 seq;		/* arming order, breaks ties */
	uint64_t	 id;		/* nonzero for ev_timer_add() timers */
	size_t		 slot;		/* index in the heap, or EV_TIMER_IDLE */
};
#define EV_TIMER_IDLE	((size_t)-1)

/* --- the loop --- */

/*
 * Creates a loop (epoll instance, empty tables) and reads the clock.
 * Returns NULL with errno set if the epoll instance or memory is missing.
 */
struct ev_loop *ev_loop_new(void);

/*
 * Runs the deferred frees still queued, frees one-shot timers never fired,
 * closes the epoll and signal fds and restores the mask of the signals the
 * loop blocked.  File descriptors added with ev_io_add stay open (the caller
 * owns them); embedded timers must have been finished with ev_timer_fini.
 * NULL is ignored.
 */
void ev_loop_free(struct ev_loop *loop);

/*
 * Runs iterations until ev_stop().  Returns 0 after a stop, ERR_STATE if there
 * is nothing left that could ever wake it (no file event, no timer, no
 * signal), or ERR_SYS if epoll_wait failed other than with EINTR.
 */
int ev_run(struct ev_loop *loop);

/*
 * Runs one iteration, waiting at most timeout_ms for an event (-1: until the
 * next timer or event, 0: poll).  Returns 0 or ERR_SYS as ev_run.
 */
int ev_run_once(struct ev_loop *loop, int timeout_ms);

/* Makes ev_run return after the current iteration (deferred frees included). */
void ev_stop(struct ev_loop *loop);

/* The monotonic clock in milliseconds as read at the start of the iteration. */
uint64_t ev_now(const struct ev_loop *loop);

/* Re-reads the clock into ev_now(), for a callback that ran long. */
void ev_now_update(struct ev_loop *loop);

/* --- file events --- */

/*
 * Watches fd for `events` (EV_READ, EV_WRITE or both; 0 registers the fd idle
 * until ev_io_mod), calling cb(loop, fd, ready, ctx), level-triggered.
 * Returns ERR_INVAL (fd < 0, unknown bits), ERR_EXISTS (fd already added),
 * ERR_NOMEM, or ERR_SYS (epoll_ctl, e.g. EPERM for a regular file).
 */
int ev_io_add(struct ev_loop *loop, int fd, unsigned events, ev_io_cb *cb,
    void *ctx) MUST_CHECK;

/* Changes the events watched on fd (0: idle).  ERR_NOTFOUND, ERR_INVAL,
 * ERR_SYS. */
int ev_io_mod(struct ev_loop *loop, int fd, unsigned events) MUST_CHECK;

/*
 * Stops watching fd; events already fetched for it are dropped.  Call it
 * before close(fd).  Returns ERR_NOTFOUND if fd was not added.
 */
int ev_io_del(struct ev_loop *loop, int fd);

/* --- timers --- */

/*
 * Prepares an embedded timer t and reserves its heap slot, so that
 * ev_timer_set never allocates.  t starts disarmed.  ERR_NOMEM.
 */
int ev_timer_init(struct ev_timer *t, struct ev_loop *loop, ev_timer_cb *cb,
    void *ctx) MUST_CHECK;

/* Disarms t and gives back its heap slot.  t may then be freed. */
void ev_timer_fini(struct ev_timer *t);

/*
 * Arms t for `when` (ms on the ev_now() clock), or moves it if armed.  A
 * deadline not after ev_now() fires in the next timer step that starts after
 * this call (never in the one running now), so a callback re-arming its own
 * timer "now" cannot spin.  O(log n), no allocation.  when == 0 disarms, so
 * the deadline a core returns (0: none) can be passed straight in.  A timer
 * not initialised (or finished) is left alone.
 */
void ev_timer_set(struct ev_timer *t, uint64_t when);

/* Disarms t (no-op if disarmed). */
void ev_timer_stop(struct ev_timer *t);

/* true while t is armed. */
bool ev_timer_armed(const struct ev_timer *t);

/* The deadline t is armed for; 0 when disarmed. */
uint64_t ev_timer_when(const struct ev_timer *t);

/*
 * One-shot convenience timer: allocates a timer calling cb(loop, ctx) at
 * `when` (as ev_timer_set) and frees it after the call.  *out_id (if not NULL)
 * receives its id, never 0.  ERR_NOMEM.
 */
int ev_timer_add(struct ev_loop *loop, uint64_t when, ev_timer_cb *cb,
    void *ctx, uint64_t *out_id) MUST_CHECK;

/* Cancels and frees the one-shot timer `id`.  ERR_NOTFOUND if it already
 * fired, was cancelled, or never existed.  O(n). */
int ev_timer_cancel(struct ev_loop *loop, uint64_t id);

/* --- signals --- */

/*
 * Delivers signo (e.g. SIGTERM, SIGINT, SIGHUP, SIGUSR1) as cb(loop, signo,
 * ctx) from the loop.  The signal is blocked in the calling thread and read
 * from a signalfd, so it never interrupts other code.  ERR_INVAL (signo
 * outside 1..64, SIGKILL, SIGSTOP), ERR_EXISTS, ERR_SYS.
 */
int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb *cb,
    void *ctx) MUST_CHECK;

/* Stops delivering signo.  It stays blocked until ev_loop_free (a pending
 * signal must not kill the process at unblock time).  ERR_NOTFOUND. */
int ev_signal_del(struct ev_loop *loop, int signo);

/* --- deferred free --- */

/*
 * Calls fn(ptr) at the end of the current iteration, after every file and
 * timer callback of it (or from ev_loop_free).  Deferred functions run in the
 * order queued and may queue more.  ERR_NOMEM if the queue cannot grow; then
 * nothing is queued.
 */
int ev_defer(struct ev_loop *loop, ev_defer_fn *fn, void *ptr) MUST_CHECK;

#endif
