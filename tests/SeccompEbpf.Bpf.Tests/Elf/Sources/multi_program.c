/* Test object: several programs per section, other program types, legacy and BTF maps, named
 * data sections, static data reached through section symbols, and nested .text sub-programs. */
#include "../../../../examples/filters/seccomp_filter.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
__u32 VERSION SEC("version") = 0x00060100;

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_counts = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = 4,
	.value_size = 8,
	.max_entries = 16,
};
struct bpf_map_def SEC("maps") legacy_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = 8,
	.value_size = 4,
	.max_entries = 32,
	.map_flags = BPF_F_NO_PREALLOC,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, 4);
	__uint(value_size, 16);
	__uint(max_entries, 8);
} sized_hash SEC(".maps");

__u64 custom_a SEC(".data.custom") = 7;
__u64 custom_b SEC(".data.custom") = 9;
static __u64 hidden_one = 11;
static __u64 hidden_two = 13;
volatile __u32 zeroed[4];

static const char table[] = "abcdefgh";

static __attribute__((noinline)) __u64 leaf(__u64 x)
{
	hidden_two += x;
	return x * 3 + hidden_two + table[x & 7];
}

__attribute__((noinline)) __u64 middle(__u64 x)
{
	hidden_one++;
	return leaf(x) + hidden_one + custom_b;
}

SEC("seccomp")
int first(struct seccomp_data *ctx)
{
	__u32 key = 1;
	__u64 *v = bpf_map_lookup_elem(&legacy_counts, &key);
	if (v)
		*v += 1;
	return middle(ctx->nr) == 5 ? SECCOMP_RET_ALLOW : SECCOMP_RET_ERRNO | EPERM;
}

SEC("seccomp")
int second(struct seccomp_data *ctx)
{
	__u64 key = ctx->args[0];
	zeroed[2] = 1;
	if (bpf_map_lookup_elem(&legacy_hash, &key) || bpf_map_lookup_elem(&sized_hash, &key))
		return SECCOMP_RET_LOG;
	return leaf(custom_a) ? SECCOMP_RET_ALLOW : SECCOMP_RET_TRAP;
}

SEC("seccomp-sleepable")
int sleepy(struct seccomp_data *ctx)
{
	return SECCOMP_RET_ALLOW;
}

SEC("socket")
int sock(void *skb)
{
	return 0;
}

SEC("xdp")
int xdp_pass(void *xdp)
{
	return 2;
}

SEC("kprobe/do_sys_open")
int probe(void *regs)
{
	return (int)middle(1);
}
