using System.Buffers.Binary;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Helpers;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>
/// Loads an example object and runs its seccomp program on hand-built seccomp_data (64 bytes:
/// nr s32@0, arch u32@4, instruction_pointer u64@8, args u64[6]@16), keeping maps between runs.
/// </summary>
public sealed class ExampleRunner : IDisposable
{
    public const uint ArchX86_64 = 0xc000003e;
    public const uint ArchAarch64 = 0xc00000b7;

    private readonly IBpfExecutable _executable;
    private readonly BpfRunContext _context;

    public ExampleRunner(BpfObject obj, EngineKind engine, HelperTable? helpers = null, object? environment = null)
    {
        // Skip only when the engine is not in this build; once it is, a failure to prepare is a bug.
        var available = BpfEngines.Get(engine);
        Assert.SkipUnless(available.IsOk, $"{engine}: {available.Error}");
        var instance = BpfObjectInstance.Create(obj);
        Assert.True(instance.IsOk, instance.Error?.ToString());
        Instance = instance.Value;
        var program = Instance.Program(Assert.Single(obj.Programs).Name, helpers);
        Assert.True(program.IsOk, program.Error?.ToString());
        Program = program.Value;
        var executable = available.Value.Prepare(Program);
        Assert.True(executable.IsOk, executable.Error?.ToString());
        _executable = executable.Value;
        _context = new BpfRunContext { Environment = environment };
    }

    public BpfObjectInstance Instance { get; }
    public SeccompEbpf.Bpf.Engine.BpfProgram Program { get; }

    public SeccompEbpf.Bpf.Maps.BpfMap Map(string name) => Instance.Map(name) ?? throw new InvalidOperationException($"no map {name}");

    /// <summary>Runs the filter and returns its action (r0 as u32); fails the test on a run-time error.</summary>
    public uint Run(int nr, uint arch = ArchX86_64, params ulong[] args)
    {
        var data = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(data, nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), arch);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(8), 0x401000);
        for (int i = 0; i < args.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16 + 8 * i), args[i]);
        var result = _executable.RunWithContext(_context, data);
        Assert.True(result.IsOk, result.ToString());
        return (uint)result.R0;
    }

    public void Dispose()
    {
        Instance.Dispose();
        _context.Dispose();
    }
}
