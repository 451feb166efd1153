using System.Runtime.InteropServices;

namespace SeccompEbpf.Tests.Policy;

/// <summary>
/// P/Invoke declarations for Debian's libseccomp (libseccomp.so.2, package libseccomp2), used only
/// as the reference compiler in equivalence tests.
/// </summary>
internal static partial class LibSeccompNative
{
    private const string Library = "libseccomp.so.2";

    [StructLayout(LayoutKind.Sequential)]
    public struct ArgCmp
    {
        public uint Arg;
        public int Op;      // enum scmp_compare: NE=1, LT=2, LE=3, EQ=4, GE=5, GT=6, MASKED_EQ=7
        public ulong DatumA;
        public ulong DatumB;
    }

    /// <summary>enum scmp_filter_attr values used here.</summary>
    public const int AttrActBadArch = 2;
    public const int AttrCtlOptimize = 8;

    [LibraryImport(Library, EntryPoint = "seccomp_init")]
    public static partial IntPtr Init(uint defaultAction);

    [LibraryImport(Library, EntryPoint = "seccomp_release")]
    public static partial void Release(IntPtr ctx);

    [LibraryImport(Library, EntryPoint = "seccomp_arch_native")]
    public static partial uint ArchNative();

    [LibraryImport(Library, EntryPoint = "seccomp_arch_add")]
    public static partial int ArchAdd(IntPtr ctx, uint archToken);

    [LibraryImport(Library, EntryPoint = "seccomp_arch_remove")]
    public static partial int ArchRemove(IntPtr ctx, uint archToken);

    [LibraryImport(Library, EntryPoint = "seccomp_arch_resolve_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint ArchResolveName(string name);

    [LibraryImport(Library, EntryPoint = "seccomp_syscall_resolve_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SyscallResolveName(string name);

    [LibraryImport(Library, EntryPoint = "seccomp_syscall_resolve_name_arch", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SyscallResolveNameArch(uint archToken, string name);

    [LibraryImport(Library, EntryPoint = "seccomp_attr_set")]
    public static partial int AttrSet(IntPtr ctx, int attr, uint value);

    [LibraryImport(Library, EntryPoint = "seccomp_rule_add_array")]
    public static partial int RuleAddArray(IntPtr ctx, uint action, int syscall, uint argCount, [In] ArgCmp[] args);

    [LibraryImport(Library, EntryPoint = "seccomp_export_bpf")]
    public static partial int ExportBpf(IntPtr ctx, int fd);

    /// <summary>True when libseccomp.so.2 can be loaded here.</summary>
    public static bool IsAvailable()
    {
        try { return NativeLibrary.TryLoad(Library, out _); }
        catch { return false; }
    }
}
