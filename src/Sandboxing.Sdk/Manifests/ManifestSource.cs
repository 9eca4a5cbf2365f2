using System.Text;

namespace Sandboxing.Sdk;

/// <summary>Limits that keep hostile or broken input from exhausting the machine.</summary>
public sealed class ManifestReadOptions
{
    /// <summary>The deepest nesting any option may allow; the binder and the path resolver recurse no deeper.</summary>
    public const int AbsoluteMaxDepth = 512;

    /// <summary>The defaults: 16 MiB per file, 128 levels of nesting, 1,000,000 nodes per document after alias expansion.</summary>
    public static ManifestReadOptions Default { get; } = new();

    /// <summary>The largest file read, in bytes (default 16 MiB). Larger files are refused with a message naming the option.</summary>
    public long MaxFileBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>How deeply mappings and sequences may nest (default 128; at most <see cref="AbsoluteMaxDepth"/>).</summary>
    public int MaxDepth { get; init; } = 128;

    /// <summary>
    /// How many nodes one document may have once every alias is expanded (default 1,000,000). Aliases stay references while
    /// linting, but a document whose expansion exceeds this is refused as an alias bomb ("billion laughs"): any consumer that
    /// expands it (kubectl, Helm, a serializer) would exhaust memory.
    /// </summary>
    public long MaxExpandedNodes { get; init; } = 1_000_000;
}

/// <summary>A problem that stops a file (or one document of it) from being read: where, what, and how to fix it.</summary>
public sealed class ManifestProblem
{
    internal ManifestProblem(string source, int line, int column, string message, int documentIndex = 0)
    {
        Source = source;
        Line = line;
        Column = column;
        Message = message;
        DocumentIndex = documentIndex;
    }

    /// <summary>The file name, or <c>&lt;stdin&gt;</c>.</summary>
    public string Source { get; }

    /// <summary>The line (1-based; 0 when the problem concerns the whole file).</summary>
    public int Line { get; }

    /// <summary>The column (1-based; 0 when the problem concerns the whole file).</summary>
    public int Column { get; }

    /// <summary>What is wrong and how to fix it.</summary>
    public string Message { get; }

    /// <summary>The YAML document (1-based); 0 when unknown or when the problem concerns the whole file.</summary>
    public int DocumentIndex { get; }

    /// <summary>The same problem with advice added by the reader that reports it.</summary>
    internal ManifestProblem WithMessage(string message) => new(Source, Line, Column, message, DocumentIndex);

    /// <summary><c>file:line:column: message</c>, or <c>file: message</c> for a problem of the whole file.</summary>
    public override string ToString() => Line > 0 ? $"{Source}:{Line}:{Column}: {Message}" : $"{Source}: {Message}";
}

