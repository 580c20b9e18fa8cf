/*
 * test_event.c - the event loop of src/event/loop.h: timers in order and on
 * time, cancel and re-arm, file events on a socketpair, deferred frees after
 * the callbacks, ev_stop from a callback, signals through signalfd.
 *
 * No root needed.  Every wait is bounded: a guard timer stops the loop if a
 * test's own stop never comes, and delays are tens of milliseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "t.h"
#include "../src/event/loop.h"

#define GUARD_MS	2000	/* no test may run the loop longer than this */

static void
guard_fire(struct ev_loop *loop, void *ctx)
{
	bool *fired = ctx;

	*fired = true;
	ev_stop(loop);
}

/* Runs the loop until ev_stop, or GUARD_MS; returns false on the guard. */
static bool
run_guarded(struct ev_loop *loop)
{
	bool fired = false;
	uint64_t id;
	int ret;

	ev_now_update(loop);
	if (ev_timer_add(loop, ev_now(loop) + GUARD_MS, guard_fire, &fired,
	    &id) != 0)
		return false;
	ret = ev_run(loop);
	if (!fired)
		(void)ev_timer_cancel(loop, id);
	return ret == 0 && !fired;
}

/* --- timers --- */

struct order {
	int		 seen[16];
	uint64_t	 at[16];
	int		 n;
	int		 stop_after;
};

struct order_timer {
	struct order	*o;
	int		 tag;
	struct ev_timer	 t;
};

static void
order_fire(struct ev_loop *loop, void *ctx)
{
	struct order_timer *ot = ctx;
	struct order *o = ot->o;

	if (o->n < 16) {
		o->seen[o->n] = ot->tag;
		o->at[o->n] = ev_now(loop);
	}
	if (++o->n == o->stop_after)
		ev_stop(loop);
}

TEST(timers_fire_in_deadline_order_and_not_early)
{
	struct ev_loop *loop = ev_loop_new();
	static const int delay[5] = { 40, 10, 30, 10, 20 };
	static const int want[5] = { 1, 3, 4, 2, 0 };	/* ties: arming order */
	struct order o = { .stop_after = 5 };
	struct order_timer ot[5];
	uint64_t start;
	int i;

	CHECK(loop != NULL);
	if (loop == NULL)
		return;
	start = ev_now(loop);
	for (i = 0; i < 5; i++) {
		ot[i].o = &o;
		ot[i].tag = i;
		CHECK_OK(ev_timer_init(&ot[i].t, loop, order_fire, &ot[i]));
		ev_timer_set(&ot[i].t, start + (uint64_t)delay[i]);
		CHECK(ev_timer_armed(&ot[i].t));
		CHECK_EQ(ev_timer_when(&ot[i].t), start + (uint64_t)delay[i]);
	}
	CHECK(run_guarded(loop));
	CHECK_EQ(o.n, 5);
	for (i = 0; i < 5; i++) {
		CHECK_EQ(o.seen[i], want[i]);
		/* Never early; late by at most a generous scheduling slack. */
		CHECK(o.at[i] >= start + (uint64_t)delay[want[i]]);
		CHECK(o.at[i] < start + (uint64_t)delay[want[i]] + 500);
		CHECK(!ev_timer_armed(&ot[i].t));
		CHECK_EQ(ev_timer_when(&ot[i].t), 0);
	}
	for (i = 0; i < 5; i++)
		ev_timer_fini(&ot[i].t);
	ev_loop_free(loop);
}

TEST(timer_stop_and_rearm_move_the_deadline)
{
	struct ev_loop *loop = ev_loop_new();
	struct order o = { .stop_after = 2 };
	struct order_timer a = { .o = &o, .tag = 1 };
	struct order_timer b = { .o = &o, .tag = 2 };
	struct order_timer c = { .o = &o, .tag = 3 };
	uint64_t start;

	if (loop == NULL) {
		CHECK(loop != NULL);
		return;
	}
	start = ev_now(loop);
	CHECK_OK(ev_timer_init(&a.t, loop, order_fire, &a));
	CHECK_OK(ev_timer_init(&b.t, loop, order_fire, &b));
	CHECK_OK(ev_timer_init(&c.t, loop, order_fire, &c));
	ev_timer_set(&a.t, start + 10);
	ev_timer_set(&b.t, start + 20);
	ev_timer_set(&c.t, start + 5);
	ev_timer_stop(&c.t);			/* c never fires */
	CHECK(!ev_timer_armed(&c.t));
	ev_timer_set(&a.t, start + 60);		/* a moves after b */
	ev_timer_set(&b.t, start + 30);		/* b moves later, still first */
	CHECK_EQ(ev_timer_when(&a.t), start + 60);
	CHECK(run_guarded(loop));
	CHECK_EQ(o.n, 2);
	CHECK_EQ(o.seen[0], 2);
	CHECK_EQ(o.seen[1], 1);
	CHECK(o.at[0] >= start + 30);
	CHECK(o.at[1] >= start + 60);
	ev_timer_set(&a.t, 0);			/* 0 disarms */
	CHECK(!ev_timer_armed(&a.t));
	ev_timer_fini(&a.t);
	ev_timer_fini(&b.t);
	ev_timer_fini(&c.t);
	ev_loop_free(loop);
}

