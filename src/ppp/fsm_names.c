/*
 * fsm_names.c - the RFC 1661 section 4 names of the automaton's states,
 * events and actions, for logs, traces and test messages.
 */
#include "fsm.h"

static const char *const fsm_state_names[FSM_NSTATES] = {
	[FSM_INITIAL] = "Initial",	[FSM_STARTING] = "Starting",
	[FSM_CLOSED] = "Closed",	[FSM_STOPPED] = "Stopped",
	[FSM_CLOSING] = "Closing",	[FSM_STOPPING] = "Stopping",
	[FSM_REQ_SENT] = "Req-Sent",	[FSM_ACK_RCVD] = "Ack-Rcvd",
	[FSM_ACK_SENT] = "Ack-Sent",	[FSM_OPENED] = "Opened",
};

static const char *const fsm_event_names[FSM_NEVENTS] = {
	[FSM_EV_UP] = "Up",		[FSM_EV_DOWN] = "Down",
	[FSM_EV_OPEN] = "Open",		[FSM_EV_CLOSE] = "Close",
	[FSM_EV_TO_PLUS] = "TO+",	[FSM_EV_TO_MINUS] = "TO-",
	[FSM_EV_RCR_PLUS] = "RCR+",	[FSM_EV_RCR_MINUS] = "RCR-",
	[FSM_EV_RCA] = "RCA",		[FSM_EV_RCN] = "RCN",
	[FSM_EV_RTR] = "RTR",		[FSM_EV_RTA] = "RTA",
	[FSM_EV_RUC] = "RUC",		[FSM_EV_RXJ_PLUS] = "RXJ+",
	[FSM_EV_RXJ_MINUS] = "RXJ-",	[FSM_EV_RXR] = "RXR",
};

static const char *const fsm_action_names[FSM_NACTIONS] = {
	[FSM_ACT_NONE] = "none",
	[FSM_ACT_TLU] = "tlu", [FSM_ACT_TLD] = "tld", [FSM_ACT_TLS] = "tls",
	[FSM_ACT_TLF] = "tlf", [FSM_ACT_IRC] = "irc", [FSM_ACT_ZRC] = "zrc",
	[FSM_ACT_SCR] = "scr", [FSM_ACT_SCA] = "sca", [FSM_ACT_SCN] = "scn",
	[FSM_ACT_STR] = "str", [FSM_ACT_STA] = "sta", [FSM_ACT_SCJ] = "scj",
	[FSM_ACT_SER] = "ser",
};

const char *
fsm_state_name(enum fsm_state st)
{
	return (unsigned)st < FSM_NSTATES ? fsm_state_names[st] : "?";
}

const char *
fsm_event_name(enum fsm_event ev)
{
	return (unsigned)ev < FSM_NEVENTS ? fsm_event_names[ev] : "?";
}

const char *
fsm_action_name(enum fsm_action act)
{
	return (unsigned)act < FSM_NACTIONS ? fsm_action_names[act] : "?";
}
