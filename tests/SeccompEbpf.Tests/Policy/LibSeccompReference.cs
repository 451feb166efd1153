using System.Buffers.Binary;
using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Policy;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Policy;

/// <summary>
/// Compiles a profile the way runc does, through libseccomp: names resolved on the native arch,
/// rules whose action equals the default skipped, repeated argument indices split into separate
/// rules, everything else left to libseccomp (arch translation, x32, socketcall/ipc).
/// Docker's includes/excludes and arch selection come from <see cref="PolicyResolver"/> (they are
/// Docker's, not libseccomp's, meaning).
/// </summary>
internal static class LibSeccompReference
{
    public enum Tree { Linear = 1, Binary = 2 }

    public static ClassicInstruction[] Compile(SeccompProfile profile, ProfileTarget target, Tree tree = Tree.Linear)
    {
        var defaultAction = profile.DefaultAction.ToSeccompAction(profile.DefaultErrnoRet);
        var ctx = LibSeccompNative.Init(defaultAction.Value);
        if (ctx == IntPtr.Zero) throw new InvalidOperationException("seccomp_init failed");
        try
        {
            Check(LibSeccompNative.AttrSet(ctx, LibSeccompNative.AttrActBadArch, target.BadArchAction.Value), "set bad-arch action");
            if (tree == Tree.Binary)
                Check(LibSeccompNative.AttrSet(ctx, LibSeccompNative.AttrCtlOptimize, 2), "set binary-tree optimisation");
            var arches = PolicyResolver.SelectArches(profile, target, []);
            // Native first out: libseccomp refuses (-EDOM) a filter that mixes byte orders.
            if (!arches.Any(a => Token(a) == LibSeccompNative.ArchNative()))
                Check(LibSeccompNative.ArchRemove(ctx, LibSeccompNative.ArchNative()), "remove native arch");
            foreach (var arch in arches.Where(a => Token(a) != LibSeccompNative.ArchNative()))
                Check(LibSeccompNative.ArchAdd(ctx, Token(arch)), $"add arch {arch}");

            foreach (var rule in profile.Syscalls.Where(r => PolicyResolver.Applies(r, target)))
            {
                var action = rule.Action.ToSeccompAction(rule.ErrnoRet);
                if (action == defaultAction) continue;
                var conditions = rule.Args.Select(ToCmp).ToArray();
                var ruleSets = rule.Args.GroupBy(a => a.Index).Any(g => g.Count() > 1)
                    ? conditions.Select(c => new[] { c }).ToArray()
                    : [conditions];
                foreach (var name in rule.Names)
                {
                    int nr = LibSeccompNative.SyscallResolveName(name);
                    if (nr == -1) continue; // __NR_SCMP_ERROR: unknown everywhere; runc skips it
                    foreach (var set in ruleSets)
                        Check(LibSeccompNative.RuleAddArray(ctx, action.Value, nr, (uint)set.Length, set), $"add rule {name} ({rule.Path}: {rule.Action} {string.Join(", ", rule.Args)}) for arches {string.Join(",", arches)}");
                }
            }
            var program = Export(ctx, bigEndian: arches.Any(a => a.Facts().BigEndian));
            var actions = profile.Syscalls.Select(r => r.Action.ToSeccompAction(r.ErrnoRet).Value)
                .Append(defaultAction.Value).Append(target.BadArchAction.Value).ToHashSet();
            return RepairSwappedReturns(program, actions);
        }
        finally
        {
            LibSeccompNative.Release(ctx);
        }
    }

    /// <summary>
    /// libseccomp (2.5.4 and 2.6.1, gen_bpf.c _gen_bpf_build_jmp_ret) copies a far return by
    /// passing its already converted k to _gen_bpf_action, which converts it again: exported on a
    /// little-endian host, a big-endian filter returns the action byte-swapped there (e.g.
    /// 0x0000ff7f for ALLOW). On a big-endian host the conversion does nothing, so this is an
    /// artefact of building the reference here: a return that is no action of the profile but
    /// whose byte swap is one gets the swap undone.
    /// </summary>
    private static ClassicInstruction[] RepairSwappedReturns(ClassicInstruction[] program, IReadOnlySet<uint> actions) =>
        program.Select(ins => ins.Code == ClassicOpcodes.RetK && !actions.Contains(ins.K) && actions.Contains(BinaryPrimitives.ReverseEndianness(ins.K))
            ? ins with { K = BinaryPrimitives.ReverseEndianness(ins.K) }
            : ins).ToArray();

    private static uint Token(SyscallArch arch) => LibSeccompNative.ArchResolveName(arch.ShortName());

    private static LibSeccompNative.ArgCmp ToCmp(ArgCondition c) => new()
    {
        Arg = (uint)c.Index,
        Op = c.Op switch
        {
            ComparisonOperator.NotEqual => 1,
            ComparisonOperator.LessThan => 2,
            ComparisonOperator.LessOrEqual => 3,
            ComparisonOperator.Equal => 4,
            ComparisonOperator.GreaterOrEqual => 5,
            ComparisonOperator.GreaterThan => 6,
            _ => 7,
        },
        DatumA = c.Value,
        DatumB = c.ValueTwo,
    };

    /// <summary>libseccomp writes the filter in its ABIs' byte order (ready to load there).</summary>
    private static ClassicInstruction[] Export(IntPtr ctx, bool bigEndian)
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var stream = new FileStream(path, FileMode.Truncate, FileAccess.ReadWrite))
            {
                int fd = (int)stream.SafeFileHandle.DangerousGetHandle();
                Check(LibSeccompNative.ExportBpf(ctx, fd), "export bpf");
            }
            var bytes = File.ReadAllBytes(path);
            var program = new ClassicInstruction[bytes.Length / ClassicInstruction.Size];
            for (int i = 0; i < program.Length; i++)
            {
                var ins = ClassicInstruction.Read(bytes.AsSpan(i * ClassicInstruction.Size));
                program[i] = bigEndian
                    ? ins with { Code = BinaryPrimitives.ReverseEndianness(ins.Code), K = BinaryPrimitives.ReverseEndianness(ins.K) }
                    : ins;
            }
            return program;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc < 0) throw new InvalidOperationException($"libseccomp: {what} failed with {rc}");
    }
}
