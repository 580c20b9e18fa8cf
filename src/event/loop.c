/*
 * loop.c - the event loop of loop.h: epoll, a timer min-heap, signalfd and a
 * deferred-free queue.  No RFC; the model is redis `ae`.
 *
 * File events live in a table indexed by fd.  Each registration gets a
 * generation number that rides in the epoll event (data.u64 = gen << 32 | fd),
 * so an event fetched before its fd was deleted, closed and reused in the
 * same batch is recognised as stale and dropped.
 *
 * Timers are a binary min-heap of pointers ordered by (when, seq).  A timer
 * armed during the timer step gets a seq above the step's limit and a
 * deadline not before the step's clock, so it sorts after every timer the
 * step may fire: the step stops at the first timer that is not due or was
 * armed after the step began.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

#define EV_NSIG		65		/* signals 1..64 */
#define EV_SIG_READS	16		/* siginfos read per wake-up */

struct ev_io_slot {
	ev_io_cb	*cb;
	void		*ctx;
	unsigned	 events;	/* EV_READ | EV_WRITE asked for */
	uint32_t	 gen;		/* registration generation */
	bool		 used;
	bool		 in_epoll;	/* false while idle (events == 0) */
};

struct ev_sig_slot {
	ev_signal_cb	*cb;
	void		*ctx;
};

struct ev_defer_item {
	ev_defer_fn	*fn;
	void		*ptr;
};

struct ev_loop {
	int			 epfd;
	uint64_t		 now;
	bool			 stop;

	struct ev_io_slot	*io;
	size_t			 io_cap;
	size_t			 io_watching;	/* slots in epoll */
	uint32_t		 io_gen;

	struct ev_timer		**heap;
	size_t			 heap_len;
	size_t			 heap_cap;
	size_t			 heap_reserved;	/* initialised timers */
	uint64_t		 timer_seq;
	uint64_t		 timer_id;

	int			 sigfd;		/* -1 when no signal is wanted */
	sigset_t		 sigwanted;	/* signals with a callback */
	sigset_t		 sigblocked;	/* signals this loop blocked */
	struct ev_sig_slot	 sig[EV_NSIG];
	int			 nsig;

	struct ev_defer_item	*defer;
	size_t			 defer_len;
	size_t			 defer_cap;

	struct epoll_event	 events[EV_BATCH];
};

static uint64_t
ev_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct ev_loop *
ev_loop_new(void)
{
	struct ev_loop *loop;

	if ((loop = calloc(1, sizeof(*loop))) == NULL)
		return NULL;
	if ((loop->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		int saved = errno;

		free(loop);
		errno = saved;
		return NULL;
	}
	loop->sigfd = -1;
	sigemptyset(&loop->sigwanted);
	sigemptyset(&loop->sigblocked);
	loop->now = ev_clock_ms();
	return loop;
}

static void ev_defer_run(struct ev_loop *loop);

void
ev_loop_free(struct ev_loop *loop)
{
	size_t i;

	if (loop == NULL)
		return;
	ev_defer_run(loop);
	for (i = 0; i < loop->heap_len; i++) {
		if (loop->heap[i]->id != 0) {
			free(loop->heap[i]);
		} else {
			/* An armed embedded timer: make a late fini harmless. */
			loop->heap[i]->slot = EV_TIMER_IDLE;
			loop->heap[i]->loop = NULL;
		}
	}
	if (loop->sigfd >= 0)
		close(loop->sigfd);
	sigprocmask(SIG_UNBLOCK, &loop->sigblocked, NULL);
	close(loop->epfd);
	free(loop->heap);
	free(loop->io);
	free(loop->defer);
	free(loop);
}

uint64_t
ev_now(const struct ev_loop *loop)
{
	return loop->now;
}

void
ev_now_update(struct ev_loop *loop)
{
	loop->now = ev_clock_ms();
}

void
ev_stop(struct ev_loop *loop)
{
	loop->stop = true;
}

/* --- file events --- */

static uint32_t
ev_epoll_bits(unsigned events)
{
	return ((events & EV_READ) ? EPOLLIN : 0u) |
	    ((events & EV_WRITE) ? EPOLLOUT : 0u);
}

static int
ev_epoll_ctl(struct ev_loop *loop, int op, int fd, const struct ev_io_slot *s)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = ev_epoll_bits(s->events);
	ev.data.u64 = (uint64_t)s->gen << 32 | (uint32_t)fd;
	return epoll_ctl(loop->epfd, op, fd, &ev) == 0 ? 0 : ERR_SYS;
}

