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
            foreach (var arch in arches.Where(a => Token(a) != LibSeccompNative.ArchNative()))
                Check(LibSeccompNative.ArchAdd(ctx, Token(arch)), $"add arch {arch}");
            if (!arches.Any(a => Token(a) == LibSeccompNative.ArchNative()))
                Check(LibSeccompNative.ArchRemove(ctx, LibSeccompNative.ArchNative()), "remove native arch");

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
            return Export(ctx);
        }
        finally
        {
            LibSeccompNative.Release(ctx);
        }
    }

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

    private static ClassicInstruction[] Export(IntPtr ctx)
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
                program[i] = ClassicInstruction.Read(bytes.AsSpan(i * ClassicInstruction.Size));
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
