using System.Text;
using System.Text.Json;
using SeccompEbpf.Bpf.Elf.Writer;
using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Cli.Files;
using SeccompEbpf.Model;
using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf compile</c>: an OCI/Docker seccomp profile to a classic BPF filter.</summary>
public sealed class CompileCommand : ICliCommand
{
    public string Name => "compile";
    public string Summary => "compile an OCI/Docker seccomp profile (JSON) to a seccomp filter";
    public string Help => """
        Usage:
          seccomp-ebpf compile PROFILE.json [--format raw|c|asm|pfc|json|ebpf|ebpf-object] [--output FILE]
                               [--arch ARCH ...] [--native ARCH] [--caps CAP,...] [--kernel X.Y]
                               [--bad-arch ACTION] [--strict] [-q | -v]

        Reads the profile strictly (unknown fields and wrong types are errors, with their JSON path),
        resolves Docker's archMap and includes/excludes like Docker, and compiles a classic BPF filter
        with the same meaning as libseccomp's (checked by the equivalence tests), but smaller and
        faster: a search tree over syscall-number ranges. A system call name that none of the
        profile's architectures has (a typo: "getpidd") is warned about once, with the nearest real
        name; names only some of its ABIs lack (i386's _llseek on x86_64) are expected and shown
        with --verbose. PROFILE.json may be '-' for standard input.

        Formats:
          raw    struct sock_filter bytes, ready for seccomp(2) (needs --output; -o - for standard output)
          c      a C array of struct sock_filter
          asm    bpf_asm source (seccomp-ebpf inspect and simulate read it back)
          pfc    the resolved policy as readable pseudo code (what the filter means)
          json   instructions and what was resolved (arches, unknown names, counts)
          ebpf   the same policy as an eBPF seccomp program, raw 8-byte instructions
                 (r1 = struct seccomp_data *, action in r0; needs --output)
          ebpf-object  that eBPF program as an ELF64 BPF object (section "seccomp", function
                 "seccomp_policy", license "GPL"), readable by llvm-objdump and by
                 seccomp-ebpf objdump/exec (needs --output; -o is the same)

        Options:
          --arch ARCH     filter exactly these ABIs instead of the profile's (repeatable), any
                          of libseccomp's: x86_64, x86 (i386), x32, aarch64, arm, riscv64,
                          loongarch64, m68k, mips, mipsel, mips64, mipsel64, mips64n32,
                          mipsel64n32, parisc, parisc64, ppc, ppc64, ppc64le, s390, s390x,
                          sh, sheb (or SCMP_ARCH_* / Go names: amd64, arm64, mips64le, ...)
          --native ARCH   the host arch Docker would pick the archMap entry for (default x86_64)
          --caps LIST     container capabilities, comma-separated, CAP_ optional (default: Docker's
                          default set); "none" for none, "all" for every one
          -o, --output F  write to F instead of standard output ('-': standard output)
          --strict        a warning about the profile (a name no architecture has) is an error (exit 3)
          --kernel X.Y    kernel version for minKernel (default: the running kernel)
          --bad-arch A    action for other ABIs: kill-thread (default, as libseccomp), kill-process,
                          trap, log, allow, errno:N

        Examples:
          seccomp-ebpf compile docker.json --format raw --output docker.bpf       # Docker's default profile
          seccomp-ebpf compile docker.json --format pfc | head -3                   # "if ($arch == 0xc000003e)"
        """;

    private const string EbpfObjectSection = "seccomp", EbpfObjectFunction = "seccomp_policy";

    private static readonly string[] Formats = ["raw", "c", "asm", "pfc", "json", "ebpf", "ebpf-object"];