static int
ev_io_grow(struct ev_loop *loop, int fd)
{
	struct ev_io_slot *io;
	size_t cap = loop->io_cap ? loop->io_cap : 64;

	while (cap <= (size_t)fd)
		cap *= 2;
	if ((io = realloc(loop->io, cap * sizeof(*io))) == NULL)
		return ERR_NOMEM;
	memset(io + loop->io_cap, 0, (cap - loop->io_cap) * sizeof(*io));
	loop->io = io;
	loop->io_cap = cap;
	return 0;
}

int
ev_io_add(struct ev_loop *loop, int fd, unsigned events, ev_io_cb *cb,
    void *ctx)
{
	struct ev_io_slot *s;
	int ret;

	if (fd < 0 || cb == NULL || (events & ~(EV_READ | EV_WRITE)) != 0)
		return ERR_INVAL;
	if ((size_t)fd >= loop->io_cap && (ret = ev_io_grow(loop, fd)) != 0)
		return ret;
	s = &loop->io[fd];
	if (s->used)
		return ERR_EXISTS;
	s->cb = cb;
	s->ctx = ctx;
	s->events = events;
	s->gen = ++loop->io_gen;
	if (events != 0) {
		if ((ret = ev_epoll_ctl(loop, EPOLL_CTL_ADD, fd, s)) != 0)
			return ret;
		s->in_epoll = true;
		loop->io_watching++;
	}
	s->used = true;
	return 0;
}

int
ev_io_mod(struct ev_loop *loop, int fd, unsigned events)
{
	struct ev_io_slot *s;
	unsigned old;
	int ret, op;

	if ((events & ~(EV_READ | EV_WRITE)) != 0)
		return ERR_INVAL;
	if (fd < 0 || (size_t)fd >= loop->io_cap || !loop->io[fd].used)
		return ERR_NOTFOUND;
	s = &loop->io[fd];
	old = s->events;
	s->events = events;
	if (events == 0)
		op = s->in_epoll ? EPOLL_CTL_DEL : -1;
	else
		op = s->in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (op < 0)
		return 0;
	if ((ret = ev_epoll_ctl(loop, op, fd, s)) != 0) {
		s->events = old;
		return ret;
	}
	if (op == EPOLL_CTL_ADD)
		loop->io_watching++;
	else if (op == EPOLL_CTL_DEL)
		loop->io_watching--;
	s->in_epoll = events != 0;
	return 0;
}

int
ev_io_del(struct ev_loop *loop, int fd)
{
	struct ev_io_slot *s;

	if (fd < 0 || (size_t)fd >= loop->io_cap || !loop->io[fd].used)
		return ERR_NOTFOUND;
	s = &loop->io[fd];
	if (s->in_epoll) {
		/* Fails only if fd was already closed, which removed it. */
		(void)epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
		loop->io_watching--;
	}
	memset(s, 0, sizeof(*s));
	return 0;
}

static void
ev_io_dispatch(struct ev_loop *loop, const struct epoll_event *ev)
{
	int fd = (int)(uint32_t)ev->data.u64;
	uint32_t gen = (uint32_t)(ev->data.u64 >> 32);
	struct ev_io_slot *s;
	unsigned ready = 0;

	if ((size_t)fd >= loop->io_cap)
		return;
	s = &loop->io[fd];
	if (!s->used || s->gen != gen)
		return;			/* deleted (or reused) earlier in the batch */
	if (ev->events & EPOLLIN)
		ready |= EV_READ;
	if (ev->events & EPOLLOUT)
		ready |= EV_WRITE;
	if (ev->events & (EPOLLERR | EPOLLHUP))
		ready |= s->events;
	ready &= s->events;		/* a callback may have changed them */
	if (ready != 0)
		s->cb(loop, fd, ready, s->ctx);
}

/* --- timers --- */

