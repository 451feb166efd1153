using System.Text.Json;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Trace;

namespace SeccompEbpf.Simulation;

/// <summary>Text and JSON renderings of verdicts and trace summaries for the simulate command.</summary>
public static class SimulationOutput
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void WriteCall(TextWriter output, string name, in SeccompData data, ChainVerdict verdict, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                syscall = name,
                nr = data.Nr,
                arch = AuditArch.Name(data.Arch),
                args = ArgsOf(data),
                filters = verdict.Results.Select(r => new { name = r.Node.Filter.Name, value = r.Value, action = r.Action.ToString() }),
                action = verdict.Action.ToString(),
                value = verdict.Action.Value,
                effective = SeccompAction.ActionName(verdict.Action.EffectiveAction),
                decidedBy = verdict.DecidedBy?.Filter.Name,
            }, Json));
            return;
        }
        output.WriteLine($"{name} ({data.Nr}) on {AuditArch.Name(data.Arch)} args [{data.Args}]");
        foreach (var result in verdict.Results)
            output.WriteLine($"  {result.Node.Filter.Name}: {result.Action} (0x{result.Value:x8})");
        output.WriteLine($"final: {verdict.Action}{(verdict.DecidedBy is { } d ? $" (from {d.Filter.Name})" : "")}");
    }

    /// <param name="all">Print every call; otherwise only those not allowed.</param>
    public static void WriteTrace(TextWriter output, string traceFile, TraceReplayReport report, bool all, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                calls = report.Calls.Select(c => new
                {
                    line = c.Call.Line, pid = c.Call.Pid, name = c.Call.Name, nr = c.Data.Nr,
                    args = ArgsOf(c.Data),
                    filters = c.Verdict.Results.Select(r => new { name = r.Node.Filter.Name, action = r.Action.ToString() }),
                    action = c.Verdict.Action.ToString(),
                }),
                summary = new { processes = report.Processes, threads = report.Threads, byAction = report.ByAction, bySyscall = report.BySyscall },
            }, Json));
            return;
        }
        foreach (var call in report.Calls)
        {
            if (!all && call.Verdict.Action.EffectiveAction == SeccompAction.Allow) continue;
            var perFilter = string.Join(", ", call.Verdict.Results.Select(r => $"{r.Node.Filter.Name}: {r.Action}"));
            output.WriteLine($"{traceFile}:{call.Call.Line}: pid {call.Call.Pid} {call.Call.Name}({call.Data.Nr}) -> {call.Verdict.Action}   [{perFilter}]");
        }
        output.WriteLine($"{report.Calls.Count} calls in {report.Processes} processes ({report.Threads} tasks)");
        foreach (var (action, count) in report.ByAction) output.WriteLine($"  {action,-13} {count}");
        output.WriteLine("by system call:");
        foreach (var (name, actions) in report.BySyscall)
            output.WriteLine($"  {name,-20} {string.Join(", ", actions.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"))}");
    }

    private static ulong[] ArgsOf(in SeccompData data)
    {
        var args = new ulong[6];
        for (int i = 0; i < 6; i++) args[i] = data.Args[i];
        return args;
    }
}
