using SeccompEbpf.Bpf.Elf;

namespace SeccompEbpf.Cli.Files;

/// <summary>What a file holds, told from its first bytes: enough to say which command reads it.</summary>
public enum InputKind { Elf, Json, Text, Binary }

public static class InputKinds
{
    /// <summary>ELF by its magic; JSON when the first non-blank character opens an object or array; text when no control byte but tab and line ends; else binary.</summary>
    public static InputKind Of(ReadOnlySpan<byte> bytes)
    {
        if (ElfConstants.StartsWithMagic(bytes)) return InputKind.Elf;
        foreach (byte b in bytes)
            if (b < 0x20 && b is not ((byte)'\n' or (byte)'\r' or (byte)'\t')) return InputKind.Binary;
        var start = bytes.TrimStart(" \t\r\n"u8);
        ReadOnlySpan<byte> byteOrderMark = [0xEF, 0xBB, 0xBF];
        if (start.StartsWith(byteOrderMark)) start = start[byteOrderMark.Length..];
        return start.Length > 0 && start[0] is (byte)'{' or (byte)'[' ? InputKind.Json : InputKind.Text;
    }

    /// <summary>"an ELF object", for messages.</summary>
    public static string Describe(InputKind kind) => kind switch
    {
        InputKind.Elf => "an ELF object",
        InputKind.Json => "JSON",
        InputKind.Text => "text",
        _ => "binary data",
    };

    /// <summary>Which commands read this kind of file (for the hint when another command is given it).</summary>
    public static string CommandsFor(InputKind kind, string name) => kind switch
    {
        InputKind.Elf => $"an eBPF object is listed by 'seccomp-ebpf objdump {name}', checked by 'verify', run by 'exec' and enforced with 'run --filter'",
        InputKind.Json => $"an OCI/Docker profile is compiled by 'seccomp-ebpf compile {name}' and used by 'run', 'plan' and 'simulate' with --profile",
        InputKind.Text => $"eBPF assembly is read by 'seccomp-ebpf asm {name}' (and verify, exec); a classic filter's text by 'inspect' and 'cbpf'",
        _ => $"raw eBPF bytecode is read by 'seccomp-ebpf disasm {name}' (and verify, exec); a raw classic filter by 'inspect' and 'cbpf'",
    };
}