    public CommandSyntax Syntax => new([
        CliOption.OneOf("--format", "FORMAT", Formats),
        CliOption.Value("--output", "FILE", "-o"),
        PolicyArguments.ArchOption.Many(),
        PolicyArguments.ArchOption with { Name = "--native" },
        CliOption.Value("--caps", "LIST"),
        CliOption.Value("--kernel", "X.Y"),
        CliOption.OneOf("--bad-arch", "ACTION", ["kill-thread", "kill-process", "trap", "log", "allow", "errno:1"]),
        CliOption.Flag("--strict"),
    ]);

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        var report = new CliReport(Name, stderr, cli);
        var format = cli.Option("--format", "asm");
        var output = cli.Option("--output");
        var arches = cli.Options("--arch");
        var native = cli.Option("--native", "x86_64");
        var caps = cli.Option("--caps");
        var kernel = cli.Option("--kernel");
        var badArch = cli.Option("--bad-arch", "kill-thread");
        bool strict = cli.Flag("--strict");
        if (cli.Positional.Count != 1) throw new CliUsageException("give exactly one PROFILE.json (or '-' for standard input)");
        if (!Formats.Contains(format))
            throw new CliUsageException($"unknown --format '{format}'{Bpf.NearestName.Hint(format, Formats)} ({string.Join(", ", Formats)})");
        if (format is "raw" or "ebpf" or "ebpf-object" && output is null) throw new CliUsageException($"--format {format} writes binary: give --output FILE (or -o - for standard output)");

        var target = BuildTarget(arches, native, caps, kernel, badArch);
        var path = cli.Positional[0];
        var name = CliFiles.DisplayName(path);
        var parsed = ProfileParser.Parse(System.Text.Encoding.UTF8.GetString(CliFiles.Expect(path, Name, InputKind.Json)));
        if (!parsed.Ok)
        {
            foreach (var d in parsed.Diagnostics) stderr.WriteLine($"{name}: {d}");
            return ExitCodes.BadInput;
        }
        var resolved = PolicyResolver.Resolve(parsed.Profile!, target);
        var diagnostics = parsed.Diagnostics.Concat(resolved.Diagnostics).ToList();
        foreach (var d in diagnostics)
        {
            if (d.Severity == DiagnosticSeverity.Note) report.Detail($"{name}: {d}");
            else if (d.Severity == DiagnosticSeverity.Error || strict) stderr.WriteLine($"{name}: {d}");
            else report.Note($"{name}: {d}");
        }
        if (strict && diagnostics.Any(d => d.Severity == DiagnosticSeverity.Warning))
        {
            report.Error($"{name}: warnings are errors with --strict; nothing written");
            return ExitCodes.BadInput;
        }
        if (format is "ebpf" or "ebpf-object")
        {
            var ebpf = EbpfPolicyCompiler.Compile(resolved.Plan);
            if (!ebpf.IsOk)
            {
                stderr.WriteLine($"seccomp-ebpf compile: {ebpf.Error}");
                return ExitCodes.Rejected;
            }
            Bpf.BpfResult<byte[]> bytes = format == "ebpf-object"
                ? BpfObjectWriter.Write(ebpf.Value, EbpfObjectSection, EbpfObjectFunction)
                : Bpf.Isa.InstructionCodec.EncodeProgram(ebpf.Value);
            if (!bytes.IsOk)
            {
                stderr.WriteLine($"seccomp-ebpf compile: {bytes.Error}");
                return ExitCodes.Rejected;
            }
            CliFiles.WriteBytes(output!, bytes.Value, stdout);
            report.Note(format == "ebpf"
                ? $"wrote {ebpf.Value.Length} eBPF instructions to {output}"
                : $"wrote an ELF object with {ebpf.Value.Length} eBPF instructions (section {EbpfObjectSection}, function {EbpfObjectFunction}) to {output}");
            return ExitCodes.Ok;
        }
        var compiled = ClassicPolicyCompiler.Compile(resolved.Plan);
        if (!compiled.IsOk)
        {
            stderr.WriteLine($"seccomp-ebpf compile: {compiled.Error}");
            return ExitCodes.Rejected;
        }
        var program = compiled.Value;

