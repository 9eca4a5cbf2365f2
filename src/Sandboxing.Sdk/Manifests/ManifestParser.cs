using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk;

/// <summary>
/// Parses manifests with YamlDotNet's parser into <see cref="YamlStream"/> nodes that keep their marks (line, column, offset),
/// one document at a time. The class is split by concern: this file reads documents; <c>ManifestParser.Limits.cs</c> checks the
/// limits of <see cref="ManifestReadOptions"/> (nesting as events arrive, alias expansion after loading);
/// <c>ManifestParser.Errors.cs</c> turns YamlDotNet's errors into <see cref="ManifestProblem"/>s and recognises unrendered
/// templates. Finding objects and binding them is <see cref="ManifestObjects"/>'s job.
/// </summary>
internal static partial class ManifestParser
{
    /// <summary>Parses <paramref name="source"/> whole.</summary>
    /// <exception cref="ManifestException">A syntax error, an unrendered Helm template, too deep nesting or an alias bomb.</exception>
    public static ParsedManifest Parse(ManifestSource source, ManifestReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ParsedManifest(source, ParseDocuments(source, options).ToList());
    }

    /// <summary>
    /// Parses <paramref name="source"/> one document at a time, so that a caller that is done with a document lets it go: a large
    /// multi-document file then costs about what YamlDotNet's event parser costs, instead of holding every tree at once. The
    /// documents come in order; an error stops the enumeration with a <see cref="ManifestException"/>.
    /// </summary>
    /// <exception cref="ManifestException">A syntax error, an unrendered Helm template, too deep nesting or an alias bomb.</exception>
    public static IEnumerable<YamlDocument> ParseDocuments(ManifestSource source, ManifestReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= ManifestReadOptions.Default;

        // Template syntax inside valid YAML is data (alert annotations, dashboards, workflow expressions): only a file that does
        // not parse is taken for an unrendered template (see SyntaxError).
        return Documents(source, options);
    }

    private static IEnumerable<YamlDocument> Documents(ManifestSource source, ManifestReadOptions options)
    {
        // A stream of JSON objects ({…}{…}, as kubectl applies) is not one YAML document: each value is parsed on its own, from
        // a copy of the text with everything before it blanked, so that lines, columns and offsets stay those of the file.
        var values = JsonStream.Values(source.Text);
        if (values.Count < 2)
        {
            foreach (var document in Documents(source, source.Text, options, 0))
            {
                yield return document;
            }

            yield break;
        }

        int before = 0;
        foreach (var (start, end) in values)
        {
            foreach (var document in Documents(source, JsonStream.Isolate(source.Text, start, end), options, before))
            {
                before++;
                yield return document;
            }
        }
    }

    private static IEnumerable<YamlDocument> Documents(ManifestSource source, string text, ManifestReadOptions options, int before)
    {
        var guard = new GuardingParser(new Parser(new StringReader(text)), Math.Min(options.MaxDepth, ManifestReadOptions.AbsoluteMaxDepth));
        var window = new DocumentWindow(guard);
        bool started = false;
        while (true)
        {
            YamlDocument document;
            int aliasesBefore = guard.Aliases;
            try
            {
                if (!started)
                {
                    guard.MoveNext();
                    guard.Consume<StreamStart>();
                    started = true;
                }

                if (guard.Accept<StreamEnd>(out _))
                {
                    yield break;
                }

                window.Reset();
                var stream = new YamlStream();
                stream.Load(window);
                document = stream.Documents[0];
            }
            catch (YamlException e)
            {
                throw SyntaxError(source, guard, e, before);
            }

            if (guard.Aliases > aliasesBefore)
            {
                CheckAliasExpansion(source, document, guard.Documents, options);
            }

            yield return document;
        }
    }

    /// <summary>
    /// Presents the next document of a stream as a stream of its own (StreamStart, the document's events, StreamEnd), so that
    /// <see cref="YamlStream.Load(IParser)"/> builds one document at a time from one parser.
    /// </summary>
    private sealed class DocumentWindow(IParser inner) : IParser
    {
        private int _state;
        private ParsingEvent? _current;

        public ParsingEvent? Current => _current;

        public void Reset()
        {
            _state = 0;
            _current = null;
        }

        public bool MoveNext()
        {
            switch (_state)
            {
                case 0:
                    _current = new StreamStart();
                    _state = 1;
                    return true;
                case 1:
                    _current = inner.Current; // the DocumentStart the outer loop stopped at
                    _state = 2;
                    return true;
                case 2:
                    if (!inner.MoveNext())
                    {
                        throw new YamlException(_current?.End ?? Mark.Empty, _current?.End ?? Mark.Empty, "unexpected end of the stream inside a document");
                    }

                    _current = inner.Current;
                    if (_current is DocumentEnd)
                    {
                        _state = 3;
                    }

                    return true;
                case 3:
                    inner.MoveNext(); // past DocumentEnd: the next DocumentStart or StreamEnd
                    _current = new StreamEnd();
                    _state = 4;
                    return true;
                default:
                    return false;
            }
        }
    }
}
