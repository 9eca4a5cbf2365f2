
namespace Sandboxing.Sdk.Tests.Objects;

// Input-derived text (a file name, a YAML value) must stay on its line in every text output: the edges of each escaped range
// are pinned, since one character too few lets a line separator or a terminal escape through.
public class ControlCharacterEscapingTests
{
    [Theory]
    [InlineData('\u0000', true)]
    [InlineData('\u001f', true)]
    [InlineData(' ', false)]
    [InlineData('~', false)]
    [InlineData('\u007f', true)]  // DEL
    [InlineData('\u0085', true)]  // NEL, a new line to some terminals and CI log readers
    [InlineData('\u009f', true)]
    [InlineData('\u00a0', false)] // no-break space: printable
    [InlineData('\u2027', false)]
    [InlineData('\u2028', true)]  // line separator
    [InlineData('\u2029', true)]  // paragraph separator
    [InlineData('\u202a', false)]
    public void The_escaped_ranges_are_C0_DEL_C1_and_the_Unicode_separators(char c, bool control)
    {
        Assert.Equal(control, ControlCharacters.IsControl(c));
        Assert.Equal(control, ControlCharacters.Escape(c.ToString()) != c.ToString());
    }

    [Theory]
    [InlineData("\nx", "\\nx")]                    // first character
    [InlineData("x\r", "x\\r")]                    // last character
    [InlineData("a\tb\u001fc", "a\\tb\\x1Fc")]
    [InlineData("\u009f\u00ff", "\\x9F\u00ff")]
    [InlineData("\u2028\u2029", "\\u2028\\u2029")]
    [InlineData("ok \u001b[31mred", "ok \\x1B[31mred")]
    public void Escape_writes_each_control_character_as_an_escape_and_keeps_the_rest(string text, string expected) =>
        Assert.Equal(expected, ControlCharacters.Escape(text));

    [Fact]
    public void Text_without_control_characters_is_returned_as_it_is()
    {
        const string text = "deploy/web.yaml: é ✓";
        Assert.Same(text, ControlCharacters.Escape(text));
        Assert.Same("", ControlCharacters.Escape(""));
        Assert.Throws<ArgumentNullException>(() => ControlCharacters.Escape(null!));
    }

    [Fact]
    public void Append_escapes_one_character_into_a_builder()
    {
        var text = new System.Text.StringBuilder("a");
        ControlCharacters.Append(text, '\u0007');
        ControlCharacters.Append(text, 'b');
        ControlCharacters.Append(text, '\u2029');
        Assert.Equal("a\\x07b\\u2029", text.ToString());
    }
}
