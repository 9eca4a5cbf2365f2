using System.CommandLine;
using System.CommandLine.Parsing;
using Sandboxing.Cli.Config;

namespace Sandboxing.Cli;

/// <summary>
/// The usage errors of a command line, found before any command runs: an unknown option, command or argument names the token, the
/// nearest option or command, and the command's usage line. A path argument that starts with '-' (other than '-' itself, or
/// after '--') is an unknown option too: <c>lint --fromat json .</c> must not lint <c>json</c> as a path.
/// </summary>
internal static class UsageErrors
{
    /// <summary>The messages for <paramref name="parse"/>'s usage errors; empty when the command line is usable.</summary>
    public static IReadOnlyList<string> Find(ParseResult parse, RootCommand root)
    {
        var command = parse.CommandResult.Command;
        var afterDoubleDash = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        bool seenDoubleDash = false;
        foreach (var token in parse.Tokens)
        {
            if (seenDoubleDash)
            {
                afterDoubleDash.Add(token);
            }

            seenDoubleDash |= token.Type == TokenType.DoubleDash;
        }

        var unknown = new List<string>();
        foreach (var argument in parse.CommandResult.Children.OfType<ArgumentResult>())
        {
            unknown.AddRange(argument.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-' && !afterDoubleDash.Contains(t)).Select(t => t.Value));
        }

        // After an unknown command the other words are its arguments: only the command is worth naming.
        unknown.AddRange(command.Subcommands.Count > 0 && parse.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-')) is { } word
            ? parse.UnmatchedTokens.TakeWhile(t => t != word).Append(word)
            : parse.UnmatchedTokens);
        var messages = new List<string>();
        foreach (var token in unknown.Distinct(StringComparer.Ordinal))
        {
            messages.Add(Describe(token, command, root));
        }

        if (messages.Count == 0)
        {
            // Other parse errors (a value outside --format's choices, a missing value) keep System.CommandLine's words.
            messages.AddRange(parse.Errors.Select(e => e.Message));
        }

        return messages;
    }

    /// <summary>The usage line of <paramref name="command"/>, as help prints it: <c>sandboxing lint [&lt;paths&gt;...] [options]</c>.</summary>
    public static string Usage(Command command, RootCommand root)
    {
        var parts = new List<string> { "sandboxing" };
        parts.AddRange(Path(command, root));
        if (command.Subcommands.Count > 0)
        {
            parts.Add("[command]");
        }

        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            var max = argument.Arity.MaximumNumberOfValues;
            var name = $"<{argument.Name}>" + (max > 1 ? "..." : "");
            parts.Add(argument.Arity.MinimumNumberOfValues == 0 ? $"[{name}]" : name);
        }

        parts.Add("[options]");
        return string.Join(' ', parts);
    }

    /// <summary>The words users type for <paramref name="command"/> after <c>sandboxing</c>.</summary>
    public static IReadOnlyList<string> Path(Command command, RootCommand root)
    {
        if (ReferenceEquals(command, root))
        {
            return [];
        }

        var parent = root.Subcommands.FirstOrDefault(c => c.Subcommands.Contains(command));
        return parent is null ? [command.Name] : [parent.Name, command.Name];
    }

    private static string Describe(string token, Command command, RootCommand root)
    {
        var where = string.Join(' ', ["sandboxing", .. Path(command, root)]);
        if (token.StartsWith('-'))
        {
            var options = command.Options.Concat(root.Options.Where(o => o.Recursive))
                .Where(o => !o.Hidden)
                .SelectMany(o => o.Aliases.Prepend(o.Name))
                .Where(n => n.StartsWith("--", StringComparison.Ordinal));
            var close = SandboxingConfigLoader.DidYouMean(token, options);
            return $"'{token}' is not an option of '{where}'" + (close is null ? "" : $"; did you mean '{close}'?");
        }

        var commands = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        if (commands.Count > 0)
        {
            var close = SandboxingConfigLoader.DidYouMean(token, commands);
            return $"'{token}' is not a command of '{where}'" + (close is null ? $"; the commands are {string.Join(", ", commands)}" : $"; did you mean '{close}'?");
        }

        return command.Arguments.Count == 0 ? $"'{where}' takes no argument '{token}'" : $"unexpected argument '{token}' for '{where}'";
    }
}
