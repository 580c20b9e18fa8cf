/* fuzz_pptp_ctrlconn.c - the PPTP control connection core (ctrl.h), RFC 2637
 * 3.1-3.2: d[0] role (bit 0 PNS), call limit; op < 0xc0 feeds op stream bytes,
 * else time += (op & 15) * 8 s, bits 4-5: 1 stop, 2 call actions, 3 TCP closed. */
#include "fuzz_common.h"
#include "../src/pptp/ctrl.h"

static struct ctrl c;
static uint64_t sent, ids, closed, now;	/* nothing may follow CLOSED */

static void on_send(void *x, const uint8_t *b, size_t n)
{ FUZZ_ASSERT(!closed && !x && b && n >= 16 && n <= 220); sent += n; }
static int on_id(void *x, uint16_t *id)		/* every 5th: "server full" */
{ return (*id = (uint16_t)++ids) % 5 && !x ? 0 : ERR_NOSPACE; }
static void on_event(void *x, const struct ctrl_event *ev)
{
	uint16_t id = ev->call ? ev->call->call_id : 0;
	FUZZ_ASSERT(!closed && ev->text != NULL && x == NULL);
	if (!(closed = ev->type == CTRL_EV_CLOSED) && id % 3 != 2 && ev->type <= CTRL_EV_CALL_REQUEST)
		(void)(id ? ctrl_call_accept(&c, now, id) : ctrl_call_open(&c, now, "1", &id)); /* PAC, PNS */
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	struct ctrl_config cfg;
	size_t i = 1, n;

	sent = ids = closed = now = 0, ctrl_config_default(&cfg, size && d[0] & 1);
	cfg.send = on_send, cfg.event = on_event, cfg.call_id = on_id;
	cfg.max_calls = 1 + (size ? d[0] >> 1 : 0) % CTRL_MAX_CALLS;
	FUZZ_ASSERT(ctrl_init(&c, &cfg) == 0 && ctrl_start(&c, 0) == 0);
	while (i < size) {
		const struct ctrl_call *k = ctrl_call_at(&c, i % CTRL_MAX_CALLS);
		uint8_t op = d[i++], a = op < 0xc0 ? 0 : op >> 4 & 3;
		uint16_t id = k ? k->call_id : op;
		(void)ctrl_input(&c, now, d + i, n = op < 0xc0 ? (op < size - i ? op : size - i) : 0);
		if ((i += n) && op >= 0xc0 && (now += (op & 15) * 8000u) >= ctrl_deadline(&c))
			ctrl_timeout(&c, now);
		if (a == 1 || a == 3)
			a == 1 ? (void)ctrl_stop(&c, now, 1 + i % 3) : ctrl_peer_closed(&c, now);
		if (a == 2)	/* each one refused where role or state forbids it */
			(void)(ctrl_call_reject(&c, now, id, 2 + op % 6, 0, 0) & ctrl_call_clear(&c, now, id) &
			    ctrl_call_disconnect(&c, now, id, 1 + op % 4, "s") & ctrl_call_set_link_info(&c, now, id, 0, ~0u));
		FUZZ_ASSERT(ctrl_deadline(&c) > now && sent <= 16 * i + 4096);
	}
	ctrl_peer_closed(&c, now);
	FUZZ_ASSERT(closed && ctrl_is_closed(&c) && ctrl_call_count(&c) == 0);
	return 0;
}
