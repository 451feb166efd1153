/* Example 1: check the architecture, then refuse close(999) with EPERM; allow everything else. */
#include "seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

/* Kept out of line on purpose: exercises bpf-to-bpf calls into .text. */
static __attribute__((noinline)) int is_native_arch(const struct seccomp_data *ctx)
{
	return ctx->arch == AUDIT_ARCH_X86_64;
}

SEC("seccomp")
int close_999(struct seccomp_data *ctx)
{
	if (!is_native_arch(ctx))
		return SECCOMP_RET_KILL_PROCESS;
	if (ctx->nr == __NR_close && ctx->args[0] == 999)
		return SECCOMP_RET_ERRNO | EPERM;
	return SECCOMP_RET_ALLOW;
}