static void
count_fire(struct ev_loop *loop, void *ctx)
{
	(void)loop;
	(*(int *)ctx)++;
}

TEST(oneshot_timers_cancel_by_id)
{
	struct ev_loop *loop = ev_loop_new();
	uint64_t id1 = 0, id2 = 0, id3 = 0, stop_id = 0;
	int n1 = 0, n2 = 0, n3 = 0;
	bool dummy = false;

	if (loop == NULL) {
		CHECK(loop != NULL);
		return;
	}
	CHECK_OK(ev_timer_add(loop, ev_now(loop) + 5, count_fire, &n1, &id1));
	CHECK_OK(ev_timer_add(loop, ev_now(loop) + 10, count_fire, &n2, &id2));
	CHECK_OK(ev_timer_add(loop, ev_now(loop) + 15, count_fire, &n3, &id3));
	CHECK(id1 != 0 && id2 != id1 && id3 != id2);
	CHECK_OK(ev_timer_cancel(loop, id2));
	CHECK_ERR(ev_timer_cancel(loop, id2), ERR_NOTFOUND);
	CHECK_ERR(ev_timer_cancel(loop, 0), ERR_NOTFOUND);
	CHECK_OK(ev_timer_add(loop, ev_now(loop) + 40, guard_fire, &dummy,
	    &stop_id));
	CHECK_OK(ev_run(loop));
	CHECK(dummy);
	CHECK_EQ(n1, 1);
	CHECK_EQ(n2, 0);
	CHECK_EQ(n3, 1);
	CHECK_ERR(ev_timer_cancel(loop, id1), ERR_NOTFOUND);	/* fired */
	/* Not fired: ev_loop_free frees it (ASan checks the leak). */
	CHECK_OK(ev_timer_add(loop, ev_now(loop) + 100000, count_fire, &n1,
	    NULL));
	ev_loop_free(loop);
	CHECK_EQ(n1, 1);
}

struct rearm {
	struct ev_timer	 t;
	int		 fired;
	uint64_t	 iter_at[4];
};

/* Re-arms itself "now": must fire once per iteration, not spin. */
static void
rearm_fire(struct ev_loop *loop, void *ctx)
{
	struct rearm *r = ctx;

	if (r->fired < 4)
		r->iter_at[r->fired] = ev_now(loop);
	if (++r->fired < 3)
		ev_timer_set(&r->t, ev_now(loop) - 1);	/* in the past */
}

TEST(timer_rearmed_now_fires_in_the_next_iteration)
{
	struct ev_loop *loop = ev_loop_new();
	struct rearm r = { .fired = 0 };

	if (loop == NULL) {
		CHECK(loop != NULL);
		return;
	}
	CHECK_OK(ev_timer_init(&r.t, loop, rearm_fire, &r));
	ev_timer_set(&r.t, ev_now(loop));
	CHECK_OK(ev_run_once(loop, 1000));
	CHECK_EQ(r.fired, 1);
	CHECK(ev_timer_armed(&r.t));
	CHECK_EQ(ev_timer_when(&r.t), ev_now(loop));	/* clamped to now */
	CHECK_OK(ev_run_once(loop, 1000));
	CHECK_EQ(r.fired, 2);
	CHECK_OK(ev_run_once(loop, 1000));
	CHECK_EQ(r.fired, 3);
	CHECK(!ev_timer_armed(&r.t));
	CHECK_OK(ev_run_once(loop, 0));
	CHECK_EQ(r.fired, 3);
	ev_timer_fini(&r.t);
	ev_loop_free(loop);
}

