/* Benchmark filter: like example 2, with the counted call and the limit given at compile time:
 * -DCOUNTED_NR=110 (a syscall number; default getpid) -DCALL_LIMIT=N. */
#include "seccomp_filter.h"

#ifndef COUNTED_NR
#define COUNTED_NR __NR_getpid
#endif

char LICENSE[] SEC("license") = "GPL";

__u64 calls = 0;

SEC("seccomp")
int call_limit(struct seccomp_data *ctx)
{
	if (ctx->nr != COUNTED_NR)
		return SECCOMP_RET_ALLOW;
	if (calls >= CALL_LIMIT)
		return SECCOMP_RET_ERRNO | EPERM;
	__sync_fetch_and_add(&calls, 1);
	return SECCOMP_RET_ALLOW;
}
