using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Elf;

namespace SeccompEbpf.Policy.Sources;

/// <summary>
/// FILE.o[:SECTION], the one way a program of a BPF object is named (run, plan, simulate, verify):
/// a colon after the last '/' names a section or a program, unless the whole text names an existing
/// file. Without one, the object's programs in a seccomp section ("seccomp", "seccomp-sleepable").
/// </summary>
public sealed record ObjectProgramSpec(string Path, string? Section)
{
    public static ObjectProgramSpec Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        bool namesSection = colon > 0 && colon > text.LastIndexOf('/') && colon < text.Length - 1 && !File.Exists(text);
        return namesSection ? new ObjectProgramSpec(text[..colon], text[(colon + 1)..]) : new ObjectProgramSpec(text, null);
    }

    /// <summary>Every program the spec names in <paramref name="obj"/> (several only when no section is given).</summary>
    public IReadOnlyList<ObjectProgram> Select(BpfObject obj) => Section is null
        ? obj.Programs.Where(p => p.Kind == ProgramSectionKind.Seccomp).ToList()
        : obj.ProgramsMatching(Section);

    /// <summary>The one program a filter is made of, or an error that lists what the object has and how to pick.</summary>
    public BpfResult<ObjectProgram> SelectOne(BpfObject obj)
    {
        var chosen = Select(obj);
        if (chosen.Count == 1) return chosen[0];
        if (chosen.Count == 0) return NothingSelected(obj);
        return new BpfError($"{chosen.Count} programs are in seccomp sections; name one as {Path}:SECTION or {Path}:PROGRAM (programs: {obj.ProgramList()})",
            Location: Path);
    }

    /// <summary>What to say when <see cref="Select"/> finds nothing.</summary>
    public BpfError NothingSelected(BpfObject obj) => new(Section is null
            ? $"no program in a \"seccomp\" section; name one as {Path}:SECTION or {Path}:PROGRAM (programs: {obj.ProgramList()})"
            : $"no program or section named '{Section}' (programs: {obj.ProgramList()})",
        Location: Path);

    public override string ToString() => Section is null ? Path : $"{Path}:{Section}";
}
