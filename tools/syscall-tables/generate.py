#!/usr/bin/env python3
"""Generate the C# system-call tables (name -> number) for every ABI libseccomp 2.6 knows.

Source of truth: libseccomp's own tables, read through the installed library (libseccomp.so.2,
Debian package libseccomp2) with seccomp_syscall_resolve_num_arch. Using libseccomp's tables means a
profile resolves to exactly the numbers runc/crun (which use libseccomp) would use.

The installed library (2.5.4 on Debian 12) lacks the ABIs added in libseccomp 2.6 (loongarch64,
m68k, sh/sheb). Their tables come from libseccomp's own data file, src/syscalls.csv (the file its
tables are built from), given with --libseccomp-csv. When the file is given, every table read
from the library is also compared with it: a number that disagrees stops the script, so the
column layout and the number offsets below are checked on 19 ABIs before they are trusted on 4.

Anyone can verify a single entry with the `seccomp` package's tool:
    scmp_sys_resolver -a aarch64 openat        ->  56
    scmp_sys_resolver -a x32 read              ->  1073741824   (x32 bit 0x40000000 set)
    scmp_sys_resolver -a mips read             ->  4003         (o32 numbers start at 4000)
The x86 family is also cross-checked against the installed kernel headers
(/usr/include/x86_64-linux-gnu/asm/unistd_{64,32,x32}.h, package linux-libc-dev); any number that
disagrees aborts the generation, names only one side knows are listed on stderr.

Usage: tools/syscall-tables/generate.py [--libseccomp-csv SYSCALLS.CSV] [OUTPUT_DIR]
       (default OUTPUT_DIR: src/SeccompEbpf/Syscalls/Generated, relative to the repository root;
        SYSCALLS.CSV e.g. from a libseccomp checkout: git show v2.6.1:src/syscalls.csv)
"""
import argparse
import csv
import ctypes
import os
import re
import sys
from dataclasses import dataclass, field

X32_BIT = 0x40000000
ARM_PRIVATE = range(0x0F0000, 0x0F0010)  # ARM-specific calls (breakpoint, cacheflush, set_tls, ...)
HEADERS = "/usr/include/x86_64-linux-gnu/asm"


@dataclass
class Table:
    ident: str            # C# identifier of the table
    arches: list          # libseccomp arch names that use these numbers (big- and little-endian twins)
    column: str           # column of libseccomp's syscalls.csv
    first: int = 0        # libseccomp's numbers = csv number + first (MIPS ABI bases, the x32 bit)
    extra: range = range(0)  # numbers beyond first..first+1023 to probe
    header: str = None    # kernel header for a cross-check
    source: str = field(default="", init=False)

    def numbers(self):
        return list(range(self.first, self.first + 1024)) + list(self.extra)


TABLES = [
    Table("X86_64", ["x86_64"], "x86_64", header=f"{HEADERS}/unistd_64.h"),
    Table("I386", ["x86"], "x86", header=f"{HEADERS}/unistd_32.h"),
    Table("X32", ["x32"], "x32", first=X32_BIT, header=f"{HEADERS}/unistd_x32.h"),
    Table("Arm", ["arm"], "arm", extra=ARM_PRIVATE),
    Table("AArch64", ["aarch64"], "aarch64"),
    Table("LoongArch64", ["loongarch64"], "loongarch64"),
    Table("M68k", ["m68k"], "m68k"),
    Table("MipsO32", ["mips", "mipsel"], "mips", first=4000),
    Table("MipsN64", ["mips64", "mipsel64"], "mips64", first=5000),
    Table("MipsN32", ["mips64n32", "mipsel64n32"], "mips64n32", first=6000),
    Table("Parisc", ["parisc"], "parisc"),
    Table("Parisc64", ["parisc64"], "parisc64"),
    Table("Ppc", ["ppc"], "ppc"),
    Table("Ppc64", ["ppc64", "ppc64le"], "ppc64"),
    Table("RiscV64", ["riscv64"], "riscv64"),
    Table("S390", ["s390"], "s390"),
    Table("S390X", ["s390x"], "s390x"),
    Table("SuperH", ["sh", "sheb"], "sh"),
]


def load_libseccomp():
    lib = ctypes.CDLL("libseccomp.so.2")
    lib.seccomp_arch_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_arch_resolve_name.restype = ctypes.c_uint32
    lib.seccomp_syscall_resolve_num_arch.argtypes = [ctypes.c_uint32, ctypes.c_int]
    lib.seccomp_syscall_resolve_num_arch.restype = ctypes.c_void_p  # malloc'd char*, freed below
    ver = lib.seccomp_version
    ver.restype = ctypes.POINTER(ctypes.c_uint * 3)
    major, minor, micro = ver().contents
    return lib, f"{major}.{minor}.{micro}"


