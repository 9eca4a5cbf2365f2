using System.Text.Json;
using Sandboxing.Sdk.AI;

namespace Sandboxing.Sdk.AI.Tests;

/// <summary>What the model reads: the JSON of a run, and how long output is cut.</summary>
public class ToolResultsTests
{
    [Fact]
    public void A_run_that_fits_is_returned_whole_without_a_truncation_note()
    {
        var result = ToolResults.Run(3, "out\n", "err\n", 100);

        Assert.Equal(3, result.GetProperty("exit_code").GetInt32());
        Assert.Equal("out\n", result.GetProperty("stdout").GetString());
        Assert.Equal("err\n", result.GetProperty("stderr").GetString());
        Assert.False(result.TryGetProperty("truncated", out _));
    }

    [Fact]
    public void Long_output_keeps_its_start_and_end_within_the_budget_and_says_how_much_was_cut()
    {
        // The example of docs/agent-sandboxes.md: print("\n".join(str(i) for i in range(40000))).
        var stdout = string.Join("\n", Enumerable.Range(0, 40000)) + "\n";
        var result = ToolResults.Run(0, stdout, "", 16384);

        var text = result.GetProperty("stdout").GetString()!;
        Assert.Equal(228890, stdout.Length);
        Assert.True(text.Length <= 16384, $"{text.Length} characters returned");
        Assert.StartsWith("0\n1\n2\n", text, StringComparison.Ordinal);
        Assert.EndsWith("39998\n39999\n", text, StringComparison.Ordinal);
        Assert.Contains("\n[... 212539 characters cut ...]\n", text, StringComparison.Ordinal);
        Assert.Equal("stdout: 212539 of 228890 characters cut from the middle. Print less, or write the full result to a file and read the part you need.",
            result.GetProperty("truncated").GetString());
        Assert.Equal(stdout.Length - 212539, text.Length - "\n[... 212539 characters cut ...]\n".Length);
    }

    [Fact]
    public void A_short_stream_keeps_all_of_itself_and_the_long_one_gets_the_rest_of_the_budget()
    {
        var traceback = "Traceback (most recent call last):\nValueError: bad\n";
        var result = ToolResults.Run(1, new string('x', 50_000), traceback, 1000);

        Assert.Equal(traceback, result.GetProperty("stderr").GetString());
        Assert.Equal(1000 - traceback.Length, result.GetProperty("stdout").GetString()!.Length);
        Assert.StartsWith("stdout: ", result.GetProperty("truncated").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_long_streams_share_the_budget_in_halves_and_both_are_reported()
    {
        var result = ToolResults.Run(1, new string('o', 10_000), new string('e', 10_000), 1000);

        // Each gets half of the budget; the marker's count of cut characters may have one digit less than the bound allowed for.
        Assert.InRange(result.GetProperty("stdout").GetString()!.Length, 495, 500);
        Assert.InRange(result.GetProperty("stderr").GetString()!.Length, 495, 500);
        var note = result.GetProperty("truncated").GetString()!;
        Assert.Contains("stdout: ", note, StringComparison.Ordinal);
        Assert.Contains("; stderr: ", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 10, 100, 10, 10)]
    [InlineData(30, 200, 100, 30, 70)]
    [InlineData(200, 30, 100, 70, 30)]
    [InlineData(200, 200, 101, 50, 51)]
    public void Split_gives_each_half_and_passes_on_what_one_does_not_need(int first, int second, int budget, int expectedFirst, int expectedSecond) =>
        Assert.Equal((expectedFirst, expectedSecond), ToolResults.Split(first, second, budget));

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        // Every character is an emoji (two UTF-16 units): wherever the cut falls, the result must stay well-formed UTF-16.
        var text = string.Concat(Enumerable.Repeat("\U0001F600", 1000));
        for (int budget = 40; budget < 80; budget++)
        {
            var (capped, cut) = ToolResults.Cap(text, budget);
            Assert.True(capped.Length <= budget, $"budget {budget}: {capped.Length} characters");
            Assert.Equal(text.Length - cut, capped.Length - $"\n[... {cut} characters cut ...]\n".Length);
            Assert.True(IsWellFormed(capped), $"budget {budget}: a lone surrogate in {capped}");
        }
    }

    private static bool IsWellFormed(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 == text.Length || !char.IsLowSurrogate(text[++i]))
                {
                    return false;
                }
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void A_budget_too_small_for_the_marker_returns_the_marker_alone()
    {
        var (capped, cut) = ToolResults.Cap(new string('a', 1000), 5);

        Assert.Equal(1000, cut);
        Assert.Equal("\n[... 1000 characters cut ...]\n", capped);
    }

    [Fact]
    public void A_file_result_names_the_path_and_size_and_cuts_like_a_run()
    {
        var result = ToolResults.File("data.csv", new string('a', 5000), 5000, 1000);

        Assert.Equal("data.csv", result.GetProperty("path").GetString());
        Assert.Equal(5000, result.GetProperty("size_bytes").GetInt64());
        Assert.True(result.GetProperty("content").GetString()!.Length <= 1000);
        Assert.StartsWith("content: ", result.GetProperty("truncated").GetString(), StringComparison.Ordinal);
    }
}
