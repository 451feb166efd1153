using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Model;

namespace SeccompEbpf.Linux.Seccomp;

/// <summary>
/// The kernel filter of the built-in default policy, kept on disk after the first run so that
/// `run -- COMMAND` does not compile the policy again (compiling it loads and JIT-compiles most of
/// the policy code: about 250 ms of start-up). Only plans that need no supervisor are cached (the
/// default policy decides everything in the kernel), so a cached plan is the filter alone.
/// <para>Where: <c>$XDG_CACHE_HOME/seccomp-ebpf</c> or <c>~/.cache/seccomp-ebpf</c>. A cache file decides
/// what a sandbox allows, so it is trusted only if the opened file is owned by this user and writable
/// by nobody else (an attacker cannot create such a file, even in a directory they control), its key
/// names the exact builds of the assemblies that compiled it, and its checksum matches. Anything else
/// is a miss: the policy is compiled as usual and the file rewritten.</para>
/// </summary>
public static class DefaultPolicyCache
{
    private const ulong Magic = 0x3143445046424553; // "SEBFPDC1"
    private const int HeaderBytes = 8 + 16 + 4 + 4; // magic, key, instruction count, description bytes
    private const int ChecksumBytes = 8;
    private const int MaxBytes = 1 << 20;

    /// <summary>The cache file for this build, or null when there is no home or cache directory.</summary>
    public static string? FilePath
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg) ? xdg
                : Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home && Path.IsPathRooted(home) ? Path.Combine(home, ".cache")
                : null;
            return root is null ? null : Path.Combine(root, "seccomp-ebpf", $"default-policy-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}.cbpf");
        }
    }

    /// <summary>The cached plan, or null on any miss (absent, foreign, stale, damaged).</summary>
    public static RunPlan? TryLoad() => FilePath is { } path ? TryLoad(path) : null;

    internal static RunPlan? TryLoad(string path)
    {
        byte[] bytes;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            if (!IsOwnedAndPrivate(handle)) return null;
            var length = RandomAccess.GetLength(handle);
            if (length is < HeaderBytes + ChecksumBytes or > MaxBytes) return null;
            bytes = new byte[length];
            if (RandomAccess.Read(handle, bytes, 0) != length) return null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        return Decode(bytes);
    }

    /// <summary>Stores <paramref name="plan"/> when it needs no supervisor; failures are ignored (the cache is an optimisation).</summary>
    public static void TryStore(RunPlan plan)
    {
        if (FilePath is { } path) TryStore(plan, path);
    }

    internal static void TryStore(RunPlan plan, string path)
    {
        if (plan.NeedsListener || OperatingSystem.IsWindows()) return;
        try
        {
            var directory = Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            using (var stream = new FileStream(temporary, options))
                stream.Write(Encode(plan));
            File.Move(temporary, path, overwrite: true); // readers see the old file or the new one, never half of one
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    internal static byte[] Encode(RunPlan plan)
    {
        var filter = ClassicInstruction.ToBytes(plan.KernelFilter);
        var description = Encoding.UTF8.GetBytes(plan.Description);
        var bytes = new byte[HeaderBytes + filter.Length + description.Length + ChecksumBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Magic);
        BuildKey().CopyTo(bytes, 8);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), plan.KernelFilter.Count);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), description.Length);
        filter.CopyTo(bytes, HeaderBytes);
        description.CopyTo(bytes, HeaderBytes + filter.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(bytes.Length - ChecksumBytes), Checksum(bytes.AsSpan(0, bytes.Length - ChecksumBytes)));
        return bytes;
    }

    internal static RunPlan? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes + ChecksumBytes || BinaryPrimitives.ReadUInt64LittleEndian(bytes) != Magic) return null;
        if (!bytes.Slice(8, 16).SequenceEqual(BuildKey())) return null;
        if (BinaryPrimitives.ReadUInt64LittleEndian(bytes[^ChecksumBytes..]) != Checksum(bytes[..^ChecksumBytes])) return null;
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]), descriptionLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[28..]);
        if (count is <= 0 or > ClassicInstruction.MaxInstructions || descriptionLength < 0
            || HeaderBytes + 8L * count + descriptionLength + ChecksumBytes != bytes.Length) return null;
        var filter = new ClassicInstruction[count];
        for (int i = 0; i < count; i++) filter[i] = ClassicInstruction.Read(bytes.Slice(HeaderBytes + 8 * i, 8));
        var description = Encoding.UTF8.GetString(bytes.Slice(HeaderBytes + 8 * count, descriptionLength));
        var plan = new RunPlan(filter, NeverNotifiedDecider.Instance, description);
        return plan.NeedsListener ? null : plan;
    }

    /// <summary>The builds that produce the default plan: any rebuild of them changes the key.</summary>
    private static byte[] BuildKey()
    {
        Span<byte> ids = stackalloc byte[48];
        typeof(DefaultPolicyCache).Assembly.ManifestModule.ModuleVersionId.TryWriteBytes(ids);
        typeof(SeccompAction).Assembly.ManifestModule.ModuleVersionId.TryWriteBytes(ids[16..]);
        typeof(Bpf.BpfError).Assembly.ManifestModule.ModuleVersionId.TryWriteBytes(ids[32..]);
        var key = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(key, Checksum(ids));
        BinaryPrimitives.WriteUInt64LittleEndian(key.AsSpan(8), Checksum(ids[16..]) ^ (ulong)RuntimeInformation.ProcessArchitecture);
        return key;
    }

    /// <summary>FNV-1a, 64 bits: detects a damaged file (integrity against attackers comes from ownership).</summary>
    private static ulong Checksum(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 0xcbf29ce484222325;
        foreach (var b in bytes) hash = (hash ^ b) * 0x100000001b3;
        return hash;
    }

    private static unsafe bool IsOwnedAndPrivate(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        const int AtEmptyPath = 0x1000;
        const uint StatxUidMode = 0x8 | 0x2;
        const int GroupOrOtherWrite = 0x12; // S_IWGRP | S_IWOTH
        byte* buffer = stackalloc byte[256];
        if (LibC.Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxUidMode, buffer) != 0) return false;
        uint owner = *(uint*)(buffer + 20);
        ushort mode = *(ushort*)(buffer + 28);
        return owner == LibC.GetEuid() && (mode & GroupOrOtherWrite) == 0;
    }

    /// <summary>The decider of a cached plan, whose filter never notifies: fail closed if that ever changes.</summary>
    private sealed class NeverNotifiedDecider : ISyscallDecider
    {
        public static readonly NeverNotifiedDecider Instance = new();

        public SyscallDecision Decide(in SyscallNotification notification, NotifiedProcess process) =>
            new(SeccompAction.ErrnoAction(LinuxConstants.ENOSYS), "supervisor: the cached default policy does not notify");
    }
}
