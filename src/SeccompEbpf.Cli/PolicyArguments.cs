using SeccompEbpf.Cli.Files;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Cli;

/// <summary>The policy options run, plan and simulate share: declared, read, and documented in one place.</summary>
public static class PolicyArguments
{
    /// <summary>The options' help lines, for each command's option list.</summary>
    public const string Help = """
          --filter FILE.o[:SECTION]  eBPF seccomp program from an object file (clang -O2 -g -target bpf);
                                     SECTION (or a program name) picks one of several; a file that is
                                     not ELF is read as a classic filter
          --profile FILE.json        OCI / Docker seccomp profile, resolved as Docker does on this machine
                                     (its archMap: on x86_64 also x86 and x32 calls)
          --cbpf FILE                classic seccomp filter (bpf_asm text, tcpdump -dd/-ddd, raw bytes)
          --default                  the built-in default policy as one filter of the stack, where given
          --map-key MAP=TEXT         once loaded, store TEXT (NUL-padded) as a key of the filters' map MAP
                                     with value 1 (e.g. the paths example 5 allows)
          --strict                   a profile naming a system call that none of its architectures has
                                     is an error (by default: a warning, and the name is ignored)
          (none)                     the built-in default policy: ordinary programs work; kexec_load,
                                     init_module, bpf, ptrace, mount, unshare... fail with EPERM
        What replaces what: with none of --filter, --profile, --cbpf, --default, the built-in default
        policy applies; any of them replaces it, so --filter F.o alone is F.o's policy only. To keep
        the default and add F.o, give both: --default --filter F.o. Each of these four adds one filter,
        in the order given: the first is the oldest; the last runs first and, as in the kernel, the
        most restrictive verdict wins (a tie keeps the newer filter's value). All but --default are
        repeatable; FILE may be '-' for standard input.
        """;

    /// <summary>The help line of --as (plan and simulate; run loads as what it is).</summary>
    public static string LoaderHelp => $"""
          --as WHO                   who loads the eBPF filters (default: as run, privileged as root,
                                     else unprivileged): {string.Join(", ", LoaderPrivileges.Presets.Keys)}
        """;

    /// <summary>The options <see cref="Read"/> reads.</summary>
    public static readonly IReadOnlyList<CliOption> Options =
    [
        CliOption.Value("--filter", "FILE.o[:SECTION]").Many(),
        CliOption.Value("--profile", "FILE.json").Many(),
        CliOption.Value("--cbpf", "FILE").Many(),
        CliOption.Flag("--default"),
        CliOption.Value("--map-key", "MAP=TEXT").Many(),
        CliOption.Flag("--strict"),
    ];

    /// <summary>--as WHO, read by <see cref="ReadLoader"/>.</summary>
    public static readonly CliOption Loader = CliOption.OneOf("--as", "WHO", LoaderPrivileges.Presets.Keys);

    /// <summary>"x86_64, x32, x86": the ABIs this machine runs, for help texts.</summary>
    public static string NativeAbiNames => NativeArch.Known is { } native
        ? string.Join(", ", NativeArch.AbisOf(native).Select(a => a.ShortName()))
        : "none known for this processor";

    /// <summary>--arch ARCH, completed with every ABI's name.</summary>
    public static CliOption ArchOption => CliOption.OneOf("--arch", "ARCH", SyscallArchInfo.All.Select(a => a.ShortName()));

    private static readonly string[] StackOptions = ["--filter", "--profile", "--cbpf", "--default"];

    /// <summary>The policy the options name, stacked in command-line order; a source's warnings go to <paramref name="report"/>.</summary>
    public static PolicyOptions Read(CliArgs cli, CliReport report)
    {
        var given = cli.InOrder(StackOptions);
        if (given.Count(o => o.Name == "--default") > 1) throw new CliUsageException("--default given twice: the default policy is one filter");
        var sources = given.Select(o => o.Name == "--default" ? DefaultPolicySource.Instance : Source(o.Name, o.Value)).ToList();
        // --default alone is the policy of no option at all (and run's precompiled filter).
        if (sources is [DefaultPolicySource]) sources.Clear();
        var seeds = cli.Options("--map-key").Select(s => MapSeed.Parse(s) ?? throw new CliUsageException($"--map-key takes MAP=TEXT, got '{s}'")).ToList();
        return new PolicyOptions { Sources = sources, MapSeeds = seeds, Strict = cli.Flag("--strict"), Warn = report.Warning };
    }

    // The file is read here, through the one file layer: '-', "is a directory", empty, and the wrong
    // kind of file refused with the option that takes it.
    private static IPolicySource Source(string option, string value)
    {
        var spec = option == "--filter" ? ObjectProgramSpec.Parse(value) : new ObjectProgramSpec(value, null);
        var bytes = CliFiles.ReadBytes(spec.Path);
        var name = CliFiles.DisplayName(spec.Path);
        var kind = InputKinds.Of(bytes);
        string? rightOption = (option, kind) switch
        {
            ("--profile", InputKind.Elf) or ("--cbpf", InputKind.Elf) => "--filter",
            ("--filter", InputKind.Json) or ("--cbpf", InputKind.Json) => "--profile",
            ("--profile", InputKind.Binary) => "--cbpf",
            _ => null,
        };
        if (rightOption is not null)
            throw new CliInputException($"{option} {value}: {name} is {InputKinds.Describe(kind)}: give it with {rightOption} {value}");
        switch (option)
        {
            case "--profile": return ProfileSource.FromJson(name, System.Text.Encoding.UTF8.GetString(bytes));
            case "--cbpf": return ClassicFilterSource.FromBytes(name, bytes);
            default:
                var source = FilterFileSource.FromBytes(spec with { Path = name }, bytes);
                return source.IsOk ? source.Value : throw new CliInputException($"--filter {value}: {source.Error}");
        }
    }

    /// <summary>--as WHO, or <paramref name="absent"/> (this process when not given).</summary>
    public static LoaderPrivileges ReadLoader(CliArgs cli, LoaderPrivileges? absent = null)
    {
        if (cli.Option("--as") is not { } who) return absent ?? LoaderPrivileges.OfThisProcess();
        return LoaderPrivileges.Presets.TryGetValue(who, out var privileges) ? privileges
            : throw new CliUsageException($"--as must be one of {string.Join(", ", LoaderPrivileges.Presets.Keys)}, not '{who}'{Bpf.NearestName.Hint(who, LoaderPrivileges.Presets.Keys)}");
    }

    /// <summary>An ABI by any name profiles and users write.</summary>
    public static SyscallArch ParseArch(string name) => SyscallArchInfo.TryParse(name, out var arch) ? arch
        : throw new CliUsageException($"unknown --arch '{name}'{Bpf.NearestName.Hint(name, SyscallArchInfo.All.Select(a => a.ShortName()))} ({SyscallArchInfo.ShortNames})");
}
