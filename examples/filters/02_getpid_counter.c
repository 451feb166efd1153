/* Example 2: allow the first `max_getpid` getpid calls, then fail them with EPERM.
 * `max_getpid` lives in .rodata (set before loading); the counter lives in .bss. */
#include "seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u64 max_getpid = 3;
__u64 getpid_calls = 0;

SEC("seccomp")
int getpid_counter(struct seccomp_data *ctx)
{
	if (ctx->nr != __NR_getpid)
		return SECCOMP_RET_ALLOW;
	if (getpid_calls >= max_getpid)
		return SECCOMP_RET_ERRNO | EPERM;
	__sync_fetch_and_add(&getpid_calls, 1);
	return SECCOMP_RET_ALLOW;
}
