/*
 * ppp_proto.h - PPP protocol numbers and control-packet codes used by
 * pptpkit (RFC 1661 section 2, the IANA PPP DLL protocol numbers).
 */
#ifndef PPTPKIT_WIRE_PPP_PROTO_H
#define PPTPKIT_WIRE_PPP_PROTO_H

enum ppp_proto {
	PPP_IP		= 0x0021,	/* Internet Protocol version 4 */
	PPP_VJ_COMP	= 0x002d,	/* Van Jacobson compressed TCP/IP */
	PPP_VJ_UNCOMP	= 0x002f,	/* Van Jacobson uncompressed TCP/IP */
	PPP_IPV6	= 0x0057,	/* Internet Protocol version 6 */
	PPP_COMP	= 0x00fd,	/* compressed/encrypted datagram (MPPE, RFC 3078) */
	PPP_IPCP	= 0x8021,	/* IP Control Protocol, RFC 1332 */
	PPP_IPV6CP	= 0x8057,	/* IPv6 Control Protocol, RFC 5072 */
	PPP_CCP		= 0x80fd,	/* Compression Control Protocol, RFC 1962 */
	PPP_LCP		= 0xc021,	/* Link Control Protocol, RFC 1661 */
	PPP_PAP		= 0xc023,	/* Password Authentication Protocol, RFC 1334 */
	PPP_CHAP	= 0xc223,	/* Challenge-Handshake Auth. Protocol, RFC 1994 */
	PPP_EAP		= 0xc227,	/* Extensible Authentication Protocol, RFC 3748 */
	PPP_CBCP	= 0xc029,	/* Callback Control Protocol (Microsoft) */
	PPP_BACP	= 0xc02b,	/* Bandwidth Allocation Control Protocol, RFC 2125 */
	PPP_MP		= 0x003d,	/* Multilink, RFC 1990 */
};

/* Control-packet codes, RFC 1661 section 5 (LCP uses 1-11 and, with
 * RFC 1570, 12 and 13; IPCP/IPV6CP use 1-7; CCP adds 14 and 15). */
enum ppp_code {
	PPP_CONF_REQ	= 1,	/* Configure-Request */
	PPP_CONF_ACK	= 2,	/* Configure-Ack */
	PPP_CONF_NAK	= 3,	/* Configure-Nak */
	PPP_CONF_REJ	= 4,	/* Configure-Reject */
	PPP_TERM_REQ	= 5,	/* Terminate-Request */
	PPP_TERM_ACK	= 6,	/* Terminate-Ack */
	PPP_CODE_REJ	= 7,	/* Code-Reject */
	PPP_PROTO_REJ	= 8,	/* Protocol-Reject (LCP only) */
	PPP_ECHO_REQ	= 9,	/* Echo-Request (LCP only) */
	PPP_ECHO_REP	= 10,	/* Echo-Reply (LCP only) */
	PPP_DISC_REQ	= 11,	/* Discard-Request (LCP only) */
	PPP_IDENT	= 12,	/* Identification, RFC 1570 (LCP only) */
	PPP_TIME_REM	= 13,	/* Time-Remaining, RFC 1570 (LCP only) */
	PPP_RESET_REQ	= 14,	/* Reset-Request, RFC 1962 (CCP only) */
	PPP_RESET_ACK	= 15,	/* Reset-Ack, RFC 1962 (CCP only) */
};

#endif