TEST(many_timers_keep_heap_order)
{
	struct ev_loop *loop = ev_loop_new();
	struct order_timer ot[200];
	struct order o = { .stop_after = -1 };
	uint64_t base;
	int i, j, ok = 1;

	if (loop == NULL) {
		CHECK(loop != NULL);
		return;
	}
	base = ev_now(loop);
	/* Deadlines in a scrambled order, all already due. */
	for (i = 0; i < 200; i++) {
		ot[i].o = &o;
		ot[i].tag = i;
		CHECK_OK(ev_timer_init(&ot[i].t, loop, order_fire, &ot[i]));
		ev_timer_set(&ot[i].t, base - 1000 + (uint64_t)((i * 37) % 200));
	}
	for (i = 0; i < 200; i += 3)
		ev_timer_stop(&ot[i].t);
	for (i = 0; i < 200; i++)
		if (ev_timer_armed(&ot[i].t)) {
			uint64_t w = ev_timer_when(&ot[i].t);

			/* All in the past: clamped to now. */
			if (w != base)
				ok = 0;
		}
	CHECK(ok);
	CHECK_OK(ev_run_once(loop, 0));
	CHECK_EQ(o.n, 200 - 67);
	/* Equal (clamped) deadlines fire in arming order: 1, 2, 4, 5, 7... */
	for (i = 0, j = 1; i < 16; i++, j += (j % 3 == 2) ? 2 : 1)
		CHECK_EQ(o.seen[i], j);
	for (i = 0; i < 200; i++) {
		CHECK(!ev_timer_armed(&ot[i].t));
		ev_timer_fini(&ot[i].t);
	}
	ev_loop_free(loop);
}

struct heap_timer {
	struct ev_timer	 t;
	uint64_t	 deadline;
	struct heap_run	*run;
};

struct heap_run {
	uint64_t	 last_deadline;
	int		 fired;
	int		 want;
	bool		 ordered;
	bool		 on_time;
};

static void
heap_fire(struct ev_loop *loop, void *ctx)
{
	struct heap_timer *h = ctx;
	struct heap_run *r = h->run;

	if (h->deadline < r->last_deadline)
		r->ordered = false;
	if (ev_now(loop) < h->deadline)
		r->on_time = false;
	r->last_deadline = h->deadline;
	if (++r->fired == r->want)
		ev_stop(loop);
}

TEST(timers_with_scrambled_deadlines_fire_sorted)
{
	struct ev_loop *loop = ev_loop_new();
	struct heap_timer h[120];
	struct heap_run run = { .ordered = true, .on_time = true };
	uint64_t base;
	int i;

	if (loop == NULL) {
		CHECK(loop != NULL);
		return;
	}
	base = ev_now(loop);
	for (i = 0; i < 120; i++) {
		h[i].run = &run;
		h[i].deadline = base + 1 + (uint64_t)((i * 37) % 50);
		CHECK_OK(ev_timer_init(&h[i].t, loop, heap_fire, &h[i]));
		ev_timer_set(&h[i].t, h[i].deadline);
	}
	/* Stop every 4th, move every 5th (stopped ones included). */
	for (i = 0; i < 120; i += 4)
		ev_timer_stop(&h[i].t);
	for (i = 0; i < 120; i += 5) {
		h[i].deadline = base + 1 + (uint64_t)((i * 13) % 50);
		ev_timer_set(&h[i].t, h[i].deadline);
	}
	for (i = 0; i < 120; i++)
		if (ev_timer_armed(&h[i].t))
			run.want++;
	CHECK_EQ(run.want, 120 - 30 + 6);	/* 6 of 30 stopped re-armed */
	CHECK(run_guarded(loop));
	CHECK_EQ(run.fired, run.want);
	CHECK(run.ordered);
	CHECK(run.on_time);
	for (i = 0; i < 120; i++)
		ev_timer_fini(&h[i].t);
	ev_loop_free(loop);
}

/* --- file events --- */

struct io_state {
	int		 fds[2];
	char		 got[64];
	size_t		 got_len;
	int		 reads;
	int		 writes;
	bool		 closed;
};

static void
io_reader(struct ev_loop *loop, int fd, unsigned events, void *ctx)
{
	struct io_state *s = ctx;
	ssize_t n;

	if (!(events & EV_READ))
		return;
	s->reads++;
	n = read(fd, s->got + s->got_len, sizeof(s->got) - s->got_len);
	if (n > 0)
		s->got_len += (size_t)n;
	if (n == 0) {
		s->closed = true;
		(void)ev_io_del(loop, fd);
		ev_stop(loop);
	}
}