        if (format == "raw")
        {
            CliFiles.WriteBytes(output!, ClassicInstruction.ToBytes(program), stdout);
            report.Note($"wrote {program.Length} instructions ({program.Length * ClassicInstruction.Size} bytes) to {output}");
            return ExitCodes.Ok;
        }
        var text = format switch
        {
            "c" => ToC(program),
            "asm" => ClassicDisassembler.ToSource(program),
            "pfc" => PolicyListing.ToText(resolved.Plan),
            _ => ToJson(program, resolved),
        };
        CliFiles.WriteText(output, text, stdout);
        return ExitCodes.Ok;
    }

    private static ProfileTarget BuildTarget(IReadOnlyList<string> arches, string native, string? caps, string? kernel, string badArch)
    {
        var forced = new List<SyscallArch>();
        foreach (var name in arches.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries)))
            forced.Add(PolicyArguments.ParseArch(name));
        if (!SyscallArchInfo.TryParse(native, out var nativeArch)) throw new CliUsageException($"unknown --native '{native}' ({SyscallArchInfo.ShortNames})");
        KernelVersion? version = null;
        var kernelText = kernel ?? RunningKernel();
        if (kernelText is not null)
            version = KernelVersion.TryParse(kernelText, out var v) ? v : throw new CliUsageException($"--kernel '{kernelText}' is not like 5.10");
        return new ProfileTarget
        {
            NativeArch = nativeArch,
            ArchesOverride = forced.Count > 0 ? forced : null,
            Capabilities = ParseCaps(caps),
            Kernel = version,
            BadArchAction = ParseAction(badArch),
        };
    }

    /// <summary>--caps: each name must be a Linux capability, so a typo cannot silently drop a rule's includes.caps.</summary>
    private static IReadOnlyList<string> ParseCaps(string? caps)
    {
        if (caps is null) return ProfileTarget.DockerDefaultCapabilities;
        if (caps.Trim() is "none" or "") return [];
        if (caps.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)) return LinuxCapabilities.All;
        return caps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => LinuxCapabilities.Find(c) ?? throw new CliUsageException(
                $"--caps: '{c}' is not a Linux capability{Bpf.NearestName.Hint(ProfileTarget.NormalizeCap(c), LinuxCapabilities.All)} (CAP_ optional, any case: sys_admin, CAP_NET_RAW; or none, all)"))
            .ToList();
    }

    private static string? RunningKernel()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static SeccompAction ParseAction(string text) => text switch
    {
        "kill-thread" or "kill" => new(SeccompAction.KillThread),
        "kill-process" => new(SeccompAction.KillProcess),
        "trap" => new(SeccompAction.Trap),
        "log" => new(SeccompAction.Log),
        "allow" => new(SeccompAction.Allow),
        _ when text.StartsWith("errno:") && ushort.TryParse(text[6..], out var e) => SeccompAction.ErrnoAction(e),
        _ => throw new CliUsageException($"unknown --bad-arch '{text}' (kill-thread, kill-process, trap, log, allow, errno:N)"),
    };

    private static string ToC(ClassicInstruction[] program)
    {
        var text = new StringBuilder();
        text.Append("/* generated by seccomp-ebpf compile */\n#include <linux/filter.h>\n\n");
        text.Append($"static struct sock_filter filter[{program.Length}] = {{\n");
        foreach (var i in program) text.Append($"\t{{ 0x{i.Code:x2}, {i.Jt}, {i.Jf}, 0x{i.K:x8} }},\n");
        text.Append("};\n\nstatic struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };\n");
        return text.ToString();
    }

    private static string ToJson(ClassicInstruction[] program, ResolveResult resolved)
    {
        var doc = new
        {
            instructions = program.Select(i => new { code = i.Code, jt = i.Jt, jf = i.Jf, k = i.K }),
            count = program.Length,
            arches = resolved.Plan.Groups.SelectMany(g => g.Arches).Select(a => a.ShortName()),
            badArchAction = resolved.Plan.BadArchAction.ToString(),
            unknownNames = resolved.UnknownNames.ToDictionary(kv => kv.Key.ShortName(), kv => kv.Value),
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
