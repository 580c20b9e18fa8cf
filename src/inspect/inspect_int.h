/*
 * inspect_int.h - internals shared by the analyzer's files (not an API).
 */
#ifndef PPTPKIT_INSPECT_INSPECT_INT_H
#define PPTPKIT_INSPECT_INSPECT_INT_H

#include "../inspect/inspect.h"

/* inspect_net.c: true for the link types (INS_DLT_*) inspect_packet()
 * reads; the others it only counts (link_unsupported). */
bool ins_dlt_ok(int dlt);

/* inspect_net.c: one TCP segment of control connection cn in direction
 * dir (0 client->server); reassembles and hands bytes to ins_ctrl_bytes. */
void ins_tcp_segment(struct inspect *ins, struct ins_conn *cn, int dir,
    uint32_t seq, uint8_t flags, const uint8_t *data, size_t len);

/* inspect_pptp.c: in-order stream bytes; frames PPTP messages. */
void ins_ctrl_bytes(struct inspect *ins, struct ins_conn *cn, int dir,
    const uint8_t *data, size_t len, unsigned frame);

/* inspect_ppp.c: one PPP frame (the GRE payload) of call direction d. */
void ins_ppp_frame(struct inspect *ins, struct ins_call *call, int d,
    const uint8_t *p, size_t n);

/* inspect_ppp.c: ins_proto_name(proto), or "0x%04x" written into
 * buf[cap] for a protocol without a name; never NULL. */
const char *ins_proto_label(uint16_t proto, char *buf, size_t cap);

/* inspect_pptp.c: a new call (evicting the least recently seen). */
struct ins_call *ins_call_new(struct inspect *ins, enum ins_call_kind kind);

/* inspect_gre.c: one GRE packet (any version) from src to dst. */
void ins_gre(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, const uint8_t *p, size_t n);

/* inspect_pptp.c: ts as time since the capture's first frame, "+S.mmm s"
 * (rounded to the millisecond; "-" when the clock stepped back); buf. */
const char *ins_ts_rel(const struct inspect *ins, uint64_t ts, char *buf,
    size_t cap);

#endif
