using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Helpers;
using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Simulation;

/// <summary>Reads filters for the simulator: classic files, OCI profiles and clang-built eBPF objects.</summary>
public static class FilterSources
{
    /// <summary>A classic filter in any form <see cref="ClassicFilterFile"/> reads.</summary>
    public static BpfResult<SimulationFilter> Classic(string path)
    {
        var loaded = ClassicFilterFile.Load(path);
        if (!loaded.IsOk) return loaded.Error!;
        var program = loaded.Value;
        return new SimulationFilter(path, FilterKind.Classic,
            thread => SeccompAttach.AttachClassic(thread, program, 0, path), $"{program.Length} instructions");
    }

    /// <summary>An OCI profile compiled to a classic filter for <paramref name="nativeArch"/> (and the arches the profile lists).</summary>
    public static BpfResult<SimulationFilter> Profile(string path, SyscallArch nativeArch)
    {
        var parsed = ProfileParser.ParseFile(path);
        if (!parsed.Ok)
            return new BpfError(string.Join("; ", parsed.Diagnostics.Select(d => d.ToString())), Location: path);
        var resolved = PolicyResolver.Resolve(parsed.Profile!, new ProfileTarget { NativeArch = nativeArch });
        var compiled = ClassicPolicyCompiler.Compile(resolved.Plan);
        if (!compiled.IsOk) return compiled.Error! with { Location = path };
        var program = compiled.Value;
        return new SimulationFilter(path, FilterKind.Profile,
            thread => SeccompAttach.AttachClassic(thread, program, 0, path), $"{program.Length} classic instructions for {nativeArch.ShortName()}");
    }

    /// <summary>
    /// A seccomp program from an ELF object (FILE.o[:SECTION]), loaded as the proposed kernel
    /// would for a loader with <paramref name="privileges"/>: verified with the helper set those
    /// privileges give, then run with the real seccomp helpers over the object's maps.
    /// </summary>
    public static BpfResult<EbpfLoad> Ebpf(string spec, LoaderPrivileges privileges, EngineKind engine = EngineKind.Interpreter)
    {
        var (path, section) = SplitSection(spec);
        var loaded = BpfObjectLoader.LoadFile(path);
        if (!loaded.IsOk) return loaded.Error!;
        var obj = loaded.Value;
        var chosen = PickProgram(obj, section);
        if (!chosen.IsOk) return chosen.Error!;
        var source = chosen.Value;

        var maps = new Dictionary<int, MapSpec>();
        for (int i = 0; i < obj.Maps.Count; i++) maps[i] = obj.Maps[i];
        var load = SeccompProgramLoader.Load(source.Instructions, privileges, maps);
        if (!load.Loaded)
        {
            var why = load.Verification?.Error?.ToString() ?? load.RefusedBecause;
            return new BpfError($"program '{source.Name}' (section {source.SectionName}) not loaded as {privileges}: {why}", Location: path);
        }

        var instance = BpfObjectInstance.Create(obj);
        if (!instance.IsOk) return instance.Error!;
        var program = instance.Value.Program(source.Name, SeccompHelpers.For(ToHelperPrivileges(privileges)));
        if (!program.IsOk) return program.Error!;
        // On the JIT, the checks the verifier's proofs cover are dropped.
        var executable = SeccompExecutables.Prepare(program.Value, privileges, engine);
        if (!executable.IsOk) return executable.Error! with { Location = path };
        var seccompProgram = new EngineSeccompProgram(executable.Value, UserNamespaceId.Initial);
        var handle = new SeccompProgramHandle(seccompProgram);
        var filter = new SimulationFilter($"{path}:{source.SectionName}", FilterKind.Ebpf,
            thread => SeccompAttach.AttachExtended(thread, handle, SeccompFilterFlags.Extended),
            $"{source.Instructions.Length} instructions, helpers: {load.Program!.HelperSet.Description}");
        return new EbpfLoad(filter, instance.Value, seccompProgram);
    }

    /// <summary>A loaded eBPF filter with its object's live maps (the very map objects the program uses; fill them before running).</summary>
    public sealed record EbpfLoad(SimulationFilter Filter, BpfObjectInstance Instance, EngineSeccompProgram Program)
    {
        public BpfMap? Map(string name) => Instance.Map(name);
    }

    public static SeccompLoaderPrivileges ToHelperPrivileges(LoaderPrivileges p) =>
        new(p.CapSysPtrace, p.CapBpf, p.CapPerfmon, UserNamespaceId.Initial, PidNamespaceId.Initial, LsmAllowsExtended: !p.LsmRefusesExtended);

    private static (string Path, string? Section) SplitSection(string spec)
    {
        // FILE.o:SECTION — a colon after the last path separator names the section.
        int colon = spec.LastIndexOf(':');
        return colon > spec.LastIndexOf('/') && colon > 0 && !File.Exists(spec) ? (spec[..colon], spec[(colon + 1)..]) : (spec, null);
    }

    private static BpfResult<ObjectProgram> PickProgram(BpfObject obj, string? section)
    {
        if (section is not null)
        {
            var named = obj.ProgramsMatching(section).FirstOrDefault();
            return named is not null ? named
                : new BpfError($"no program in section '{section}' (sections: {string.Join(", ", obj.Programs.Select(p => p.SectionName))})", Location: obj.FileName);
        }
        var seccomp = obj.Programs.Where(p => p.SectionName.StartsWith("seccomp", StringComparison.Ordinal)).ToList();
        if (seccomp.Count == 1) return seccomp[0];
        if (seccomp.Count == 0 && obj.Programs.Count == 1) return obj.Programs[0];
        return new BpfError($"the object has {(seccomp.Count == 0 ? obj.Programs.Count : seccomp.Count)} candidate programs; choose one with FILE.o:SECTION " +
            $"(sections: {string.Join(", ", obj.Programs.Select(p => p.SectionName))})", Location: obj.FileName);
    }
}
