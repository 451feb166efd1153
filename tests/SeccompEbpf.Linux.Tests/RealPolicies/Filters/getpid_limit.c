/* Test filter: like example 2, with the limit given at compile time (-DGETPID_LIMIT=N). */
#include "seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

__u64 getpid_calls = 0;

SEC("seccomp")
int getpid_limit(struct seccomp_data *ctx)
{
	if (ctx->nr != __NR_getpid)
		return SECCOMP_RET_ALLOW;
	if (getpid_calls >= GETPID_LIMIT)
		return SECCOMP_RET_ERRNO | EPERM;
	__sync_fetch_and_add(&getpid_calls, 1);
	return SECCOMP_RET_ALLOW;
}
