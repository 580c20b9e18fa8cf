/*
 * ppp_opt.h - typed values of the configuration options pptpkit speaks,
 * one decode/encode pair per option, and pppd-style printers for whole
 * option lists.
 *
 *   LCP    RFC 1661 6 (MRU, ACCM, Authentication-Protocol, Quality-Protocol,
 *          Magic-Number, PFC, ACFC), RFC 1570 (Callback), RFC 1990 (MRRU,
 *          Short-Sequence-Number-Header-Format, Endpoint-Discriminator),
 *          RFC 2125 (Link-Discriminator);
 *   IPCP   RFC 1332 (IP-Addresses, IP-Compression-Protocol, IP-Address),
 *          RFC 1877 (Primary/Secondary DNS and NBNS addresses);
 *   IPV6CP RFC 5072 (Interface-Identifier, IPv6-Compression-Protocol);
 *   CCP    RFC 1962 and RFC 3078 2 / RFC 2118 (the MPPE/MPPC option 18).
 *
 * Every decoder takes an option from ppp_opt_next() (ppp_cp.h), checks that
 * its Type is the one the decoder is for (ERR_INVAL otherwise: a caller
 * bug) and that its Length is exactly what the RFC allows for that value
 * (ERR_OPTION otherwise), and fills host-order values; variable parts are
 * borrowed pointers into the packet.  It never consumes o->val (it reads a
 * copy), so an option can be decoded twice.  Every encoder writes one whole
 * option (Type, Length, value) and returns 0, ERR_INVAL for a value the
 * option cannot carry, or the writer's sticky error.
 *
 * For every option a decoder accepts, the encoder fed with the decoded
 * value writes back the same octets (ppp_opt_validate() relies on it and
 * the tests and the fuzzer check it).
 */
#ifndef PPTPKIT_WIRE_PPP_OPT_H
#define PPTPKIT_WIRE_PPP_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "ppp_cp.h"
#include "../base/sbuf.h"

/* LCP option types. */
enum lcp_opt_type {
	LCP_OPT_MRU	  = 1,	/* Maximum-Receive-Unit, RFC 1661 6.1 */
	LCP_OPT_ACCM	  = 2,	/* Async-Control-Character-Map, RFC 1662 7.1 */
	LCP_OPT_AUTH	  = 3,	/* Authentication-Protocol, RFC 1661 6.2 */
	LCP_OPT_QUALITY	  = 4,	/* Quality-Protocol, RFC 1661 6.3 */
	LCP_OPT_MAGIC	  = 5,	/* Magic-Number, RFC 1661 6.4 */
	LCP_OPT_PFC	  = 7,	/* Protocol-Field-Compression, RFC 1661 6.5 */
	LCP_OPT_ACFC	  = 8,	/* Address-and-Control-Field-Compression, 6.6 */
	LCP_OPT_CALLBACK  = 13,	/* Callback, RFC 1570 2.3 */
	LCP_OPT_MRRU	  = 17,	/* Multilink-MRRU, RFC 1990 5.1.1 */
	LCP_OPT_SSNHF	  = 18,	/* Short-Sequence-Number-Header-Format, 5.1.2 */
	LCP_OPT_ENDPOINT  = 19,	/* Endpoint-Discriminator, RFC 1990 5.1.3 */
	LCP_OPT_LINK_DISC = 23,	/* Link-Discriminator, RFC 2125 5.1 */
};

/* CHAP Algorithm octets in the Authentication-Protocol option (RFC 1994
 * 3, RFC 2433, RFC 2759); the same numbers as CHAP_ALG_* in ppp_auth.h. */
#define LCP_CHAP_MD5		0x05
#define LCP_CHAP_MSCHAP		0x80	/* MS-CHAPv1 */
#define LCP_CHAP_MSCHAPV2	0x81

#define LCP_QUALITY_LQR		0xc025	/* Link-Quality-Report, RFC 1989 */

