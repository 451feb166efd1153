/* Test object: an extern (kconfig) variable, which only a kernel-aware loader can resolve. */
#include "../../../../examples/filters/seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

extern unsigned int LINUX_KERNEL_VERSION __attribute__((section(".kconfig"), weak));

SEC("seccomp")
int uses_kconfig(struct seccomp_data *ctx)
{
	return LINUX_KERNEL_VERSION > 5 ? SECCOMP_RET_ALLOW : SECCOMP_RET_KILL_PROCESS;
}
