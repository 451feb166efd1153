using System.Text.Json;
using SeccompEbpf.Bpf;

namespace SeccompEbpf.Policy;

/// <summary>The outcome of parsing: a profile when there were no errors, and every diagnostic found.</summary>
public sealed record ProfileParseResult(SeccompProfile? Profile, IReadOnlyList<ProfileDiagnostic> Diagnostics)
{
    public bool Ok => Profile is not null;
}

/// <summary>
/// Strict reader for OCI/Docker/Podman seccomp profiles: every unknown field, wrong type, unknown
/// action/operator/flag and out-of-range value is reported with its JSON path; parsing continues
/// so that one run lists all problems. Never throws on bad input.
/// </summary>
public static class ProfileParser
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal)
    {
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    };

    public static ProfileParseResult ParseFile(string path)
    {
        var text = InputFile.ReadAllText(path);
        return text.IsOk ? Parse(text.Value) : new ProfileParseResult(null, [new ProfileDiagnostic("$", text.Error!.ToString())]);
    }

    public static ProfileParseResult Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return new ProfileParseResult(null, [new ProfileDiagnostic("$", "the profile is empty: expected a JSON object such as {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [...]}")]);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            return new ProfileParseResult(null, [new ProfileDiagnostic("$", $"invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {JsonReason(e)}")]);
        }
        using (doc)
        {
            var reader = new Reader();
            var profile = reader.ReadProfile(doc.RootElement);
            return new ProfileParseResult(reader.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) ? null : profile, reader.Diagnostics);
        }
    }

    /// <summary>
    /// The reader's reason in our words, without its position suffix (we print line and byte
    /// ourselves, 1-based) and without advice about reader options a user does not have.
    /// </summary>
    private static string JsonReason(JsonException e)
    {
        string message = e.Message;
        int suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix >= 0) message = message[..suffix];
        message = message.Replace(", when isFinalBlock is true", "").Replace("Change the reader options.", "").Trim();
        if (message.Contains("trailing comma", StringComparison.Ordinal)) return "a trailing comma (JSON allows none: remove it)";
        if (message.StartsWith("'/'", StringComparison.Ordinal) || message.Contains("omment", StringComparison.Ordinal)) return "a comment (JSON has none: remove it)";
        if (message.Contains(" is invalid after a value", StringComparison.Ordinal)) return $"{message[..message.IndexOf(" is invalid", StringComparison.Ordinal)]} after a value: a ',', '}}' or ']' was expected";
        if (message.Contains("Expected depth to be zero", StringComparison.Ordinal)) return "the file ends inside an object or array (a '}' or ']' is missing)";
        int invalidStart = message.IndexOf(" is an invalid start of a value", StringComparison.Ordinal);
        if (invalidStart > 0) return $"{message[..invalidStart]} cannot start a JSON value (is this a JSON profile?)";
        return message;
    }

    private sealed class Reader
    {
        public List<ProfileDiagnostic> Diagnostics { get; } = [];

        private void Error(string path, string message) => Diagnostics.Add(new ProfileDiagnostic(path, message));

        public SeccompProfile? ReadProfile(JsonElement root)
        {
            if (!ExpectKind(root, "$", JsonValueKind.Object, "an object")) return null;
            ProfileAction? defaultAction = null;
            uint? defaultErrnoRet = null;
            string? defaultErrnoName = null;
            IReadOnlyList<string> architectures = [], flags = [];
            IReadOnlyList<ArchMapEntry> archMap = [];
            IReadOnlyList<SyscallRule> syscalls = [];
            string? listenerPath = null, listenerMetadata = null;

            foreach (var p in root.EnumerateObject())
            {
                var path = $"$.{p.Name}";
                switch (p.Name)
                {
                    case "defaultAction": defaultAction = ReadAction(p.Value, path); break;
                    case "defaultErrnoRet": defaultErrnoRet = ReadOptionalUInt32(p.Value, path); break;
                    case "defaultErrno": defaultErrnoName = ReadOptionalString(p.Value, path); break; // Podman
                    case "architectures": architectures = ReadArchitectures(p.Value, path); break;
                    case "archMap": archMap = ReadArchMap(p.Value, path); break;
                    case "flags": flags = ReadFlags(p.Value, path); break;
                    case "listenerPath": listenerPath = ReadOptionalString(p.Value, path); break;
                    case "listenerMetadata": listenerMetadata = ReadOptionalString(p.Value, path); break;
                    case "syscalls": syscalls = ReadArray(p.Value, path, ReadSyscall); break;
                    default: Error(path, $"unknown field \"{p.Name}\""); break;
                }
            }
            if (!root.TryGetProperty("defaultAction", out _)) Error("$", "missing required field \"defaultAction\"");
            if (defaultAction is null) return null;
            defaultErrnoRet ??= ErrnoFromName(defaultErrnoName, "$.defaultErrno");
            if (defaultErrnoRet is not null && !defaultAction.Value.TakesReturnCode && root.TryGetProperty("defaultErrnoRet", out _))
                Error("$.defaultErrnoRet", $"defaultErrnoRet is only meaningful with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not {defaultAction}");
            if (architectures.Count > 0 && archMap.Count > 0)
                Error("$", "\"architectures\" and \"archMap\" cannot both be set (Docker rejects this too)");
            if (listenerPath is null && listenerMetadata is not null)
                Error("$.listenerMetadata", "listenerMetadata needs listenerPath");
            return new SeccompProfile
            {
                DefaultAction = defaultAction.Value,
                DefaultErrnoRet = defaultErrnoRet,
                Architectures = architectures,
                ArchMap = archMap,
                Flags = flags,
                ListenerPath = listenerPath,
                ListenerMetadata = listenerMetadata,
                Syscalls = syscalls,
            };
        }

        private SyscallRule? ReadSyscall(JsonElement e, string path)
        {
            if (!ExpectKind(e, path, JsonValueKind.Object, "an object")) return null;
            var names = new List<string>();
            ProfileAction? action = null;
            uint? errnoRet = null;
            string? errnoName = null, comment = null;
            IReadOnlyList<ArgCondition> args = [];
            RuleFilter includes = RuleFilter.Empty, excludes = RuleFilter.Empty;
            foreach (var p in e.EnumerateObject())
            {
                var fieldPath = $"{path}.{p.Name}";
                switch (p.Name)
                {
                    case "names": names.AddRange(ReadStringArray(p.Value, fieldPath)); break;
                    case "name": if (ReadOptionalString(p.Value, fieldPath) is { } n) names.Add(n); break; // older Docker profiles
                    case "action": action = ReadAction(p.Value, fieldPath); break;
                    case "errnoRet": errnoRet = ReadOptionalUInt32(p.Value, fieldPath); break;
                    case "errno": errnoName = ReadOptionalString(p.Value, fieldPath); break; // Podman
                    case "args": args = ReadArray(p.Value, fieldPath, ReadArg); break;
                    case "comment": comment = ReadOptionalString(p.Value, fieldPath); break;
                    case "includes": includes = ReadFilter(p.Value, fieldPath); break;
                    case "excludes": excludes = ReadFilter(p.Value, fieldPath); break;
                    default: Error(fieldPath, $"unknown field \"{p.Name}\""); break;
                }
            }
            if (!e.TryGetProperty("action", out _)) Error(path, "missing required field \"action\"");
            if (names.Count == 0) Error(path, "no system-call names (\"names\" is missing or empty)");
            for (int i = 0; i < names.Count; i++)
                if (string.IsNullOrWhiteSpace(names[i])) Error($"{path}.names[{i}]", "empty system-call name");
            errnoRet ??= ErrnoFromName(errnoName, $"{path}.errno");
            if (action is { } a && errnoRet is not null && !a.TakesReturnCode && e.TryGetProperty("errnoRet", out _))
                Error($"{path}.errnoRet", $"errnoRet is only meaningful with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not {a}");
            if (action is null) return null;
            return new SyscallRule
            {
                Names = names, Action = action.Value, ErrnoRet = errnoRet, Args = args, Comment = comment,
                Includes = includes, Excludes = excludes, Path = path,
            };
        }

        private ArgCondition? ReadArg(JsonElement e, string path)
        {
            if (!ExpectKind(e, path, JsonValueKind.Object, "an object")) return null;
            int? index = null;
            ulong value = 0, valueTwo = 0;
            ComparisonOperator? op = null;
            foreach (var p in e.EnumerateObject())
            {
                var fieldPath = $"{path}.{p.Name}";
                switch (p.Name)
                {
                    case "index":
                        if (ReadUInt64(p.Value, fieldPath) is { } ix)
                        {
                            if (ix > 5) Error(fieldPath, $"argument index {ix} is out of range (0..5)");
                            else index = (int)ix;
                        }
                        break;
                    case "value": value = ReadUInt64(p.Value, fieldPath) ?? 0; break;
                    case "valueTwo": valueTwo = ReadUInt64(p.Value, fieldPath) ?? 0; break;
                    case "op":
                        if (ReadString(p.Value, fieldPath) is { } name)
                        {
                            if (ComparisonOperatorNames.TryParse(name, out var parsed)) op = parsed;
                            else Error(fieldPath, $"unknown operator \"{name}\" (expected one of {string.Join(", ", ComparisonOperatorNames.All)})");
                        }
                        break;
                    default: Error(fieldPath, $"unknown field \"{p.Name}\""); break;
                }
            }
            if (!e.TryGetProperty("index", out _)) Error(path, "missing required field \"index\"");
            if (!e.TryGetProperty("op", out _)) Error(path, "missing required field \"op\"");
            return index is { } i && op is { } o ? new ArgCondition(i, value, valueTwo, o) : null;
        }

        private RuleFilter ReadFilter(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Null) return RuleFilter.Empty;
            if (!ExpectKind(e, path, JsonValueKind.Object, "an object")) return RuleFilter.Empty;
            IReadOnlyList<string> caps = [], arches = [];
            KernelVersion? minKernel = null;
            foreach (var p in e.EnumerateObject())
            {
                var fieldPath = $"{path}.{p.Name}";
                switch (p.Name)
                {
                    case "caps": caps = ReadStringArray(p.Value, fieldPath); break;
                    case "arches": arches = ReadStringArray(p.Value, fieldPath); break;
                    case "minKernel":
                        if (ReadOptionalString(p.Value, fieldPath) is { } text)
                        {
                            if (KernelVersion.TryParse(text, out var v)) minKernel = v;
                            else Error(fieldPath, $"\"{text}\" is not a kernel version like \"4.8\"");
                        }
                        break;
                    default: Error(fieldPath, $"unknown field \"{p.Name}\""); break;
                }
            }
            return new RuleFilter(caps, arches, minKernel);
        }

        private IReadOnlyList<ArchMapEntry> ReadArchMap(JsonElement e, string path) =>
            ReadArray(e, path, (item, itemPath) =>
            {
                if (!ExpectKind(item, itemPath, JsonValueKind.Object, "an object")) return null;
                string? arch = null;
                IReadOnlyList<string> subs = [];
                foreach (var p in item.EnumerateObject())
                {
                    var fieldPath = $"{itemPath}.{p.Name}";
                    switch (p.Name)
                    {
                        case "architecture": arch = ReadArchName(p.Value, fieldPath); break;
                        case "subArchitectures": subs = ReadArchitectures(p.Value, fieldPath); break;
                        default: Error(fieldPath, $"unknown field \"{p.Name}\""); break;
                    }
                }
                if (!item.TryGetProperty("architecture", out _)) Error(itemPath, "missing required field \"architecture\"");
                return arch is null ? null : new ArchMapEntry(arch, subs);
            });

        private IReadOnlyList<string> ReadArchitectures(JsonElement e, string path) =>
            ReadArray(e, path, ReadArchName);

        private string? ReadArchName(JsonElement e, string path)
        {
            var name = ReadString(e, path);
            if (name is null) return null;
            if (!Syscalls.SyscallArchInfo.OtherOciNames.Contains(name) &&
                !Syscalls.SyscallArchInfo.All.Any(a => Syscalls.SyscallArchInfo.OciName(a) == name))
            {
                Error(path, $"unknown architecture \"{name}\" (expected an SCMP_ARCH_* name such as SCMP_ARCH_X86_64)");
                return null;
            }
            return name;
        }

        private IReadOnlyList<string> ReadFlags(JsonElement e, string path) =>
            ReadArray(e, path, (item, itemPath) =>
            {
                var flag = ReadString(item, itemPath);
                if (flag is not null && !Flags.Contains(flag))
                {
                    Error(itemPath, $"unknown flag \"{flag}\" (expected one of {string.Join(", ", Flags)})");
                    return null;
                }
                return flag;
            });

        private ProfileAction? ReadAction(JsonElement e, string path)
        {
            var name = ReadString(e, path);
            if (name is null) return null;
            if (ProfileAction.TryParse(name, out var action)) return action;
            Error(path, $"unknown action \"{name}\" (expected one of {string.Join(", ", ProfileAction.Names)})");
            return null;
        }

        private uint? ErrnoFromName(string? name, string path)
        {
            if (string.IsNullOrEmpty(name)) return null;
            if (LinuxErrno.TryParse(name, out var errno)) return (uint)errno;
            Error(path, $"unknown errno name \"{name}\"");
            return null;
        }

        private IReadOnlyList<T> ReadArray<T>(JsonElement e, string path, Func<JsonElement, string, T?> readItem) where T : class
        {
            if (e.ValueKind == JsonValueKind.Null) return [];
            if (!ExpectKind(e, path, JsonValueKind.Array, "an array")) return [];
            var list = new List<T>();
            int i = 0;
            foreach (var item in e.EnumerateArray())
            {
                if (readItem(item, $"{path}[{i}]") is { } value) list.Add(value);
                i++;
            }
            return list;
        }

        private IReadOnlyList<string> ReadStringArray(JsonElement e, string path) => ReadArray(e, path, ReadString);

        private string? ReadString(JsonElement e, string path) =>
            ExpectKind(e, path, JsonValueKind.String, "a string") ? e.GetString() : null;

        private string? ReadOptionalString(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.Null ? null : ReadString(e, path);

        private ulong? ReadUInt64(JsonElement e, string path)
        {
            if (!ExpectKind(e, path, JsonValueKind.Number, "a number")) return null;
            if (e.TryGetUInt64(out var v)) return v;
            Error(path, $"{e.GetRawText()} is not an unsigned 64-bit integer");
            return null;
        }

        private uint? ReadOptionalUInt32(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Null) return null;
            if (ReadUInt64(e, path) is not { } v) return null;
            if (v > Model.SeccompAction.DataMask)
            {
                Error(path, $"{v} does not fit the 16-bit action data");
                return null;
            }
            return (uint)v;
        }

        private bool ExpectKind(JsonElement e, string path, JsonValueKind kind, string what)
        {
            if (e.ValueKind == kind) return true;
            Error(path, $"expected {what}, found {Describe(e.ValueKind)}");
            return false;
        }

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => kind.ToString(),
        };
    }
}