static void
io_writer(struct ev_loop *loop, int fd, unsigned events, void *ctx)
{
	struct io_state *s = ctx;
	static const char msg[] = "hello";

	if (!(events & EV_WRITE))
		return;
	s->writes++;
	if (write(fd, msg, 5) != 5)
		return;
	/* One message, then stop writing and half-close. */
	(void)ev_io_del(loop, fd);
	shutdown(fd, SHUT_WR);
}

TEST(io_events_on_a_socketpair)
{
	struct ev_loop *loop = ev_loop_new();
	struct io_state s = { .reads = 0 };

	if (loop == NULL) {
		CHECK(loop != NULL);
		return;
	}
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, s.fds));
	CHECK_OK(ev_io_add(loop, s.fds[0], EV_READ, io_reader, &s));
	CHECK_ERR(ev_io_add(loop, s.fds[0], EV_READ, io_reader, &s),
	    ERR_EXISTS);
	CHECK_ERR(ev_io_add(loop, -1, EV_READ, io_reader, &s), ERR_INVAL);
	CHECK_ERR(ev_io_add(loop, s.fds[1], 0x80, io_writer, &s), ERR_INVAL);
	/* Registered idle first, switched on by ev_io_mod. */
	CHECK_OK(ev_io_add(loop, s.fds[1], 0, io_writer, &s));
	CHECK_OK(ev_run_once(loop, 0));
	CHECK_EQ(s.writes, 0);
	CHECK_OK(ev_io_mod(loop, s.fds[1], EV_WRITE));
	CHECK_ERR(ev_io_mod(loop, 999, EV_WRITE), ERR_NOTFOUND);
	CHECK(run_guarded(loop));
	CHECK_EQ(s.writes, 1);
	CHECK(s.closed);
	CHECK_EQ(s.got_len, 5);
	CHECK_MEM(s.got, "hello", 5);
	CHECK_ERR(ev_io_del(loop, s.fds[0]), ERR_NOTFOUND);
	CHECK_ERR(ev_io_del(loop, s.fds[1]), ERR_NOTFOUND);
	/* Nothing left to wait for. */
	CHECK_ERR(ev_run(loop), ERR_STATE);
	close(s.fds[0]);
	close(s.fds[1]);
	ev_loop_free(loop);
}

/* --- deferred free: a callback ends a session whose event is pending --- */

struct session {
	int		 fd;
	int		*events;
	int		*freed;
	int		*log;
	int		*log_n;
	int		 tag;
	struct session	*victim;	/* session this one closes */
	struct ev_loop	*loop;
};

static void
session_free(void *ptr)
{
	struct session *s = ptr;

	(*s->freed)++;
	s->log[(*s->log_n)++] = 100 + s->tag;
	free(s);
}

static void
session_close(struct session *s)
{
	(void)ev_io_del(s->loop, s->fd);
	close(s->fd);
	s->fd = -1;
	if (ev_defer(s->loop, session_free, s) != 0)
		free(s);
}

static void
session_read(struct ev_loop *loop, int fd, unsigned events, void *ctx)
{
	struct session *s = ctx;

	(void)loop;
	(void)fd;
	(void)events;
	(*s->events)++;
	s->log[(*s->log_n)++] = s->tag;
	if (s->victim != NULL) {
		session_close(s->victim);
		s->victim = NULL;
		session_close(s);
	}
}

TEST(deferred_free_runs_after_every_callback)
{
	struct ev_loop *loop = ev_loop_new();
	int pa[2], pb[2], events = 0, freed = 0, log[16], log_n = 0;
	struct session *a, *b;

	if (loop == NULL) {
		CHECK(loop != NULL);
		return;
	}
	CHECK_OK(pipe2(pa, O_NONBLOCK));
	CHECK_OK(pipe2(pb, O_NONBLOCK));
	a = calloc(1, sizeof(*a));
	b = calloc(1, sizeof(*b));
	if (a == NULL || b == NULL) {
		CHECK(false);
		free(a);
		free(b);
		return;
	}
	*a = (struct session){ .fd = pa[0], .events = &events, .freed = &freed,
	    .log = log, .log_n = &log_n, .tag = 1, .loop = loop };
	*b = *a;
	b->fd = pb[0];
	b->tag = 2;
	a->victim = b;
	b->victim = a;
	CHECK_OK(ev_io_add(loop, a->fd, EV_READ, session_read, a));
	CHECK_OK(ev_io_add(loop, b->fd, EV_READ, session_read, b));
	/* Both readable before the wait: both events land in one batch. */
	CHECK_EQ(write(pa[1], "x", 1), 1);
	CHECK_EQ(write(pb[1], "y", 1), 1);
	CHECK_OK(ev_run_once(loop, 1000));
	/* The first callback closed both; the other's event was dropped and
	 * both frees ran after it, in the order queued. */
	CHECK_EQ(events, 1);
	CHECK_EQ(freed, 2);
	CHECK_EQ(log_n, 3);
	if (log_n == 3) {
		CHECK(log[0] == 1 || log[0] == 2);
		CHECK_EQ(log[1], 100 + (3 - log[0]));	/* the victim first */
		CHECK_EQ(log[2], 100 + log[0]);
	}
	close(pa[1]);
	close(pb[1]);
	ev_loop_free(loop);
}

