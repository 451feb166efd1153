using System.Text.Json;
using SeccompEbpf.ProgramType;

namespace SeccompEbpf.Cli.Commands;

/// <summary>`verify --json`: the loader, its helper set and every program's verdict, as one JSON object.</summary>
internal static class VerifyJson
{
    public static void Write(TextWriter stdout, string who, LoaderPrivileges privileges, SeccompHelperSet helpers,
        IReadOnlyList<(VerifyInput Input, SeccompLoadResult Load)> results)
    {
        var doc = new
        {
            loader = who,
            privileges = privileges.ToString(),
            helpers = helpers.Description,
            accepted = results.All(r => r.Load.Loaded),
            programs = results.Select(r => Program(r.Input, r.Load)),
        };
        stdout.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static object Program(VerifyInput input, SeccompLoadResult load)
    {
        var v = load.Verification;
        var error = v?.Error;
        var line = error is not null && error.InstructionIndex >= 0 ? input.Source?.LineAt(error.InstructionIndex) : null;
        return new
        {
            name = input.Name,
            verdict = load.Loaded ? "accepted" : v is null ? "refused" : "rejected",
            refusedBecause = load.RefusedBecause,
            instructions = input.Program.Length,
            processed = v?.ProcessedInstructions,
            statesStored = v?.StoredStates,
            pathsPruned = v?.PrunedPaths,
            stackBytes = v?.MaxStackDepth,
            microseconds = v is null ? (double?)null : Math.Round(v.Elapsed.TotalMicroseconds),
            memoryAccesses = v?.Accesses.MemoryAccesses,
            provenInBounds = v?.Accesses.ProvenSafe.Count,
            terminationProven = v?.ProvedTermination,
            error = error is null ? null : new
            {
                instruction = error.InstructionIndex,
                text = error.InstructionText,
                rule = error.Rule,
                message = error.Message,
                state = error.State,
                source = line?.Location,
                sourceLine = line?.SourceLine.Trim(),
            },
        };
    }
}