/* Callback Operation octets, RFC 1570 2.3 (6 is Microsoft's CBCP). */
enum lcp_callback_op {
	LCP_CALLBACK_AUTH	= 0,	/* location from user authentication */
	LCP_CALLBACK_DIAL	= 1,	/* Dialing string */
	LCP_CALLBACK_LOCATION	= 2,	/* Location identifier */
	LCP_CALLBACK_E164	= 3,	/* E.164 number */
	LCP_CALLBACK_NAME	= 4,	/* Distinguished name */
	LCP_CALLBACK_CBCP	= 6,	/* Callback Control Protocol (Microsoft) */
};

/* Endpoint-Discriminator classes, RFC 1990 5.1.3, and their address sizes. */
enum lcp_epd_class {
	LCP_EPD_NULL	= 0,	/* no address */
	LCP_EPD_LOCAL	= 1,	/* Locally Assigned Address, up to 20 */
	LCP_EPD_IPV4	= 2,	/* Internet Protocol (IP) Address, 4 */
	LCP_EPD_MAC	= 3,	/* IEEE 802.1 Globally Assigned MAC, 6 */
	LCP_EPD_MAGIC	= 4,	/* PPP Magic-Number Block, up to 20 */
	LCP_EPD_PSDN	= 5,	/* Public Switched Network Directory No., <= 15 */
};
#define LCP_EPD_ADDR_MAX	20

/* IPCP option types. */
enum ipcp_opt_type {
	IPCP_OPT_ADDRS	= 1,	/* IP-Addresses (deprecated), RFC 1332 A.1 */
	IPCP_OPT_COMP	= 2,	/* IP-Compression-Protocol, RFC 1332 3.2 */
	IPCP_OPT_ADDR	= 3,	/* IP-Address, RFC 1332 3.3 */
	IPCP_OPT_DNS1	= 129,	/* Primary-DNS-Server-Address, RFC 1877 1.1 */
	IPCP_OPT_NBNS1	= 130,	/* Primary-NBNS-Server-Address, RFC 1877 1.2 */
	IPCP_OPT_DNS2	= 131,	/* Secondary-DNS-Server-Address, RFC 1877 1.3 */
	IPCP_OPT_NBNS2	= 132,	/* Secondary-NBNS-Server-Address, RFC 1877 1.4 */
};

/* IPV6CP option types, RFC 5072 4. */
enum ipv6cp_opt_type {
	IPV6CP_OPT_IFACE_ID	= 1,	/* Interface-Identifier, RFC 5072 4.1 */
	IPV6CP_OPT_COMP		= 2,	/* IPv6-Compression-Protocol, 4.2 */
};
#define IPV6CP_IFACE_ID_LEN	8

/* CCP option types (only the one pptpkit negotiates). */
enum ccp_opt_type {
	CCP_OPT_MPPE	= 18,	/* MPPE / MPPC, RFC 3078 2, RFC 2118 */
};

/* Supported-Bits of the MPPE/MPPC option, RFC 3078 2 (MSB first). */
#define MPPE_OPT_H	0x01000000u	/* stateless (history-less) mode */
#define MPPE_OPT_M	0x00000080u	/* 56-bit session keys */
#define MPPE_OPT_S	0x00000040u	/* 128-bit session keys */
#define MPPE_OPT_L	0x00000020u	/* 40-bit session keys */
#define MPPE_OPT_D	0x00000010u	/* obsolete; "SHOULD NOT be accepted" */
#define MPPE_OPT_C	0x00000001u	/* MPPC compression, RFC 2118 */
#define MPPE_OPT_KNOWN	(MPPE_OPT_H | MPPE_OPT_M | MPPE_OPT_S | \
			 MPPE_OPT_L | MPPE_OPT_D | MPPE_OPT_C)

/* --- generic shapes --- */

/* Exact-length checks for the common shapes: no value (Length 2), a
 * 16-bit value (Length 4), a 32-bit value (Length 6).  ERR_OPTION on any
 * other Length.  No Type check. */
