using System.Text;

namespace Sandboxing.Sdk.Aks;

/// <summary>
/// The one writer of <c>az</c> command lines: flags in the order added, every value quoted for POSIX shells
/// (<see cref="EmitterQuoting.ShellQuote"/>), and <c>&lt;placeholders&gt;</c> only where the caller has no value.
/// The node pool emitter writes it over several lines; fixes and error messages write it on one.
/// </summary>
internal sealed class AzCommand(string command)
{
    private readonly List<(string Flag, string[] Values)> _args = [];

    /// <summary>The command without flags, for example <c>az aks nodepool add</c>.</summary>
    public string Command { get; } = command;

    /// <summary>Adds a flag with its values (none for a switch such as <c>--enable-cluster-autoscaler</c>), each quoted.</summary>
    public AzCommand Add(string flag, params string[] values)
    {
        _args.Add((Flag(flag), values.Select(EmitterQuoting.ShellQuote).ToArray()));
        return this;
    }

    /// <summary>Adds a flag whose value may be unknown: the value quoted, or <c>&lt;placeholder&gt;</c> for the reader to fill in.</summary>
    public AzCommand Add(string flag, string? value, string placeholder)
    {
        _args.Add((Flag(flag), [value is null ? "<" + placeholder + ">" : EmitterQuoting.ShellQuote(value)]));
        return this;
    }

    /// <summary>
    /// A flag as written: plain when it is only a dash or two and letters, digits and dashes (<c>--node-count</c>, <c>-g</c>);
    /// otherwise quoted like a value, since a flag read from input (<c>--labels=$(…)</c>) is data too.
    /// </summary>
    private static string Flag(string flag) =>
        flag.Length > 1 && flag[0] == '-' && flag.Skip(1).All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? flag
            : EmitterQuoting.ShellQuote(flag);

    /// <summary>The command on one line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Command);
        foreach (var (flag, values) in _args)
        {
            text.Append(' ').Append(flag);
            foreach (var value in values)
            {
                text.Append(' ').Append(value);
            }
        }

        return text.ToString();
    }

    /// <summary>The command with one flag a line, joined by <c> \</c> line continuations, ending with a new line.</summary>
    public string ToMultiLine()
    {
        var text = new StringBuilder(Command);
        foreach (var (flag, values) in _args)
        {
            text.Append(" \\\n  ").Append(flag);
            foreach (var value in values)
            {
                text.Append(' ').Append(value);
            }
        }

        return text.Append('\n').ToString();
    }
}