/// <summary>
/// The text of one manifest as the linter and the fixer see it: decoded UTF-8 without its byte order mark, with a note of
/// whether it had one, so that the fixer writes back the same bytes.
/// </summary>
public sealed class ManifestSource
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ManifestSource(string name, string text, bool hasBom)
    {
        Name = name;
        Text = text;
        HasBom = hasBom;
    }

    /// <summary>The file name for messages (as given on the command line), or <c>&lt;stdin&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>The text, without a byte order mark.</summary>
    public string Text { get; }

    /// <summary>Whether the bytes started with a UTF-8 byte order mark.</summary>
    public bool HasBom { get; }

    /// <summary>Makes a source from text (a leading U+FEFF is taken as a byte order mark).</summary>
    public static ManifestSource FromText(string text, string name = "<input>")
    {
        ArgumentNullException.ThrowIfNull(text);
        bool bom = text.Length > 0 && text[0] == '\uFEFF';
        return new ManifestSource(name, bom ? text[1..] : text, bom);
    }

    /// <summary>Decodes bytes as UTF-8, refusing what is not text.</summary>
    /// <exception cref="ManifestException">The bytes are too many, binary (NUL bytes), UTF-16/32, or not valid UTF-8.</exception>
    public static ManifestSource FromBytes(ReadOnlySpan<byte> bytes, string name, ManifestReadOptions? options = null)
    {
        options ??= ManifestReadOptions.Default;
        if (bytes.Length > options.MaxFileBytes)
        {
            throw new ManifestException(new ManifestProblem(name, 0, 0,
                $"the file is {bytes.Length:N0} bytes, over the limit of {options.MaxFileBytes:N0} bytes; split it into smaller files, " +
                "or raise the limit with --max-file-size if it really is one manifest"));
        }

        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            throw new ManifestException(new ManifestProblem(name, 1, 1,
                "the file is UTF-16 or UTF-32 encoded; save it as UTF-8 (Kubernetes tools read UTF-8)"));
        }

        int nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            var (line, column) = Position(bytes, nul);
            throw new ManifestException(new ManifestProblem(name, line, column,
                "the file contains a NUL byte, so it is binary, not YAML; lint only YAML or JSON text files"));
        }

        bool bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        var body = bom ? bytes[3..] : bytes;
        string text;
        try
        {
            text = s_strictUtf8.GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            int index = e.Index >= 0 ? e.Index + (bom ? 3 : 0) : 0;
            var (line, column) = Position(bytes, Math.Min(index, bytes.Length - 1));
            throw new ManifestException(new ManifestProblem(name, line, column,
                "the file is not valid UTF-8 (binary data or another encoding); save it as UTF-8"));
        }

        return new ManifestSource(name, text, bom);
    }

    /// <summary>
    /// Reads a file with <see cref="FromBytes"/>, checking its size before reading it and counting the bytes read, so that a file
    /// whose reported length is wrong (a device reports 0) never reads past the limit.
    /// </summary>
    /// <exception cref="ManifestException">The file cannot be read, is over the limit or is not UTF-8 text.</exception>
    public static ManifestSource FromFile(string path, string? name = null, ManifestReadOptions? options = null)
    {
        options ??= ManifestReadOptions.Default;
        name ??= path;
        string overLimit = $"over the limit of {options.MaxFileBytes:N0} bytes; split it into smaller files, " +
            "or raise the limit with --max-file-size if it really is one manifest";
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > options.MaxFileBytes)
            {
                throw new ManifestException(new ManifestProblem(name, 0, 0, $"the file is {info.Length:N0} bytes, {overLimit}"));
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            return FromBytes(ReadLimited(stream, name, options.MaxFileBytes, $"the file is {overLimit}"), name, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ManifestException(new ManifestProblem(name, 0, 0, $"cannot read the file: {e.Message}"));
        }
    }

    /// <summary>
    /// Reads <paramref name="stream"/> to its end, refusing it as soon as more than <paramref name="maxBytes"/> bytes have been
    /// read: the one count of the limit for files and standard input, whatever length they report.
    /// </summary>
    /// <exception cref="ManifestException">More than <paramref name="maxBytes"/> bytes; <paramref name="overLimit"/> says so.</exception>
    internal static ReadOnlySpan<byte> ReadLimited(Stream stream, string name, long maxBytes, string overLimit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new ManifestException(new ManifestProblem(name, 0, 0, overLimit));
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
    }

    /// <summary>The bytes of <paramref name="text"/> as this source was stored: UTF-8, with the byte order mark if it had one.</summary>
    public byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new byte[(HasBom ? 3 : 0) + s_strictUtf8.GetByteCount(text)];
        if (HasBom)
        {
            bytes[0] = 0xEF;
            bytes[1] = 0xBB;
            bytes[2] = 0xBF;
        }

        s_strictUtf8.GetBytes(text, 0, text.Length, bytes, HasBom ? 3 : 0);
        return bytes;
    }

    private static (int Line, int Column) Position(ReadOnlySpan<byte> bytes, int index)
    {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }
}
