using System.Buffers.Binary;
using System.Text;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>
/// Objects written byte by byte (no clang needed): the reader and relocator on layouts clang
/// does not produce — RELA tables, code without function symbols, a relocation on the wrong
/// instruction — so these paths are covered on any machine.
/// </summary>
public class HandBuiltObjectTests
{
    /// <summary>Lays out a minimal ELF64 EM_BPF relocatable object.</summary>
    private sealed class ObjectBuilder
    {
        private readonly List<(string Name, uint Type, ulong Flags, byte[] Data, uint Link, uint Info, ulong EntSize)> _sections = new();
        private readonly List<(string Name, byte Info, ushort Section, ulong Value, ulong Size)> _symbols = new() { ("", 0, 0, 0, 0) };

        public int AddSection(string name, uint type, ulong flags, byte[] data, uint link = 0, uint info = 0, ulong entSize = 0)
        {
            _sections.Add((name, type, flags, data, link, info, entSize));
            return _sections.Count; // index, counting the null section
        }

        public int AddSymbol(string name, byte type, byte binding, int section, ulong value, ulong size = 0)
        {
            _symbols.Add((name, (byte)((binding << 4) | type), (ushort)section, value, size));
            return _symbols.Count - 1;
        }

        public static byte[] Rel(bool rela, params (ulong Offset, int Symbol, uint Type, long Addend)[] entries)
        {
            int size = rela ? 24 : 16;
            var bytes = new byte[entries.Length * size];
            for (int i = 0; i < entries.Length; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * size), entries[i].Offset);
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * size + 8), ((ulong)entries[i].Symbol << 32) | entries[i].Type);
                if (rela) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * size + 16), entries[i].Addend);
            }
            return bytes;
        }

        public byte[] Build()
        {
            var strtab = new MemoryStream();
            strtab.WriteByte(0);
            uint Intern(string s)
            {
                if (s.Length == 0) return 0;
                uint at = (uint)strtab.Length;
                strtab.Write(Encoding.ASCII.GetBytes(s + "\0"));
                return at;
            }
            int symtabIndex = _sections.Count + 1, strtabIndex = _sections.Count + 2;
            var sectionNames = _sections.Select(s => Intern(s.Name)).ToList();
            uint symtabName = Intern(".symtab"), strtabName = Intern(".strtab");
            var symtab = new byte[_symbols.Count * 24];
            for (int i = 0; i < _symbols.Count; i++)
            {
                var s = _symbols[i];
                var e = symtab.AsSpan(i * 24);
                BinaryPrimitives.WriteUInt32LittleEndian(e, Intern(s.Name));
                e[4] = s.Info;
                BinaryPrimitives.WriteUInt16LittleEndian(e[6..], s.Section);
                BinaryPrimitives.WriteUInt64LittleEndian(e[8..], s.Value);
                BinaryPrimitives.WriteUInt64LittleEndian(e[16..], s.Size);
            }
            var all = _sections.Select((s, i) => (NameOffset: sectionNames[i], s.Type, s.Flags, s.Data, s.Link, s.Info, s.EntSize)).ToList();
            all.Add((symtabName, ElfConstants.SectionSymTab, 0, symtab, (uint)strtabIndex, 1, 24));
            all.Add((strtabName, ElfConstants.SectionStrTab, 0, strtab.ToArray(), 0, 0, 0));

            var file = new MemoryStream();
            file.Write(new byte[ElfConstants.HeaderSize]);
            var offsets = new List<ulong>();
            foreach (var s in all)
            {
                while (file.Length % 8 != 0) file.WriteByte(0);
                offsets.Add((ulong)file.Length);
                if (s.Type != ElfConstants.SectionNoBits) file.Write(s.Data);
            }
            while (file.Length % 8 != 0) file.WriteByte(0);
            ulong shoff = (ulong)file.Length;
            file.Write(new byte[ElfConstants.SectionHeaderSize]); // null section
            for (int i = 0; i < all.Count; i++)
            {
                var h = new byte[ElfConstants.SectionHeaderSize];
                var s = all[i];
                BinaryPrimitives.WriteUInt32LittleEndian(h, s.NameOffset);
                BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), s.Type);
                BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(8), s.Flags);
                BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(24), offsets[i]);
                BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(32), (ulong)s.Data.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(40), s.Link);
                BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(44), s.Info);
                BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(48), 8);
                BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(56), s.EntSize);
                file.Write(h);
            }
            var bytes = file.ToArray();
            "\x7f"u8.CopyTo(bytes);
            "ELF"u8.CopyTo(bytes.AsSpan(1));
            bytes[4] = ElfConstants.ClassElf64;
            bytes[5] = ElfConstants.DataLittleEndian;
            bytes[6] = 1;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(16), ElfConstants.TypeRelocatable);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(18), ElfConstants.MachineBpf);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), 1);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), shoff);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(52), ElfConstants.HeaderSize);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(58), ElfConstants.SectionHeaderSize);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(60), (ushort)(all.Count + 1));
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(62), (ushort)(all.Count));
            return bytes;
        }
    }

    private static byte[] Code(params Instruction[] insns) => InstructionCodec.EncodeProgram(insns);

    /// <summary>lddw r1, &amp;data+addend; r0 = *(u32 *)(r1 + 0); exit — with the relocation in a RELA or REL table.</summary>
    private static byte[] DataLoadObject(bool rela, bool withFunctionSymbol, int relocatedSlot = 0)
    {
        var b = new ObjectBuilder();
        var (lo, hi) = Instruction.LoadImm64(1, rela ? 0UL : 4UL);
        int code = b.AddSection("seccomp", ElfConstants.SectionProgBits, ElfConstants.FlagAlloc | ElfConstants.FlagExecInstr,
            Code(lo, hi, new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.W), 0, 1, 0, 0), new Instruction(Opcodes.Exit, 0, 0, 0, 0)));
        int data = b.AddSection(".data", ElfConstants.SectionProgBits, ElfConstants.FlagAlloc | ElfConstants.FlagWrite, [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]);
        // Symbol indices are fixed by the order below: 1 = the .data section symbol, 2 = the function.
        b.AddSymbol("", ElfConstants.SymbolSection, ElfConstants.BindLocal, data, 0);
        if (withFunctionSymbol) b.AddSymbol("read_second", ElfConstants.SymbolFunc, ElfConstants.BindGlobal, code, 0, 32);
        int relocations = data + 1;
        var table = ObjectBuilder.Rel(rela, ((ulong)relocatedSlot * 8, 1, ElfConstants.Reloc64_64, 4));
        b.AddSection(rela ? ".relaseccomp" : ".relseccomp", rela ? ElfConstants.SectionRela : ElfConstants.SectionRel, 0, table,
            link: (uint)(relocations + 1), info: (uint)code, entSize: rela ? 24u : 16u);
        return b.Build();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Data_relocation_from_rel_or_rela_points_into_the_data_map(bool rela)
    {
        var obj = BpfObjectLoader.Load(DataLoadObject(rela, withFunctionSymbol: true), "hand.o");
        Assert.True(obj.IsOk, obj.Error?.ToString());
        var program = Assert.Single(obj.Value.Programs);
        Assert.Equal("read_second", program.Name);
        Assert.Equal(LoadImmSource.MapIdxValue, program.Instructions[0].Src);
        Assert.Equal(obj.Value.FindMapIndex(".data"), program.Instructions[0].Imm);
        // REL: the addend (4) sits in the first slot's imm; RELA: in the entry. Both give offset 4.
        Assert.Equal(4, program.Instructions[1].Imm);
    }

    [Fact]
    public void Code_without_function_symbols_is_one_program_named_after_its_section()
    {
        var obj = BpfObjectLoader.Load(DataLoadObject(rela: false, withFunctionSymbol: false), "hand.o");
        Assert.True(obj.IsOk, obj.Error?.ToString());
        Assert.Equal("seccomp", Assert.Single(obj.Value.Programs).Name);
        Assert.Equal("", obj.Value.License);
    }

    [Fact]
    public void A_map_relocation_on_an_instruction_that_is_not_lddw_names_it()
    {
        var result = BpfObjectLoader.Load(DataLoadObject(rela: false, withFunctionSymbol: true, relocatedSlot: 2), "hand.o");
        Assert.False(result.IsOk);
        Assert.Contains("seccomp, instruction 2: R_BPF_64_64 against '.data': expected a 64-bit immediate load (lddw)", result.Error!.Message);
    }

    [Fact]
    public void A_relocation_past_the_code_is_refused()
    {
        var result = BpfObjectLoader.Load(DataLoadObject(rela: false, withFunctionSymbol: true, relocatedSlot: 9), "hand.o");
        Assert.False(result.IsOk);
        Assert.Contains("is not on an instruction of this section", result.Error!.Message);
    }
}
