using System.Text;
using System.Text.Json;
using SeccompEbpf.Bpf.Elf.Writer;
using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
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
                               [--bad-arch ACTION]

        Reads the profile strictly (unknown fields, wrong types and unknown names are reported with
        their JSON path), resolves Docker's archMap and includes/excludes like Docker, and compiles
        a classic BPF filter with the same meaning as libseccomp's (checked by the equivalence
        tests), but smaller and faster: a search tree over syscall-number ranges.

        Formats:
          raw    struct sock_filter bytes, ready for seccomp(2) (needs --output)
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
          --caps LIST     container capabilities (default: Docker's default set); "none" for none
          --kernel X.Y    kernel version for minKernel (default: the running kernel)
          --bad-arch A    action for other ABIs: kill-thread (default, as libseccomp), kill-process,
                          trap, log, allow, errno:N

        Examples:
          seccomp-ebpf compile docker.json --format raw --output docker.bpf       # Docker's default profile
          seccomp-ebpf compile docker.json --format pfc | head -3                   # "if ($arch == 0xc000003e)"
        """;

    private const string EbpfObjectSection = "seccomp", EbpfObjectFunction = "seccomp_policy";

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // "-o FILE" is accepted as the usual short form of --output (CliArgs knows long options only).
        var cli = new CliArgs(args.Select(a => a == "-o" ? "--output" : a).ToArray());
        var format = cli.Option("--format", "asm");
        var output = cli.Option("--output");
        var arches = cli.Options("--arch");
        var native = cli.Option("--native", "x86_64");
        var caps = cli.Option("--caps");
        var kernel = cli.Option("--kernel");
        var badArch = cli.Option("--bad-arch", "kill-thread");
        cli.RejectUnknown();
        if (cli.Positional.Count != 1) throw new CliUsageException("give exactly one PROFILE.json");
        if (format is not ("raw" or "c" or "asm" or "pfc" or "json" or "ebpf" or "ebpf-object"))
            throw new CliUsageException($"unknown --format '{format}' (raw, c, asm, pfc, json, ebpf, ebpf-object)");
        if (format is "raw" or "ebpf" or "ebpf-object" && output is null) throw new CliUsageException($"--format {format} writes binary: give --output FILE");

        var target = BuildTarget(arches, native, caps, kernel, badArch);
        var parsed = ProfileParser.ParseFile(cli.Positional[0]);
        foreach (var d in parsed.Diagnostics) stderr.WriteLine($"{cli.Positional[0]}: {d}");
        if (!parsed.Ok) return ExitCodes.BadInput;

        var resolved = PolicyResolver.Resolve(parsed.Profile!, target);
        foreach (var d in resolved.Diagnostics) stderr.WriteLine($"{cli.Positional[0]}: {d}");
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
            File.WriteAllBytes(output!, bytes.Value);
            stderr.WriteLine(format == "ebpf"
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
            File.WriteAllBytes(output!, ClassicInstruction.ToBytes(program));
            stderr.WriteLine($"wrote {program.Length} instructions ({program.Length * ClassicInstruction.Size} bytes) to {output}");
            return ExitCodes.Ok;
        }
        var text = format switch
        {
            "c" => ToC(program),
            "asm" => ClassicDisassembler.ToSource(program),
            "pfc" => PolicyListing.ToText(resolved.Plan),
            _ => ToJson(program, resolved),
        };
        if (output is null) stdout.Write(text);
        else File.WriteAllText(output, text);
        return ExitCodes.Ok;
    }

    private static ProfileTarget BuildTarget(IReadOnlyList<string> arches, string native, string? caps, string? kernel, string badArch)
    {
        var forced = new List<SyscallArch>();
        foreach (var name in arches.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries)))
            forced.Add(SyscallArchInfo.TryParse(name, out var a) ? a : throw new CliUsageException($"unknown --arch '{name}' ({SyscallArchInfo.ShortNames})"));
        if (!SyscallArchInfo.TryParse(native, out var nativeArch)) throw new CliUsageException($"unknown --native '{native}' ({SyscallArchInfo.ShortNames})");
        KernelVersion? version = null;
        var kernelText = kernel ?? RunningKernel();
        if (kernelText is not null)
            version = KernelVersion.TryParse(kernelText, out var v) ? v : throw new CliUsageException($"--kernel '{kernelText}' is not like 5.10");
        return new ProfileTarget
        {
            NativeArch = nativeArch,
            ArchesOverride = forced.Count > 0 ? forced : null,
            Capabilities = caps is null ? ProfileTarget.DockerDefaultCapabilities
                : caps == "none" ? [] : caps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Kernel = version,
            BadArchAction = ParseAction(badArch),
        };
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
