/* fuzz_ppp_session.c - a server session (default policy) driven by arbitrary frames.  Input: flags
 * (1: answer AUTH_REQUEST inside the event, else after the call; 2: send IP after each frame; 4: end
 * by lower-down, else ppp_close), then records [time step x 50 ms][length, 2 octets][frame]; timers
 * run as deadlines pass.  Nothing may crash, the session may not allocate after ppp_new, a timer
 * that ran must move its deadline, no call may send over 16 frames or one over PPP_FRAME_MAX+4. */
#include <sanitizer/allocator_interface.h>
#include "fuzz_common.h"
#include "../src/ppp/ppp.h"
#include "../src/wire/ppp_frame.h"

static struct ppp *s;
static uint64_t now, rng;		/* rng: fixed, so seeds can hold real MS-CHAPv2 responses */
static unsigned sends, flags, pending;
static const struct ppp_auth_answer answer = { .accept = 1, .password = "secret",
	.local_ip = 0x0a000001, .peer_ip = 0x0a000002 };
static const uint8_t ip4[20] = { 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2 };

static void fz_send(void *c, const uint8_t *f, size_t n)
{ (void)c, (void)f; FUZZ_ASSERT(++sends <= 16 && n <= PPP_FRAME_MAX + PPP_FRAME_HDR_MAX); }
static void fz_deliver(void *c, uint16_t p, const uint8_t *b, size_t n) { (void)c, (void)p, (void)b, (void)n; }
static void fz_event(void *c, const struct ppp_event *ev)	/* inside the event, or later */
{ (void)c; if (ev->type == PPP_EV_AUTH_REQUEST && !(pending = !(flags & 1))) (void)ppp_auth_answer(s, now, &answer); }
static void fz_random(void *c, void *b, size_t n)
{ uint8_t *p = b; (void)c; while (n--) *p++ = (uint8_t)((rng = rng * 6364136223846793005ull + 1) >> 56); }
static void fz_timers(void)	/* every deadline passed, in order; each must move on */
{
	for (uint64_t d; (d = ppp_deadline(s)) <= now; sends = 0)
		FUZZ_ASSERT(ppp_timeout(s, d) == 0 && ppp_deadline(s) > d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ppp_io io = { .send = fz_send, .deliver = fz_deliver, .event = fz_event, .random = fz_random };
	struct ppp_config cfg;
	size_t i = 1, n, heap;

	flags = size > 0 ? data[0] : 0, now = 1000, rng = 42, pending = 0, sends = 0;
	ppp_config_default(&cfg, PPP_ROLE_SERVER);
	FUZZ_ASSERT(ppp_new(&s, &cfg, &io) == 0);
	heap = __sanitizer_get_current_allocated_bytes();
	(void)ppp_start(s, now);
	for (; i + 3 <= size; i += n) {
		now += data[i] * 50u, sends = 0, fz_timers();
		n = (size_t)(data[i + 1] << 8 | data[i + 2]), i += 3, n = n < size - i ? n : size - i;
		sends = 0, (void)ppp_input(s, now, data + i, n);
		if (pending)	/* the deferred answer, as RADIUS gives it */
			pending = 0, sends = 0, (void)ppp_auth_answer(s, now, &answer);
		if (flags & 2)
			sends = 0, (void)ppp_send_ip(s, now, ip4, sizeof(ip4));
		FUZZ_ASSERT(__sanitizer_get_current_allocated_bytes() == heap);
	}
	sends = 0, (void)(flags & 4 ? ppp_lower_down(s, now) : ppp_close(s, now, "end"));
	now += 60000, sends = 0, fz_timers();
	FUZZ_ASSERT(__sanitizer_get_current_allocated_bytes() == heap);
	ppp_free(s);
	return 0;
}
