using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Model;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Split;

namespace SeccompEbpf.Simulation;

/// <summary>
/// A loaded policy's filters as the proposed kernel installs them on the process model: each eBPF
/// filter as a program handle (built from its one verification, over its live maps), a profile as the
/// classic filter it compiles to, a classic filter as it is.
/// </summary>
public static class SimulationFilters
{
    public static BpfResult<IReadOnlyList<SimulationFilter>> From(LoadedPolicy policy, EngineKind engine = EngineKind.Interpreter)
    {
        var filters = new List<SimulationFilter>();
        foreach (var filter in policy.Stack.Filters)
        {
            var built = filter switch
            {
                EbpfStackFilter e => Ebpf(e, policy.Loader, engine),
                ProfileStackFilter p => Profile(p),
                ClassicStackFilter c => new SimulationFilter(c.Name, FilterKind.Classic,
                    thread => SeccompAttach.AttachClassic(thread, c.Program.Instructions, 0, c.Name), $"{c.Program.Length} instructions"),
                _ => new BpfResult<SimulationFilter>(new BpfError($"{filter.Name}: no way to install a {filter.GetType().Name}")),
            };
            if (!built.IsOk) return built.Error!;
            filters.Add(built.Value);
        }
        return filters;
    }

    private static BpfResult<SimulationFilter> Ebpf(EbpfStackFilter filter, LoaderPrivileges loader, EngineKind engine)
    {
        if (filter.Loaded is not { } loaded) return new BpfError($"{filter.Name}: not loaded through the policy loader (no verification to install)");
        var executable = SeccompExecutables.Prepare(filter.Program, loaded, engine);
        if (!executable.IsOk) return executable.Error! with { Location = filter.Name };
        var handle = new SeccompProgramHandle(new EngineSeccompProgram(executable.Value, loader.UserNamespace));
        return new SimulationFilter(filter.Name, FilterKind.Ebpf,
            thread => SeccompAttach.AttachExtended(thread, handle, SeccompFilterFlags.Extended),
            $"{filter.Program.Instructions.Length} instructions, helpers: {loaded.HelperSet.Description}");
    }

    private static BpfResult<SimulationFilter> Profile(ProfileStackFilter filter)
    {
        var compiled = ClassicPolicyCompiler.Compile(filter.Plan);
        if (!compiled.IsOk) return compiled.Error! with { Location = filter.Name };
        var program = compiled.Value;
        var arches = string.Join(", ", filter.Plan.Groups.SelectMany(g => g.Arches).Select(a => Syscalls.SyscallArchInfo.ShortName(a)));
        return new SimulationFilter(filter.Name, FilterKind.Profile,
            thread => SeccompAttach.AttachClassic(thread, program, 0, filter.Name), $"{program.Length} classic instructions for {arches}");
    }
}