int ppp_opt_flag_decode(const struct ppp_opt *o) MUST_CHECK;
int ppp_opt_u16_decode(const struct ppp_opt *o, uint16_t *v) MUST_CHECK;
int ppp_opt_u32_decode(const struct ppp_opt *o, uint32_t *v) MUST_CHECK;
int ppp_opt_u16_put(struct wr *w, uint8_t type, uint16_t v);
int ppp_opt_u32_put(struct wr *w, uint8_t type, uint32_t v);

/* --- LCP --- */

int lcp_opt_mru_decode(const struct ppp_opt *o, uint16_t *mru) MUST_CHECK;
int lcp_opt_mru_encode(struct wr *w, uint16_t mru) MUST_CHECK;
int lcp_opt_accm_decode(const struct ppp_opt *o, uint32_t *accm) MUST_CHECK;
int lcp_opt_accm_encode(struct wr *w, uint32_t accm) MUST_CHECK;
int lcp_opt_magic_decode(const struct ppp_opt *o, uint32_t *magic) MUST_CHECK;
int lcp_opt_magic_encode(struct wr *w, uint32_t magic) MUST_CHECK;
int lcp_opt_mrru_decode(const struct ppp_opt *o, uint16_t *mrru) MUST_CHECK;
int lcp_opt_mrru_encode(struct wr *w, uint16_t mrru) MUST_CHECK;
int lcp_opt_link_disc_decode(const struct ppp_opt *o, uint16_t *disc)
    MUST_CHECK;
int lcp_opt_link_disc_encode(struct wr *w, uint16_t disc) MUST_CHECK;
/* PFC, ACFC and SSNHF carry no value: Length must be 2. */
int lcp_opt_pfc_decode(const struct ppp_opt *o) MUST_CHECK;
int lcp_opt_pfc_encode(struct wr *w) MUST_CHECK;
int lcp_opt_acfc_decode(const struct ppp_opt *o) MUST_CHECK;
int lcp_opt_acfc_encode(struct wr *w) MUST_CHECK;
int lcp_opt_ssnhf_decode(const struct ppp_opt *o) MUST_CHECK;
int lcp_opt_ssnhf_encode(struct wr *w) MUST_CHECK;

/*
 * Authentication-Protocol: a 16-bit protocol and protocol-specific data.
 * Lengths: PAP (0xC023) and EAP (0xC227) exactly 4; CHAP (0xC223) exactly
 * 5, the fifth octet being the Algorithm (any value is decoded; the judge
 * decides which it accepts); any other protocol at least 4, the rest kept
 * as data.  The encoder writes chap_alg for CHAP and data otherwise
 * (ERR_INVAL if data is given for PAP, EAP or CHAP, or is too long).
 */
struct lcp_auth {
	uint16_t	 proto;		/* PPP_PAP, PPP_CHAP, PPP_EAP, ... */
	uint8_t		 chap_alg;	/* CHAP only: LCP_CHAP_* */
	const uint8_t	*data;		/* other protocols: the rest */
	size_t		 data_len;
};
int lcp_opt_auth_decode(const struct ppp_opt *o, struct lcp_auth *a)
    MUST_CHECK;
int lcp_opt_auth_encode(struct wr *w, const struct lcp_auth *a) MUST_CHECK;

/*
 * Quality-Protocol: a 16-bit protocol and data.  LQR (0xC025) is exactly
 * 8 octets, its data being the 32-bit Reporting-Period (RFC 1989 2.5, in
 * hundredths of a second); any other protocol at least 4.
 */
struct lcp_quality {
	uint16_t	 proto;
	uint32_t	 period;	/* LQR only */
	const uint8_t	*data;		/* other protocols */
	size_t		 data_len;
};
int lcp_opt_quality_decode(const struct ppp_opt *o, struct lcp_quality *q)
    MUST_CHECK;
int lcp_opt_quality_encode(struct wr *w, const struct lcp_quality *q)
    MUST_CHECK;

