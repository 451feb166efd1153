/* Test object: a BTF map definition with a field libbpf does not know. */
#include "../../../../examples/filters/seccomp_filter.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
	__uint(colour, 3);
} odd_map SEC(".maps");

SEC("seccomp")
int uses_odd_map(struct seccomp_data *ctx)
{
	__u32 key = 0;
	return bpf_map_lookup_elem(&odd_map, &key) ? SECCOMP_RET_ALLOW : SECCOMP_RET_KILL_PROCESS;
}