static void
defer_mark(void *ptr)
{
	(*(int *)ptr)++;
}

TEST(defer_queued_outside_the_loop_runs_at_free)
{
	struct ev_loop *loop = ev_loop_new();
	int n = 0;

	if (loop == NULL) {
		CHECK(loop != NULL);
		return;
	}
	CHECK_OK(ev_defer(loop, defer_mark, &n));
	CHECK_OK(ev_defer(loop, defer_mark, &n));
	CHECK_ERR(ev_defer(loop, NULL, &n), ERR_INVAL);
	CHECK_EQ(n, 0);
	ev_loop_free(loop);
	CHECK_EQ(n, 2);
}

/* --- stop from a callback --- */

static void
stop_fire(struct ev_loop *loop, void *ctx)
{
	(*(int *)ctx)++;
	ev_stop(loop);
}

TEST(ev_stop_from_a_timer_callback_ends_ev_run)
{
	struct ev_loop *loop = ev_loop_new();
	struct ev_timer t;
	int n = 0, later = 0;
	uint64_t id;

	if (loop == NULL) {
		CHECK(loop != NULL);
		return;
	}
	CHECK_OK(ev_timer_init(&t, loop, stop_fire, &n));
	ev_timer_set(&t, ev_now(loop) + 5);
	CHECK_OK(ev_timer_add(loop, ev_now(loop) + 1000, count_fire, &later,
	    &id));
	CHECK(run_guarded(loop));
	CHECK_EQ(n, 1);
	CHECK_EQ(later, 0);
	/* A second run goes on from where the first stopped. */
	ev_timer_set(&t, ev_now(loop) + 5);
	CHECK(run_guarded(loop));
	CHECK_EQ(n, 2);
	CHECK_OK(ev_timer_cancel(loop, id));
	ev_timer_fini(&t);
	ev_loop_free(loop);
}

/* --- signals --- */

struct sig_seen {
	int	signo;
	int	count;
};

static void
sig_cb(struct ev_loop *loop, int signo, void *ctx)
{
	struct sig_seen *s = ctx;

	s->signo = signo;
	s->count++;
	ev_stop(loop);
}

TEST(signal_arrives_as_a_callback)
{
	struct ev_loop *loop = ev_loop_new();
	struct sig_seen seen = { 0, 0 };
	sigset_t cur;

	if (loop == NULL) {
		CHECK(loop != NULL);
		return;
	}
	CHECK_ERR(ev_signal_add(loop, SIGKILL, sig_cb, &seen), ERR_INVAL);
	CHECK_ERR(ev_signal_add(loop, 0, sig_cb, &seen), ERR_INVAL);
	CHECK_OK(ev_signal_add(loop, SIGUSR1, sig_cb, &seen));
	CHECK_ERR(ev_signal_add(loop, SIGUSR1, sig_cb, &seen), ERR_EXISTS);
	CHECK_OK(ev_signal_add(loop, SIGHUP, sig_cb, &seen));
	/* Blocked now, so raise() leaves it pending for the signalfd. */
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &cur));
	CHECK(sigismember(&cur, SIGUSR1));
	CHECK_OK(raise(SIGUSR1));
	CHECK(run_guarded(loop));
	CHECK_EQ(seen.count, 1);
	CHECK_EQ(seen.signo, SIGUSR1);
	CHECK_OK(raise(SIGHUP));
	CHECK(run_guarded(loop));
	CHECK_EQ(seen.count, 2);
	CHECK_EQ(seen.signo, SIGHUP);
	CHECK_OK(ev_signal_del(loop, SIGHUP));
	CHECK_ERR(ev_signal_del(loop, SIGHUP), ERR_NOTFOUND);
	CHECK_OK(ev_signal_del(loop, SIGUSR1));
	ev_loop_free(loop);
	/* The loop unblocked what it blocked. */
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &cur));
	CHECK(!sigismember(&cur, SIGUSR1));
	CHECK(!sigismember(&cur, SIGHUP));
}