/* Callback: an Operation octet and a Message (Length >= 3, RFC 1570 2.3). */
struct lcp_callback {
	uint8_t		 op;		/* enum lcp_callback_op */
	const uint8_t	*msg;
	size_t		 msg_len;
};
int lcp_opt_callback_decode(const struct ppp_opt *o, struct lcp_callback *c)
    MUST_CHECK;
int lcp_opt_callback_encode(struct wr *w, const struct lcp_callback *c)
    MUST_CHECK;

/*
 * Endpoint-Discriminator: a Class octet and an Address whose size the
 * class fixes (RFC 1990 5.1.3): Null 0, IPv4 4, MAC 6 exactly; Locally
 * Assigned and Magic-Number Block at most 20; PSDN at most 15.  Classes
 * 6-255 are reserved: ERR_OPTION.  The address is copied.
 */
struct lcp_endpoint {
	uint8_t		cls;		/* enum lcp_epd_class */
	uint8_t		addr[LCP_EPD_ADDR_MAX];
	size_t		addr_len;
};
int lcp_opt_endpoint_decode(const struct ppp_opt *o, struct lcp_endpoint *e)
    MUST_CHECK;
int lcp_opt_endpoint_encode(struct wr *w, const struct lcp_endpoint *e)
    MUST_CHECK;

/* --- IPCP --- */

/*
 * The 4-octet address options: IP-Address (3) and the RFC 1877 DNS/NBNS
 * options (129-132).  Addresses are host-order uint32_t (10.0.0.1 is
 * 0x0a000001).  The decoder takes any of those types; the encoder ERR_INVAL
 * for any other type.
 */
bool ipcp_opt_is_addr(uint8_t type);
int ipcp_opt_addr_decode(const struct ppp_opt *o, uint32_t *addr)
    MUST_CHECK;
int ipcp_opt_addr_encode(struct wr *w, uint8_t type, uint32_t addr)
    MUST_CHECK;

/* IP-Addresses (1, deprecated, RFC 1332 Appendix A.1): exactly 10. */
int ipcp_opt_addrs_decode(const struct ppp_opt *o, uint32_t *src,
    uint32_t *dst) MUST_CHECK;
int ipcp_opt_addrs_encode(struct wr *w, uint32_t src, uint32_t dst)
    MUST_CHECK;

/*
 * IP-Compression-Protocol: a 16-bit protocol and data.  Van Jacobson
 * (0x002D) is exactly 6 octets: Max-Slot-Id and Comp-Slot-Id (RFC 1332
 * 4); any other protocol at least 4, the rest kept as data.
 */
struct ipcp_comp {
	uint16_t	 proto;		/* PPP_VJ_COMP, ... */
	uint8_t		 max_slot_id;	/* VJ only */
	uint8_t		 comp_slot_id;	/* VJ only; 0 or 1, kept as sent */
	const uint8_t	*data;		/* other protocols */
	size_t		 data_len;
};
int ipcp_opt_comp_decode(const struct ppp_opt *o, struct ipcp_comp *c)
    MUST_CHECK;
int ipcp_opt_comp_encode(struct wr *w, const struct ipcp_comp *c)
    MUST_CHECK;

/* --- IPV6CP --- */

/* Interface-Identifier: exactly 10 octets (an 8-octet identifier). */
int ipv6cp_opt_ifaceid_decode(const struct ppp_opt *o,
    uint8_t id[IPV6CP_IFACE_ID_LEN]) MUST_CHECK;
int ipv6cp_opt_ifaceid_encode(struct wr *w,
    const uint8_t id[IPV6CP_IFACE_ID_LEN]) MUST_CHECK;

/* IPv6-Compression-Protocol: a 16-bit protocol and data, Length >= 4. */
struct ipv6cp_comp {
	uint16_t	 proto;
	const uint8_t	*data;
	size_t		 data_len;
};
int ipv6cp_opt_comp_decode(const struct ppp_opt *o, struct ipv6cp_comp *c)
    MUST_CHECK;
