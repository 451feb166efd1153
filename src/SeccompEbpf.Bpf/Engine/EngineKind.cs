namespace SeccompEbpf.Bpf.Engine;

/// <summary>Which execution engine runs a program.</summary>
public enum EngineKind
{
    /// <summary>The reference interpreter: every memory access checked, one instruction at a time.</summary>
    Interpreter,
    /// <summary>Compiles the program to IL; the runtime turns it into native code.</summary>
    Jit,
}
