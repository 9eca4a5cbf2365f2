using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Sandboxing.Sdk.AI;

/// <summary>
/// What the functions return to the model: one small JSON object with snake_case names (the convention of tool results), its
/// text cut to a budget so that one noisy run cannot fill the model's context. The middle is cut, because the start of an output
/// says what ran and its end says how it ended (a traceback's last line is the error).
/// </summary>
internal static class ToolResults
{
    /// <summary>The result of a run: exit code, standard output and error, and what was cut from them.</summary>
    internal static JsonElement Run(int exitCode, string stdout, string stderr, int budget)
    {
        var (outBudget, errBudget) = Split(stdout.Length, stderr.Length, budget);
        var (outText, outCut) = Cap(stdout, outBudget);
        var (errText, errCut) = Cap(stderr, errBudget);
        return Write(w =>
        {
            w.WriteNumber("exit_code", exitCode);
            w.WriteString("stdout", outText);
            w.WriteString("stderr", errText);
            if (outCut > 0 || errCut > 0)
            {
                w.WriteString("truncated", Truncated(("stdout", stdout.Length, outCut), ("stderr", stderr.Length, errCut)));
            }
        });
    }

    /// <summary>A file's text, cut to the budget.</summary>
    internal static JsonElement File(string path, string text, long size, int budget)
    {
        var (content, cut) = Cap(text, budget);
        return Write(w =>
        {
            w.WriteString("path", path);
            w.WriteNumber("size_bytes", size);
            w.WriteString("content", content);
            if (cut > 0)
            {
                w.WriteString("truncated", Truncated(("content", text.Length, cut)));
            }
        });
    }

    /// <summary>A success without output, such as a written file.</summary>
    internal static JsonElement Done(string message) => Write(w => w.WriteString("result", message));

    /// <summary>A failure the model can act on (a timeout, a bad path, too much output): what happened and what to do instead.</summary>
    internal static JsonElement Error(string message) => Write(w => w.WriteString("error", message));

    /// <summary>Shares <paramref name="budget"/> between two texts: each gets half, and what one does not need goes to the other.</summary>
    internal static (int First, int Second) Split(int first, int second, int budget)
    {
        if (first + second <= budget)
        {
            return (first, second);
        }

        var half = budget / 2;
        if (first <= half)
        {
            return (first, budget - first);
        }

        return second <= budget - half ? (budget - second, second) : (half, budget - half);
    }

    /// <summary>
    /// <paramref name="text"/> with its middle replaced by a marker when longer than <paramref name="budget"/>, and the number of
    /// characters removed. The marker counts against the budget; surrogate pairs are never split.
    /// </summary>
    internal static (string Text, int Cut) Cap(string text, int budget)
    {
        if (text.Length <= budget)
        {
            return (text, 0);
        }

        // The marker's digits depend on the count it reports; the longest count (the whole text) bounds its length.
        var markerLength = Marker(text.Length).Length;
        var keep = Math.Max(0, budget - markerLength);
        var head = keep / 2;
        var tail = keep - head;
        if (head > 0 && char.IsHighSurrogate(text[head - 1]))
        {
            head--;
        }

        var tailStart = text.Length - tail;
        if (tail > 0 && char.IsLowSurrogate(text[tailStart]))
        {
            tailStart++;
        }

        var cut = tailStart - head;
        return (string.Concat(text.AsSpan(0, head), Marker(cut), text.AsSpan(tailStart)), cut);
    }

    private static string Marker(int cut) => string.Create(CultureInfo.InvariantCulture, $"\n[... {cut} characters cut ...]\n");

    private static string Truncated(params (string Name, int Length, int Cut)[] parts) =>
        string.Join("; ", parts.Where(p => p.Cut > 0).Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{p.Name}: {p.Cut} of {p.Length} characters cut from the middle")))
        + ". Print less, or write the full result to a file and read the part you need.";

    private static JsonElement Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
