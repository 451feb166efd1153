/* Test object: a CO-RE field access, which needs the running kernel's BTF to resolve. */
#include "../../../../examples/filters/seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

SEC("seccomp")
int uses_core(struct seccomp_data *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	return __builtin_preserve_field_info(task->tgid, 0) == 4 ? SECCOMP_RET_ALLOW : SECCOMP_RET_KILL_PROCESS;
}
