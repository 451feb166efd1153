using SeccompEbpf.Policy.Sources;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Cli;

/// <summary>The policy options run, plan and simulate share: read, and documented, in one place.</summary>
public static class PolicyArguments
{
    /// <summary>The options' help lines, for each command's option list.</summary>
    public const string Help = """
          --filter FILE.o[:SECTION]  eBPF seccomp program from an object file (clang -O2 -g -target bpf);
                                     SECTION (or a program name) picks one of several; a file that is
                                     not ELF is read as a classic filter
          --profile FILE.json        OCI / Docker seccomp profile, resolved as Docker does on this machine
          --cbpf FILE                classic seccomp filter (bpf_asm text, tcpdump -dd/-ddd, raw bytes)
          --map-key MAP=TEXT         once loaded, store TEXT (NUL-padded) as a key of the filters' map MAP
                                     with value 1 (e.g. the paths example 5 allows)
          (none)                     the built-in default policy: ordinary programs work; kexec_load,
                                     init_module, bpf, ptrace, mount, unshare... fail with EPERM
        Each option but --map-key adds one filter, in the order given: the first is the oldest; the
        last runs first and, as in the kernel, the most restrictive verdict wins (a tie keeps the
        newer filter's value). All are repeatable.
        """;

    /// <summary>The help line of --as (plan and simulate; run loads as what it is).</summary>
    public static string LoaderHelp => $"""
          --as WHO                   who loads the eBPF filters (default: as run, privileged as root,
                                     else unprivileged): {string.Join(", ", LoaderPrivileges.Presets.Keys)}
        """;

    /// <summary>"x86_64, x32, x86": the ABIs this machine runs, for help texts.</summary>
    public static string NativeAbiNames => NativeArch.Known is { } native
        ? string.Join(", ", NativeArch.AbisOf(native).Select(a => a.ShortName()))
        : "none known for this processor";

    private static readonly string[] FilterOptions = ["--filter", "--profile", "--cbpf"];

    /// <summary>The policy the options name, stacked in command-line order.</summary>
    public static PolicyOptions Read(CliArgs cli)
    {
        var sources = cli.InOrder(FilterOptions).Select(o => o.Name switch
        {
            "--profile" => ProfileSource.FromFile(o.Value),
            "--cbpf" => new ClassicFilterSource(o.Value),
            _ => FilterFileSource.For(o.Value),
        }).ToList();
        var seeds = cli.Options("--map-key").Select(s => MapSeed.Parse(s) ?? throw new CliUsageException($"--map-key takes MAP=TEXT, got '{s}'")).ToList();
        return new PolicyOptions { Sources = sources, MapSeeds = seeds };
    }

    /// <summary>--as WHO, or <paramref name="absent"/> (this process when not given).</summary>
    public static LoaderPrivileges ReadLoader(CliArgs cli, LoaderPrivileges? absent = null)
    {
        if (cli.Option("--as") is not { } who) return absent ?? LoaderPrivileges.OfThisProcess();
        return LoaderPrivileges.Presets.TryGetValue(who, out var privileges) ? privileges
            : throw new CliUsageException($"--as must be one of {string.Join(", ", LoaderPrivileges.Presets.Keys)}, not '{who}'");
    }

    /// <summary>An ABI by any name profiles and users write.</summary>
    public static SyscallArch ParseArch(string name) => SyscallArchInfo.TryParse(name, out var arch) ? arch
        : throw new CliUsageException($"unknown --arch '{name}' ({string.Join(", ", SyscallArchInfo.All.Select(a => a.ShortName()))})");
}
