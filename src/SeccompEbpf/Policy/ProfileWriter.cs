using System.Text;
using System.Text.Json;

namespace SeccompEbpf.Policy;

/// <summary>Writes a profile back as OCI/Docker JSON (the fields <see cref="ProfileParser"/> reads).</summary>
public static class ProfileWriter
{
    public static string ToJson(SeccompProfile profile)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("defaultAction", profile.DefaultAction.Name);
            if (profile.DefaultErrnoRet is { } der) w.WriteNumber("defaultErrnoRet", der);
            if (profile.Architectures.Count > 0) WriteStrings(w, "architectures", profile.Architectures);
            if (profile.ArchMap.Count > 0)
            {
                w.WriteStartArray("archMap");
                foreach (var m in profile.ArchMap)
                {
                    w.WriteStartObject();
                    w.WriteString("architecture", m.Architecture);
                    WriteStrings(w, "subArchitectures", m.SubArchitectures);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (profile.Flags.Count > 0) WriteStrings(w, "flags", profile.Flags);
            if (profile.ListenerPath is { } lp) w.WriteString("listenerPath", lp);
            if (profile.ListenerMetadata is { } lm) w.WriteString("listenerMetadata", lm);
            w.WriteStartArray("syscalls");
            foreach (var s in profile.Syscalls) WriteRule(w, s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteRule(Utf8JsonWriter w, SyscallRule s)
    {
        w.WriteStartObject();
        WriteStrings(w, "names", s.Names);
        w.WriteString("action", s.Action.Name);
        if (s.ErrnoRet is { } er) w.WriteNumber("errnoRet", er);
        if (s.Args.Count > 0)
        {
            w.WriteStartArray("args");
            foreach (var a in s.Args)
            {
                w.WriteStartObject();
                w.WriteNumber("index", a.Index);
                w.WriteNumber("value", a.Value);
                w.WriteNumber("valueTwo", a.ValueTwo);
                w.WriteString("op", a.Op.Name());
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (s.Comment is { } c) w.WriteString("comment", c);
        WriteFilter(w, "includes", s.Includes);
        WriteFilter(w, "excludes", s.Excludes);
        w.WriteEndObject();
    }

    private static void WriteFilter(Utf8JsonWriter w, string name, RuleFilter f)
    {
        if (f.IsEmpty) return;
        w.WriteStartObject(name);
        if (f.Caps.Count > 0) WriteStrings(w, "caps", f.Caps);
        if (f.Arches.Count > 0) WriteStrings(w, "arches", f.Arches);
        if (f.MinKernel is { } k) w.WriteString("minKernel", k.ToString());
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
