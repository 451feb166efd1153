using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Policy.Compiler;

/// <summary>Appends eBPF instructions with forward jumps to labels, resolved at the end (16-bit offsets).</summary>
internal sealed class EbpfEmitter
{
    private readonly List<Instruction> _code = [];
    private readonly List<(int At, int Label)> _fixups = [];
    private readonly List<int> _labels = [];

    public int NewLabel()
    {
        _labels.Add(-1);
        return _labels.Count - 1;
    }

    public void Mark(int label) => _labels[label] = _code.Count;

    public void Emit(Instruction instruction) => _code.Add(instruction);

    public void LoadImm64(byte dst, ulong value)
    {
        var (low, high) = Instruction.LoadImm64(dst, value);
        _code.Add(low);
        _code.Add(high);
    }

    /// <summary>A jump (conditional or ja) whose offset is filled in when <paramref name="label"/> is placed.</summary>
    public void Jump(byte opcode, byte dst, byte src, int imm, int label)
    {
        _fixups.Add((_code.Count, label));
        _code.Add(new Instruction(opcode, dst, src, 0, imm));
    }

    public Instruction[] Finish()
    {
        foreach (var (at, label) in _fixups)
        {
            int target = _labels[label];
            if (target < 0) throw new InvalidOperationException($"label {label} never placed (compiler bug)");
            int offset = target - at - 1;
            if (offset is < short.MinValue or > short.MaxValue)
                throw new InvalidOperationException($"jump at {at} is out of the 16-bit range");
            _code[at] = _code[at] with { Offset = (short)offset };
        }
        return [.. _code];
    }
}
