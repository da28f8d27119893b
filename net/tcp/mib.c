/* mib.c - TCP's counters (net/tcp/stats.h) and drop reasons under Linux's
 * nstat names (RFC 4022 TCP-MIB "Tcp*", Linux's "TcpExt*"; registry in
 * net/core/mib.h). Linux's TCPTimeouts counts RTO expirations and
 * TCPAbortOnTimeout the connections given up; ListenDrops includes
 * ListenOverflows. */
#include "net/core/mib.h"
#include "net/tcp/stats.h"

NET_MIB_TABLE(tcp_mibs) = {
	NET_MIB("TcpActiveOpens", &tcp_counters[TCP_ACTIVE_OPENS]),
	NET_MIB("TcpPassiveOpens", &tcp_counters[TCP_PASSIVE_OPENS]),
	NET_MIB("TcpAttemptFails", &tcp_counters[TCP_ATTEMPT_FAILS]),
	NET_MIB("TcpEstabResets", &tcp_counters[TCP_ESTABLISHED_RESETS]),
	NET_MIB("TcpInSegs", &tcp_counters[TCP_IN_SEGMENTS]),
	NET_MIB("TcpOutSegs", &tcp_counters[TCP_OUT_SEGMENTS]),
	NET_MIB("TcpRetransSegs", &tcp_counters[TCP_RETRANSMITTED_SEGMENTS]),
	NET_MIB("TcpInErrs", &tcp_counters[TCP_IN_ERRORS]),
	NET_MIB("TcpOutRsts", &tcp_counters[TCP_OUT_RESETS]),
	NET_MIB_DROPS("TcpInCsumErrors", TCP_DROP_BAD_CHECKSUM),
	NET_MIB("TcpExtSyncookiesSent", &tcp_counters[TCP_SYNCOOKIES_SENT]),
	NET_MIB("TcpExtSyncookiesRecv", &tcp_counters[TCP_SYNCOOKIES_RECEIVED]),
	NET_MIB("TcpExtSyncookiesFailed", &tcp_counters[TCP_SYNCOOKIES_FAILED]),
	NET_MIB("TcpExtDelayedACKs", &tcp_counters[TCP_DELAYED_ACKS]),
	NET_MIB_DROPS("TcpExtPAWSEstab", TCP_DROP_PAWS),
	NET_MIB_DROPS("TcpExtListenOverflows", TCP_DROP_LISTEN_OVERFLOW),
	NET_MIB_DROPS("TcpExtListenDrops", TCP_DROP_LISTEN_OVERFLOW, TCP_DROP_SYN_QUEUE_FULL, TCP_DROP_TABLE_FULL),
	NET_MIB("TcpExtTCPSackRecovery", &tcp_counters[TCP_SACK_RECOVERIES]),
	NET_MIB("TcpExtTCPRenoRecovery", &tcp_counters[TCP_NEWRENO_RECOVERIES]),
	NET_MIB("TcpExtTCPFastRetrans", &tcp_counters[TCP_FAST_RETRANSMITS]),
	NET_MIB("TcpExtTCPTimeouts", &tcp_counters[TCP_RTO_EXPIRATIONS]),
	NET_MIB("TcpExtTCPAbortOnTimeout", &tcp_counters[TCP_TIMEOUTS]),
	NET_MIB("TcpExtTCPChallengeACK", &tcp_counters[TCP_CHALLENGE_ACKS]),
	NET_MIB("TcpExtTCPOFOQueue", &tcp_counters[TCP_OUT_OF_ORDER_SEGMENTS]),
	NET_MIB("TcpExtTCPKeepAlive", &tcp_counters[TCP_KEEPALIVE_PROBES]),
	NET_MIB("TcpExtTCPTimeWaitOverflow", &tcp_counters[TCP_TIME_WAIT_OVERFLOW]),
	NET_MIB_DROPS("TcpExtTCPOFODrop", TCP_DROP_REASSEMBLY_FULL),
};
