namespace Sandboxing.Sdk.Tests.NodePools.Terraform;

/// <summary>One HCL block: its type, labels, attributes (name to the value's source text) and nested blocks.</summary>
public sealed record HclBlock(string Type, IReadOnlyList<string> Labels, IReadOnlyList<(string Name, string Value)> Attributes, IReadOnlyList<HclBlock> Blocks);

/// <summary>
/// A minimal HCL reader for the Terraform the SDK writes: blocks with quoted labels, <c>name = value</c> attributes whose value
/// runs to the end of the line unless a bracket or string keeps it open, and <c>#</c> comments. It throws on anything else,
/// so output it does not understand fails the tests instead of passing unchecked.
/// </summary>
public static class Hcl
{
    public static HclBlock Parse(string text)
    {
        int i = 0;
        var root = Body(text, ref i, "(file)", []);
        if (i < text.Length)
        {
            throw new FormatException($"HCL: unexpected '{text[i]}' at offset {i}");
        }

        return root;
    }

    private static HclBlock Body(string text, ref int i, string type, IReadOnlyList<string> labels)
    {
        var attributes = new List<(string, string)>();
        var blocks = new List<HclBlock>();
        while (true)
        {
            SkipBlank(text, ref i);
            if (i >= text.Length || text[i] == '}')
            {
                return new HclBlock(type, labels, attributes, blocks);
            }

            string name = Identifier(text, ref i);
            SkipSpaces(text, ref i);
            if (i < text.Length && text[i] == '=')
            {
                i++;
                int start = i;
                Value(text, ref i);
                attributes.Add((name, text[start..i].Trim()));
                continue;
            }

            var blockLabels = new List<string>();
            while (i < text.Length && text[i] == '"')
            {
                int start = i;
                SkipString(text, ref i);
                blockLabels.Add(text[(start + 1)..(i - 1)]);
                SkipSpaces(text, ref i);
            }

            Expect(text, ref i, '{');
            var block = Body(text, ref i, name, blockLabels);
            Expect(text, ref i, '}');
            blocks.Add(block);
        }
    }

    /// <summary>Moves past a value: to the end of its line, or further while a bracket or string is open.</summary>
    private static void Value(string text, ref int i)
    {
        int depth = 0;
        while (i < text.Length && (depth > 0 || text[i] != '\n'))
        {
            char c = text[i];
            if (c == '"')
            {
                SkipString(text, ref i);
                continue;
            }

            depth += c is '{' or '[' or '(' ? 1 : c is '}' or ']' or ')' ? -1 : 0;
            if (depth < 0)
            {
                throw new FormatException($"HCL: unbalanced '{c}' at offset {i}");
            }

            i++;
        }
    }

    private static void SkipString(string text, ref int i)
    {
        for (i++; i < text.Length && text[i] != '"'; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '\n')
            {
                throw new FormatException($"HCL: string not closed on its line at offset {i}");
            }
        }

        Expect(text, ref i, '"');
    }

    private static string Identifier(string text, ref int i)
    {
        int start = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-'))
        {
            i++;
        }

        return i > start && !char.IsAsciiDigit(text[start])
            ? text[start..i]
            : throw new FormatException($"HCL: expected a name at offset {start}, found '{(start < text.Length ? text[start] : ' ')}'");
    }

    private static void Expect(string text, ref int i, char c)
    {
        if (i >= text.Length || text[i] != c)
        {
            throw new FormatException($"HCL: expected '{c}' at offset {i}");
        }

        i++;
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static void SkipBlank(string text, ref int i)
    {
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            else if (text[i] == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else
            {
                return;
            }
        }
    }
}
