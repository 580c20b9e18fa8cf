/*
 * ncp.h - the network control protocols: IPCP (RFC 1332 with RFC 1877 DNS
 * and NBNS) and IPV6CP (RFC 5072), implemented in ncp.c.  See ppp_int.h for
 * how the parts fit.
 */
#ifndef PPTPKIT_PPP_NCP_H
#define PPTPKIT_PPP_NCP_H

#include <stdbool.h>
#include <stdint.h>

#include "fsm.h"

struct ppp;

struct ipcp_state {
	struct fsm	fsm;
	uint32_t	local, peer;	/* host order; server: from the answer */
	uint32_t	dns[2], nbns[2];	/* client: what we ask / learned */
	bool		dns_rejected[2], nbns_rejected[2];
	bool		addr_rejected;
};

struct ipv6cp_state {
	struct fsm	fsm;
	uint8_t		local_id[8], peer_id[8];
};

void ncp_init(struct ppp *s);
/* Network phase: Up + Open each enabled NCP. */
void ncp_open(struct ppp *s, uint64_t now);
int ipcp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len);
int ipv6cp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len);
uint64_t ncp_deadline(const struct ppp *s);
void ncp_timeout(struct ppp *s, uint64_t now);
/* The peer Protocol-Rejected IPCP or IPV6CP. */
void ncp_protocol_rejected(struct ppp *s, uint64_t now, uint16_t proto);
void ncp_lower_down(struct ppp *s, uint64_t now);
bool ipcp_is_open(const struct ppp *s);
bool ipv6cp_is_open(const struct ppp *s);

#endif
