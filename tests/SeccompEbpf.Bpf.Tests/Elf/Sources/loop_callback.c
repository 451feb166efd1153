/* Test object: a bpf_loop callback, i.e. an lddw of a .text function's address. */
#include "../../../../examples/filters/seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

static long (*bpf_loop)(__u32 nr_loops, void *callback_fn, void *callback_ctx, __u64 flags) = (void *)181;

static int add_arg(__u32 index, void *data)
{
	__u64 *sum = data;
	*sum += index;
	return 0;
}

SEC("seccomp")
int sum_loop(struct seccomp_data *ctx)
{
	__u64 sum = 0;
	bpf_loop((__u32)ctx->args[0], add_arg, &sum, 0);
	return sum == 6 ? SECCOMP_RET_ALLOW : SECCOMP_RET_ERRNO | EPERM;
}