static bool
ev_timer_before(const struct ev_timer *a, const struct ev_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void
ev_heap_put(struct ev_loop *loop, size_t i, struct ev_timer *t)
{
	loop->heap[i] = t;
	t->slot = i;
}

static void
ev_heap_up(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];

	while (i > 0 && ev_timer_before(t, loop->heap[(i - 1) / 2])) {
		ev_heap_put(loop, i, loop->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	ev_heap_put(loop, i, t);
}

static void
ev_heap_down(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];
	size_t c;

	while ((c = 2 * i + 1) < loop->heap_len) {
		if (c + 1 < loop->heap_len &&
		    ev_timer_before(loop->heap[c + 1], loop->heap[c]))
			c++;
		if (!ev_timer_before(loop->heap[c], t))
			break;
		ev_heap_put(loop, i, loop->heap[c]);
		i = c;
	}
	ev_heap_put(loop, i, t);
}

static void
ev_heap_remove(struct ev_loop *loop, struct ev_timer *t)
{
	size_t i = t->slot;
	struct ev_timer *last = loop->heap[--loop->heap_len];

	t->slot = EV_TIMER_IDLE;
	if (last == t)
		return;
	ev_heap_put(loop, i, last);
	ev_heap_up(loop, i);
	ev_heap_down(loop, last->slot);
}

static int
ev_heap_reserve(struct ev_loop *loop)
{
	struct ev_timer **heap;
	size_t cap;

	if (loop->heap_reserved < loop->heap_cap) {
		loop->heap_reserved++;
		return 0;
	}
	cap = loop->heap_cap ? loop->heap_cap * 2 : 16;
	if ((heap = realloc(loop->heap, cap * sizeof(*heap))) == NULL)
		return ERR_NOMEM;
	loop->heap = heap;
	loop->heap_cap = cap;
	loop->heap_reserved++;
	return 0;
}

int
ev_timer_init(struct ev_timer *t, struct ev_loop *loop, ev_timer_cb *cb,
    void *ctx)
{
	int ret;

	memset(t, 0, sizeof(*t));
	t->slot = EV_TIMER_IDLE;
	if (cb == NULL)
		return ERR_INVAL;
	if ((ret = ev_heap_reserve(loop)) != 0)
		return ret;
	t->loop = loop;
	t->cb = cb;
	t->ctx = ctx;
	return 0;
}

void
ev_timer_fini(struct ev_timer *t)
{
	if (t->loop == NULL)
		return;
	ev_timer_stop(t);
	t->loop->heap_reserved--;
	t->loop = NULL;
}

void
ev_timer_set(struct ev_timer *t, uint64_t when)
{
	struct ev_loop *loop = t->loop;

	if (loop == NULL)
		return;			/* not initialised, or finished */
	if (when == 0) {
		ev_timer_stop(t);
		return;
	}
	t->when = when < loop->now ? loop->now : when;
	t->seq = ++loop->timer_seq;
	if (t->slot == EV_TIMER_IDLE) {
		/* heap_len < heap_cap: ev_timer_init reserved this slot. */
		loop->heap[loop->heap_len] = t;
		t->slot = loop->heap_len++;
		ev_heap_up(loop, t->slot);
	} else {
		ev_heap_up(loop, t->slot);
		ev_heap_down(loop, t->slot);
	}
}

void
ev_timer_stop(struct ev_timer *t)
{
	if (t->loop != NULL && t->slot != EV_TIMER_IDLE)
		ev_heap_remove(t->loop, t);
	t->when = 0;
}

bool
ev_timer_armed(const struct ev_timer *t)
{
	return t->slot != EV_TIMER_IDLE;
}

uint64_t
ev_timer_when(const struct ev_timer *t)
{
	return t->slot != EV_TIMER_IDLE ? t->when : 0;
}

int
ev_timer_add(struct ev_loop *loop, uint64_t when, ev_timer_cb *cb, void *ctx,
    uint64_t *out_id)
{
	struct ev_timer *t;
	int ret;

	if ((t = malloc(sizeof(*t))) == NULL)
		return ERR_NOMEM;
	if ((ret = ev_timer_init(t, loop, cb, ctx)) != 0) {
		free(t);
		return ret;
	}
	t->id = ++loop->timer_id;
	ev_timer_set(t, when != 0 ? when : loop->now);
	if (out_id != NULL)
		*out_id = t->id;
	return 0;
}

int
ev_timer_cancel(struct ev_loop *loop, uint64_t id)
{
	size_t i;

	if (id == 0)
		return ERR_NOTFOUND;
	for (i = 0; i < loop->heap_len; i++) {
		struct ev_timer *t = loop->heap[i];

		if (t->id == id) {
			ev_timer_fini(t);
			free(t);
			return 0;
		}
	}
	return ERR_NOTFOUND;
}

static void
ev_timer_run(struct ev_loop *loop)
{
	uint64_t now = loop->now, limit = loop->timer_seq;

	while (loop->heap_len > 0) {
		struct ev_timer *t = loop->heap[0];
		ev_timer_cb *cb = t->cb;
		void *ctx = t->ctx;

		if (t->when > now || t->seq > limit)
			break;
		ev_heap_remove(loop, t);
		if (t->id != 0) {
			ev_timer_fini(t);
			free(t);
		}
		cb(loop, ctx);
	}
}

/* --- signals --- */

static void
ev_signal_read(struct ev_loop *loop, int fd, unsigned events, void *ctx)
{
	struct signalfd_siginfo si[EV_SIG_READS];
	ssize_t n;
	size_t i;

	(void)events;
	(void)ctx;
	if ((n = read(fd, si, sizeof(si))) <= 0)
		return;
	for (i = 0; i < (size_t)n / sizeof(si[0]); i++) {
		uint32_t signo = si[i].ssi_signo;

		/* Looked up each time: a callback may delete a handler. */
		if (signo > 0 && signo < EV_NSIG && loop->sig[signo].cb != NULL)
			loop->sig[signo].cb(loop, (int)signo,
			    loop->sig[signo].ctx);
	}
}

static int
ev_signal_refresh(struct ev_loop *loop)
{
	int fd, ret;

	if (loop->nsig == 0) {
		if (loop->sigfd >= 0) {
			ev_io_del(loop, loop->sigfd);
			close(loop->sigfd);
			loop->sigfd = -1;
		}
		return 0;
	}
	if ((fd = signalfd(loop->sigfd, &loop->sigwanted,
	    SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		return ERR_SYS;
	if (loop->sigfd < 0) {
		if ((ret = ev_io_add(loop, fd, EV_READ, ev_signal_read,
		    NULL)) != 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			return ret;
		}
		loop->sigfd = fd;
	}
	return 0;
}

int
ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb *cb, void *ctx)
{
	sigset_t one, old;
	int ret;

	if (signo <= 0 || signo >= EV_NSIG || signo == SIGKILL ||
	    signo == SIGSTOP || cb == NULL)
		return ERR_INVAL;
	if (loop->sig[signo].cb != NULL)
		return ERR_EXISTS;
	sigemptyset(&one);
	sigaddset(&one, signo);
	/* Blocked first, so that no delivery slips between the two steps. */
	if (sigprocmask(SIG_BLOCK, &one, &old) != 0)
		return ERR_SYS;
	if (!sigismember(&old, signo))
		sigaddset(&loop->sigblocked, signo);
	sigaddset(&loop->sigwanted, signo);
	loop->sig[signo].cb = cb;
	loop->sig[signo].ctx = ctx;
	loop->nsig++;
	if ((ret = ev_signal_refresh(loop)) != 0) {
		int saved = errno;

		ev_signal_del(loop, signo);
		errno = saved;
		return ret;
	}
	return 0;
}

int
ev_signal_del(struct ev_loop *loop, int signo)
{
	if (signo <= 0 || signo >= EV_NSIG || loop->sig[signo].cb == NULL)
		return ERR_NOTFOUND;
	loop->sig[signo].cb = NULL;
	loop->sig[signo].ctx = NULL;
	sigdelset(&loop->sigwanted, signo);
	loop->nsig--;
	return ev_signal_refresh(loop);
}

/* --- deferred free --- */

int
ev_defer(struct ev_loop *loop, ev_defer_fn *fn, void *ptr)
{
	if (fn == NULL)
		return ERR_INVAL;
	if (loop->defer_len == loop->defer_cap) {
		size_t cap = loop->defer_cap ? loop->defer_cap * 2 : 16;
		struct ev_defer_item *d;

		if ((d = realloc(loop->defer, cap * sizeof(*d))) == NULL)
			return ERR_NOMEM;
		loop->defer = d;
		loop->defer_cap = cap;
	}
	loop->defer[loop->defer_len].fn = fn;
	loop->defer[loop->defer_len].ptr = ptr;
	loop->defer_len++;
	return 0;
}

static void
ev_defer_run(struct ev_loop *loop)
{
	size_t i;

	/* By index: a deferred function may queue more and move the array. */
	for (i = 0; i < loop->defer_len; i++) {
		struct ev_defer_item d = loop->defer[i];

		d.fn(d.ptr);
	}
	loop->defer_len = 0;
}

/* --- running --- */

int
ev_run_once(struct ev_loop *loop, int timeout_ms)
{
	int n, i, wait = timeout_ms;

	ev_now_update(loop);
	if (loop->heap_len > 0) {
		uint64_t when = loop->heap[0]->when;
		uint64_t d = when > loop->now ? when - loop->now : 0;

		if (d > INT_MAX)
			d = INT_MAX;
		if (wait < 0 || (uint64_t)wait > d)
			wait = (int)d;
	}
	n = epoll_wait(loop->epfd, loop->events, EV_BATCH, wait);
	if (n < 0) {
		if (errno != EINTR)
			return ERR_SYS;
		n = 0;
	}
	ev_now_update(loop);
	for (i = 0; i < n; i++)
		ev_io_dispatch(loop, &loop->events[i]);
	ev_timer_run(loop);
	ev_defer_run(loop);
	return 0;
}

int
ev_run(struct ev_loop *loop)
{
	int ret = 0;

	while (!loop->stop) {
		if (loop->io_watching == 0 && loop->heap_len == 0 &&
		    loop->defer_len == 0) {
			ret = ERR_STATE;
			break;
		}
		if ((ret = ev_run_once(loop, -1)) != 0)
			break;
	}
	loop->stop = false;
	return ret;
}
