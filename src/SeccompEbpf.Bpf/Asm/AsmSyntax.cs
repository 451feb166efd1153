namespace SeccompEbpf.Bpf.Asm;

/// <summary>The two assembly dialects this toolkit reads and writes.</summary>
public enum AsmSyntax
{
    /// <summary>Pick per file: the first line that only one dialect accepts decides (both agree on <c>exit</c> and <c>call N</c>).</summary>
    Auto,
    /// <summary>The BPF conformance suite's dialect: <c>mov32 %r0, 1</c>, <c>ldxw %r0, [%r1+2]</c>, <c>jeq %r1, 0, L1</c>.</summary>
    Conformance,
    /// <summary>The LLVM/kernel dialect of <c>llvm-objdump -d</c> and verifier logs: <c>w0 = 1</c>, <c>r0 = *(u32 *)(r1 + 2)</c>, <c>if r1 == 0x0 goto +2</c>.</summary>
    Llvm,
}