def read_library_table(lib, arch_name, numbers):
    """name -> number as the library resolves it, or None when the library lacks the arch."""
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    token = lib.seccomp_arch_resolve_name(arch_name.encode())
    if token == 0:
        return None
    table = {}
    for nr in numbers:
        ptr = lib.seccomp_syscall_resolve_num_arch(token, nr)
        if ptr:
            name = ctypes.cast(ptr, ctypes.c_char_p).value.decode()
            libc.free(ptr)
            if name in table:
                sys.exit(f"{arch_name}: {name} has two numbers ({table[name]} and {nr})")
            table[name] = nr
    return table


def read_csv(path):
    """(kernel version of the csv, {column: {name: number}}); PNR (no such call) entries are left out."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    m = re.search(r"\((v[^ )]+)", header[0])
    kernel = m.group(1) if m else "unknown kernel"
    columns = {}
    for i, col in enumerate(header[1:], start=1):
        if col.endswith("_kver"):
            continue
        columns[col] = {row[0]: int(row[i]) for row in rows[1:] if row and row[i] != "PNR"}
    return kernel, columns


def read_header(path):
    table = {}
    for line in open(path):
        m = re.match(r"#define __NR_(\w+)\s+(?:\(__X32_SYSCALL_BIT \+ )?(\d+)\)?", line)
        if m:
            nr = int(m.group(2)) + (X32_BIT if "__X32_SYSCALL_BIT" in line else 0)
            table[m.group(1)] = nr
    return table


def cross_check(ident, table, other, other_name, list_newer_names):
    for name in sorted(set(table) & set(other)):
        if table[name] != other[name]:
            sys.exit(f"{ident}: {name} is {table[name]} in libseccomp but {other[name]} in {other_name}")
    only_lib = sorted(set(table) - set(other))
    only_other = sorted(set(other) - set(table))
    if only_lib:
        print(f"{ident}: only in the library (not in {other_name}): {' '.join(only_lib)}", file=sys.stderr)
    if only_other and list_newer_names:
        print(f"{ident}: only in {other_name}: {' '.join(only_other)}", file=sys.stderr)


def build_table(t, lib, version, csv_data):
    tables = [read_library_table(lib, a, t.numbers()) for a in t.arches]
    if all(x is not None for x in tables):
        for other_arch, other in zip(t.arches[1:], tables[1:]):
            if other != tables[0]:
                sys.exit(f"{t.ident}: libseccomp gives {t.arches[0]} and {other_arch} different tables")
        table = tables[0]
        t.source = f"libseccomp {version}"
        if t.header and os.path.exists(t.header):
            cross_check(t.ident, table, read_header(t.header), t.header, True)
        if csv_data:
            kernel, columns = csv_data
            cross_check(t.ident, table, {n: nr + t.first for n, nr in columns[t.column].items()},
                        f"syscalls.csv ({kernel})", False)
        return table
    if any(x is not None for x in tables):
        sys.exit(f"{t.ident}: the library knows only some of {', '.join(t.arches)}")
    if not csv_data:
        sys.exit(f"{t.ident}: libseccomp {version} lacks {', '.join(t.arches)}; "
                 "give libseccomp's src/syscalls.csv with --libseccomp-csv")
    kernel, columns = csv_data
    t.source = f"libseccomp's syscalls.csv of Linux {kernel}, column \"{t.column}\" (libseccomp {version} lacks the ABI)"
    return {name: nr + t.first for name, nr in columns[t.column].items()}


def write_cs(out_dir, t, table):
    arches = ("arch " if len(t.arches) == 1 else "arches ") + ", ".join(f'"{a}"' for a in t.arches)
    lines = [
        "// <auto-generated>",
        f"// Generated by tools/syscall-tables/generate.py from {t.source} ({arches}).",
        "// Do not edit by hand: rerun the script. Verify an entry with `scmp_sys_resolver -a "
        f"{t.arches[0]} NAME`.",
        "// </auto-generated>",
        "namespace SeccompEbpf.Syscalls.Generated;",
        "",
        "internal static partial class GeneratedSyscallTables",
        "{",
        f"    public static readonly (string Name, int Number)[] {t.ident} =",
        "    [",
    ]
    for name, nr in sorted(table.items(), key=lambda kv: (kv[1], kv[0])):
        lines.append(f"        (\"{name}\", {nr if nr < X32_BIT else f'0x{nr:x}'}),")
    lines += ["    ];", "}", ""]
    with open(os.path.join(out_dir, f"SyscallTable.{t.ident}.g.cs"), "w") as f:
        f.write("\n".join(lines))


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--libseccomp-csv", help="libseccomp's src/syscalls.csv (for the ABIs the library lacks)")
    parser.add_argument("out_dir", nargs="?", default=os.path.join(root, "src/SeccompEbpf/Syscalls/Generated"))
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    lib, version = load_libseccomp()
    csv_data = read_csv(args.libseccomp_csv) if args.libseccomp_csv else None
    for t in TABLES:
        table = build_table(t, lib, version, csv_data)
        write_cs(args.out_dir, t, table)
        print(f"{t.ident}: {len(table)} system calls from {t.source}", file=sys.stderr)


if __name__ == "__main__":
    main()