int ipv6cp_opt_comp_encode(struct wr *w, const struct ipv6cp_comp *c)
    MUST_CHECK;

/* --- CCP: MPPE/MPPC (RFC 3078 2) --- */

/*
 * The option is exactly 6 octets: a 32-bit Supported-Bits field.  All
 * zero is valid and means "no MPPE" (a responder's Nak or the end of a
 * negotiation that found nothing in common).  Bits outside MPPE_OPT_KNOWN
 * are kept in other_bits so the value re-encodes exactly.
 */
struct mppe_opt {
	bool		stateless;	/* H */
	bool		b56;		/* M */
	bool		b128;		/* S */
	bool		b40;		/* L */
	bool		d;		/* D, obsolete */
	bool		mppc;		/* C */
	uint32_t	other_bits;	/* everything else, as received */
};
void mppe_opt_from_bits(uint32_t bits, struct mppe_opt *m);
uint32_t mppe_opt_to_bits(const struct mppe_opt *m);
int ccp_opt_mppe_decode(const struct ppp_opt *o, struct mppe_opt *m)
    MUST_CHECK;
int ccp_opt_mppe_encode(struct wr *w, const struct mppe_opt *m) MUST_CHECK;
/* "+H -M +S -L -D -C", then " other=0x........" if other_bits is set. */
void mppe_opt_print(const struct mppe_opt *m, struct sbuf *sb);

/* --- any option --- */

/*
 * Decodes o with the typed decoder for (proto, o->type).  Returns 0 when
 * the value is valid, ERR_OPTION when it is malformed, ERR_UNSUPPORTED for
 * an option type (or protocol) this file has no decoder for.  When w is
 * not NULL and the value is valid, the option is re-encoded from the
 * decoded value into w (the same octets as the input; the writer's error
 * is returned if it fails).
 */
int ppp_opt_validate(uint16_t proto, const struct ppp_opt *o, struct wr *w)
    MUST_CHECK;
/* The same for one protocol each (what ppp_opt_validate dispatches to). */
int lcp_opt_validate(const struct ppp_opt *o, struct wr *w) MUST_CHECK;
int ipcp_opt_validate(const struct ppp_opt *o, struct wr *w) MUST_CHECK;
int ipv6cp_opt_validate(const struct ppp_opt *o, struct wr *w) MUST_CHECK;
int ccp_opt_validate(const struct ppp_opt *o, struct wr *w) MUST_CHECK;

/* --- printers --- */

/*
 * One option, pppd style, with the angle brackets: "<mru 1400>",
 * "<auth chap MS-v2>", "<magic 0x0f3f117c>", "<pcomp>", "<callback CBCP>",
 * "<endpoint class 1 len 20>", "<addr 10.0.0.1>", "<ms-dns1 0.0.0.0>",
 * "<ms-wins 0.0.0.0>", "<ifaceid 0123:4567:89ab:cdef>",
 * "<mppe +H -M +S -L -D -C>".  An option the protocol's printer does not
 * know, or one whose value is malformed, prints as its octets in hex:
 * "< 17 04 00 01 >" (Link-Discriminator is printed so, as pppd does).
 */
void lcp_opt_print(const struct ppp_opt *o, struct sbuf *sb);
void ipcp_opt_print(const struct ppp_opt *o, struct sbuf *sb);
void ipv6cp_opt_print(const struct ppp_opt *o, struct sbuf *sb);
void ccp_opt_print(const struct ppp_opt *o, struct sbuf *sb);
void ppp_opt_print_raw(const struct ppp_opt *o, struct sbuf *sb);

/*
 * Prints every option in opts (a Configure-* Data part), each preceded by
 * one space so the list appends to a packet header, with the printer for
 * proto (raw hex for an unknown protocol); consumes opts.  Returns 0, or
 * the ppp_opt_next() error that stopped the walk (the options before it
 * are printed, the malformed rest is not).
 */
int ppp_opts_print(uint16_t proto, struct rd *opts, struct sbuf *sb);

#endif
