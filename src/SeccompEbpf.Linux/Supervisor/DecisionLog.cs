using System.Text.Json;
using SeccompEbpf.Model;

namespace SeccompEbpf.Linux.Supervisor;

/// <summary>
/// The <c>--log FILE</c> output: one JSON object per line for every decision that was not a plain
/// allow: {"time","pid","arch","nr","syscall","args","action","filter"}, and for a memory-dependent
/// ALLOW how it was carried out: "note" (racy continue, refusal and why) and "result" (what an
/// emulated call returned: the caller's fd or -errno). Lines are flushed as written so that the log
/// is complete even if the supervisor is killed.
/// </summary>
public sealed class DecisionLog : IDisposable
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _writer;
    private readonly Func<uint, int, string?>? _syscallName;
    private readonly Lock _gate = new();

    public DecisionLog(Stream stream, Func<uint, int, string?>? syscallName = null)
    {
        _stream = stream;
        // Relaxed escaping: a note reads "caller's", not "caller\u0027s" (the log is never embedded in HTML).
        _writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _syscallName = syscallName;
    }

    public static DecisionLog Open(string path, Func<uint, int, string?>? syscallName = null) =>
        new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), syscallName);

    public void Write(in SyscallNotification notification, SyscallDecision decision, string? note = null, long? result = null)
    {
        lock (_gate)
        {
            var data = notification.Data;
            _writer.Reset();
            _writer.WriteStartObject();
            _writer.WriteString("time", DateTime.UtcNow.ToString("O"));
            _writer.WriteNumber("pid", notification.Pid);
            _writer.WriteString("arch", AuditArch.Name(data.Arch));
            _writer.WriteNumber("nr", data.Nr);
            if (_syscallName?.Invoke(data.Arch, data.Nr) is { } name) _writer.WriteString("syscall", name);
            else _writer.WriteNull("syscall");
            _writer.WriteStartArray("args");
            foreach (var arg in data.Args) _writer.WriteStringValue($"0x{arg:x}");
            _writer.WriteEndArray();
            _writer.WriteString("action", decision.Action.ToString());
            if (decision.Filter is { } filter) _writer.WriteString("filter", filter);
            else _writer.WriteNull("filter");
            if (note is not null) _writer.WriteString("note", note);
            if (result is { } value) _writer.WriteNumber("result", value);
            _writer.WriteEndObject();
            _writer.Flush();
            _stream.WriteByte((byte)'\n');
            _stream.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
            _stream.Dispose();
        }
    }
}
