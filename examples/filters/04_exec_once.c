/* Example 4: each process may call execve/execveat once; later attempts fail with EPERM.
 * The per-process flag lives in task storage; a NULL task means "this process". */
#include "seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

struct exec_state {
	__u32 execs;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct exec_state);
} exec_state_map SEC(".maps");

SEC("seccomp")
int exec_once(struct seccomp_data *ctx)
{
	struct exec_state *state;

	if (ctx->nr != __NR_execve && ctx->nr != __NR_execveat)
		return SECCOMP_RET_ALLOW;
	state = bpf_task_storage_get(&exec_state_map, 0, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!state)
		return SECCOMP_RET_ERRNO | EPERM;
	if (state->execs > 0)
		return SECCOMP_RET_ERRNO | EPERM;
	state->execs = 1;
	return SECCOMP_RET_ALLOW;
}
