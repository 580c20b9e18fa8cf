/*
 * ctrl_pair.h - a PNS and a PAC PPTP control connection core
 * (src/pptp/ctrl.h) wired back to back in memory: each one's send feeds the
 * other's ctrl_input, the byte stream split whole-message-wise, coalesced
 * or in k-byte chunks; a core that closes has its "TCP" closed, so the other
 * sees ctrl_peer_closed().  Every message sent (decoded) and every event
 * (copied) is recorded, with the global order of messages on the wire.
 * Test support for test_pptp_ctrl.c.
 */
#ifndef PPTPKIT_TESTS_CTRL_PAIR_H
#define PPTPKIT_TESTS_CTRL_PAIR_H

#include <stdbool.h>
#include <stdint.h>

#include "../src/pptp/ctrl.h"

#define CP_OUT_MAX	8192
#define CP_LOG_MAX	64
#define CP_WIRE_MAX	128

/* What a PAC's glue does with CTRL_EV_CALL_REQUEST. */
enum cp_accept { CP_ACCEPT_NOW, CP_ACCEPT_LATER, CP_REJECT_BUSY };

struct cp_rec {				/* one event, copied */
	enum ctrl_event_type	type;
	struct ctrl_call	call;	/* zero when the event has none */
	int			down, close;
	bool			orderly;
	uint8_t			result, error;
	char			text[CTRL_TEXT_MAX];
};

struct cp_side {
	struct ctrl		c;
	int			idx;		/* 0 PNS, 1 PAC */
	uint8_t			out[CP_OUT_MAX]; /* sent, not yet delivered */
	size_t			outlen;
	size_t			bounds[CP_WIRE_MAX]; /* message ends in out */
	unsigned		nbounds;
	struct pptp_msg		sent[CP_LOG_MAX]; /* every message sent */
	unsigned		nsent;
	struct cp_rec		ev[CP_LOG_MAX];
	unsigned		nev;
	uint16_t		next_id;	/* the allocator's next answer */
	int			alloc_err;	/* the allocator fails with it */
	enum cp_accept		accept;
	bool			stop_on_down;	/* ctrl_stop on CALL_DOWN */
	int			abort_on;	/* ctrl_abort on event type + 1 */
	int			nested_ret;	/* ctrl_input from a callback */
};

extern struct cp_side cp_side[2];
#define CP_PNS	(&cp_side[0])
#define CP_PAC	(&cp_side[1])
extern struct cp_wire { int from; uint16_t type; } cp_wire[CP_WIRE_MAX];
extern unsigned cp_nwire;
extern uint64_t cp_now;		/* the time callbacks and the pump use */
extern int cp_split;		/* 0 whole messages, -1 coalesced, k > 0
				 * k-byte chunks */

/* Default configuration of side idx (0 PNS, 1 PAC) wired to the recorder:
 * PNS window 64, PPD 3; PAC window 32, PPD 0; max_bps 10000000; allocators
 * from 0x1700 (PNS) and 0x4200 (PAC).  Zeroes the side. */
void cp_side_config(struct cp_side *s, struct ctrl_config *cfg, int idx);
/* Both sides fresh and initialised (idle), wire log empty, time 0. */
void cp_setup(void);
/* Delivers both ways until quiet, then closes "TCP" to a closed side's peer. */
void cp_pump(void);
/* Starts both and pumps: both established. */
void cp_establish(void);
/* cp_establish, then the PNS places a call (phone "5551234"); returns its
 * Call ID. */
uint16_t cp_call_up(void);

const struct cp_rec *cp_find_ev(const struct cp_side *s,
    enum ctrl_event_type type);
unsigned cp_count_ev(const struct cp_side *s, enum ctrl_event_type type);
/* The wire log from position start: "pns:CCRQ,pac:CDN,...". */
const char *cp_wire_str(unsigned start);

/* Encodes m into out[PPTP_MAX_MSG_LEN]; returns its length. */
size_t cp_enc(const struct pptp_msg *m, uint8_t *out);
/* pptp-linux's SCCRQ as seen in the interop VM: framing 3, bearer 3, max
 * channels 65535, firmware 1, host "local", vendor "cananian". */
size_t cp_sccrq_pptp_linux(uint8_t *out);
/* An OCRQ like pptp-linux's: 2400..10000000 bps, any bearer and framing,
 * window 64. */
size_t cp_ocrq(uint8_t *out, uint16_t call_id);
/* A zeroed message of type with its first 16-bit body field set to id16
 * (SLI: also send ACCM 0xffffffff; Echo-Request: id 0xabcd0000 | id16). */
size_t cp_small(uint8_t *out, uint16_t type, uint16_t id16);

#endif
