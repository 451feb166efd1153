using SeccompEbpf.Bpf.Elf.Btf;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// Builds one runnable program from an entry function: copies its instructions, then appends
/// each .text sub-program it reaches (once, in first-call order, as libbpf does) and rewrites
/// every bpf-to-bpf call's imm (and every callback lddw's imm) to the new relative offset. Source lines and function info
/// from .BTF.ext follow the instructions to their new positions.
/// </summary>
internal sealed class ProgramLinker
{
    private readonly CodeSection? _text;
    private readonly SourceInfoIndex _sourceInfo;

    public ProgramLinker(CodeSection? text, SourceInfoIndex sourceInfo)
    {
        _text = text;
        _sourceInfo = sourceInfo;
    }

    public BpfResult<ObjectProgram> Link(CodeSection section, CodeFunction entry, string license)
    {
        var output = new List<Instruction>();
        var origins = new List<(CodeSection Section, int Index)>();
        var functions = new List<ProgramFunction>();
        var appended = new Dictionary<int, int>(); // .text function start → position in the program

        Append(section, entry, output, origins, functions);
        for (int i = 0; i < output.Count; i++)
        {
            var insn = output[i];
            bool isCallback = insn.IsLoadImm64 && insn.Src == LoadImmSource.Func;
            if (!insn.IsLocalCall && !isCallback) continue;
            var (fromSection, fromIndex) = origins[i];
            string at = $"program '{entry.Name}', instruction {i} ({fromSection.Name} instruction {fromIndex})";

            int target;
            if (fromSection.CallTargets.TryGetValue(fromIndex, out var textTarget))
                target = textTarget;
            else if (isCallback)
                return new BpfError($"{at}: a function address (lddw src=4) without a relocation; callbacks must be functions in .text", i);
            else
            {
                // No relocation: a call inside the same section, already PC-relative.
                long local = (long)fromIndex + insn.Imm + 1;
                var containing = fromSection.FunctionAt(fromIndex);
                if (fromSection != _text && containing is not null && local >= containing.Start && local < containing.End)
                    continue; // inside the copied function: the offset is still right
                if (fromSection != _text)
                    return new BpfError($"{at}: call to instruction {local} of {fromSection.Name} has no relocation; sub-programs must live in .text", i);
                target = (int)Math.Clamp(local, -1, int.MaxValue);
            }

            if (_text is null || target < 0 || target >= _text.Instructions.Length)
                return new BpfError($"{at}: call target {target} is outside .text ({_text?.Instructions.Length ?? 0} instructions)", i);
            var callee = _text.FunctionAt(target);
            if (callee is null)
                return new BpfError($"{at}: call target {target} of .text is not inside a function", i);
            if (!appended.TryGetValue(callee.Start, out int start))
            {
                start = output.Count;
                appended[callee.Start] = start;
                Append(_text, callee, output, origins, functions);
            }
            long newImm = (long)start + (target - callee.Start) - i - 1;
            output[i] = insn with { Imm = (int)newImm };
        }

        var core = _sourceInfo.FirstCoreRelocation(origins);
        if (core is { } c)
            return new BpfError(
                $"program '{entry.Name}', instruction {c.Index}: CO-RE relocation {c.Relocation.Kind} on {c.TypeName} " +
                $"(access \"{c.Relocation.AccessString}\") needs the running kernel's BTF, which this loader does not use; " +
                "rewrite the access without __builtin_preserve_access_index / BPF_CORE_READ", c.Index);

        return new ObjectProgram(entry.Name, section.Name, ProgramSections.Classify(section.Name), output.ToArray(), license,
            _sourceInfo.Functions(functions, origins), _sourceInfo.Lines(origins));
    }

    private static void Append(CodeSection section, CodeFunction function, List<Instruction> output,
        List<(CodeSection, int)> origins, List<ProgramFunction> functions)
    {
        functions.Add(new ProgramFunction(function.Name, output.Count, function.Length));
        for (int k = function.Start; k < function.End; k++)
        {
            output.Add(section.Instructions[k]);
            origins.Add((section, k));
        }
    }
}
