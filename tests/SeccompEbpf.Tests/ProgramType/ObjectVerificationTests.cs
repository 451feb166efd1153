using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Tests.Elf;
using SeccompEbpf.Bpf.Verifier;
using SeccompEbpf.ProgramType;

namespace SeccompEbpf.Tests.ProgramType;

/// <summary>
/// Clang-built objects verified as seccomp programs: the example filters are accepted at every
/// -mcpu level, and broken C variants are rejected with the rule and the C source line.
/// </summary>
public sealed class ObjectVerificationTests
{
    public static TheoryData<string, string> ExamplesByCpu()
    {
        var data = new TheoryData<string, string>();
        foreach (var example in new[] { "01_close_999", "02_getpid_counter", "03_policy_map", "04_exec_once", "05_openat_paths" })
            foreach (var cpu in new[] { "v1", "v2", "v3", "v4" })
                data.Add(example, cpu);
        return data;
    }

    private static (ObjectProgram Program, Dictionary<int, MapSpec> Maps) LoadSingle(string objectPath)
    {
        var loaded = BpfObjectLoader.LoadFile(objectPath);
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        var program = Assert.Single(loaded.Value.Programs, p => p.Kind == ProgramSectionKind.Seccomp);
        return (program, loaded.Value.Maps.Select((m, i) => (m, i)).ToDictionary(x => x.i, x => x.m));
    }

    // The examples use only the base and seccomp helpers and maps, which every loader that the
    // LSM does not refuse gets; the LSM refusal mode takes helpers and maps away.
    [Theory]
    [MemberData(nameof(ExamplesByCpu))]
    public void Every_example_filter_is_accepted_for_every_loader_with_helpers(string example, string cpu)
    {
        var (program, maps) = LoadSingle(ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(example), cpu: cpu));
        foreach (var who in new[] { LoaderPrivileges.Unprivileged, LoaderPrivileges.Ptrace, LoaderPrivileges.Tracing, LoaderPrivileges.Privileged })
        {
            var load = SeccompProgramLoader.Load(program.Instructions, who, maps);
            Assert.True(load.Verification?.Accepted == true, $"{example} -mcpu={cpu} as {who}: {load.Verification?.Error?.ToString() ?? load.RefusedBecause}");
        }
        bool usesExtended = program.Instructions.Any(i => i.IsHelperCall || (i.IsLoadImm64 && i.Src != LoadImmSource.Imm64));
        var underLsm = SeccompProgramLoader.Load(program.Instructions, LoaderPrivileges.LsmRefused, maps);
        Assert.True(underLsm.Verification?.Accepted == !usesExtended,
            $"{example}: under the LSM refusal mode a program is accepted exactly when it calls no helper and uses no map (uses them: {usesExtended})");
    }

    public static TheoryData<string, string, string, string> BrokenFilters() => new()
    {
        { "writes_ctx", VerifierRule.ContextAccess, "ctx->nr = 0;", """
            SEC("seccomp") int writes_ctx(struct seccomp_data *ctx)
            {
            	ctx->nr = 0;
            	return SECCOMP_RET_ALLOW;
            }
            """ },
        { "reads_ctx_past_end", VerifierRule.ContextAccess, "return ((__u32 *)ctx)[40];", """
            SEC("seccomp") int reads_ctx_past_end(struct seccomp_data *ctx)
            {
            	return ((__u32 *)ctx)[40];
            }
            """ },
        { "no_null_check", VerifierRule.NullPointer, "return *action;", """
            struct {
            	__uint(type, BPF_MAP_TYPE_ARRAY);
            	__uint(max_entries, 512);
            	__type(key, __u32);
            	__type(value, __u32);
            } policy SEC(".maps");

            SEC("seccomp") int no_null_check(struct seccomp_data *ctx)
            {
            	__u32 nr = (__u32)ctx->nr;
            	__u32 *action = bpf_map_lookup_elem(&policy, &nr);
            	return *action;
            }
            """ },
    };

    [Theory]
    [MemberData(nameof(BrokenFilters))]
    public void Broken_C_filters_are_rejected_with_the_rule_and_the_source_line(string name, string rule, string line, string body)
    {
        var dir = Directory.CreateTempSubdirectory("seccomp-ebpf-broken-");
        try
        {
            var source = Path.Combine(dir.FullName, name + ".c");
            File.WriteAllText(source, "#include \"seccomp_filter.h\"\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n" + body + "\n");
            var (program, maps) = LoadSingle(ClangCompiler.CompileOrSkip(source, extraFlags: $"-I {ClangCompiler.ExamplesDirectory}"));
            var load = SeccompProgramLoader.Load(program.Instructions, LoaderPrivileges.Privileged, maps);
            var error = load.Verification?.Error;
            Assert.True(error is not null, $"{name}: expected a rejection ({rule}), got {load.RefusedBecause ?? "acceptance"}");
            Assert.Equal(rule, error.Rule);
            var at = program.LineAt(error.InstructionIndex);
            Assert.True(at is not null, $"{name}: no BTF line info at instruction {error.InstructionIndex}");
            Assert.EndsWith(name + ".c", at.FileName);
            Assert.Contains(line, at.SourceLine);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
