
namespace Sandboxing.Sdk.Tests.Objects;

public class NamesAndQuantitiesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("kata-vm-isolation", true)]
    [InlineData("0abc", true)]
    [InlineData("a.b", false)]
    [InlineData("A", false)]
    [InlineData("a-", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Labels(string? value, bool valid)
    {
        Assert.Equal(valid, KubernetesNames.IsLabel(value));
        Assert.False(KubernetesNames.IsLabel(new string('a', 64)));
        Assert.True(KubernetesNames.IsLabel(new string('a', 63)));
    }

    [Theory]
    [InlineData("kata.example.com", true)]
    [InlineData("a..b", false)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    [InlineData("a_b", false)]
    public void Subdomains(string value, bool valid)
    {
        Assert.Equal(valid, KubernetesNames.IsSubdomain(value));
        Assert.False(KubernetesNames.IsSubdomain(new string('a', 254)));
    }

    [Theory]
    [InlineData("app.kubernetes.io/name", true)]
    [InlineData("sandboxing.sdk/exempt.SBX2004", true)]
    [InlineData("Simple_Key", true)]
    [InlineData("/name", false)]
    [InlineData("Bad_Prefix/name", false)]
    [InlineData("prefix/-name", false)]
    public void Qualified_names(string value, bool valid) => Assert.Equal(valid, KubernetesNames.CheckQualifiedName(value) is null);

    [Theory]
    [InlineData("", true)]
    [InlineData("v1.2_beta", true)]
    [InlineData("-x", false)]
    [InlineData("a b", false)]
    public void Label_values(string value, bool valid) => Assert.Equal(valid, KubernetesNames.CheckLabelValue(value) is null);

    [Theory]
    [InlineData("1", 1)]
    [InlineData("500m", 0.5)]
    [InlineData("1.5", 1.5)]
    [InlineData("128Mi", 134217728)]
    [InlineData("1Gi", 1073741824)]
    [InlineData("1G", 1000000000)]
    [InlineData("1k", 1000)]
    [InlineData("1e3", 1000)]
    [InlineData("5E-1", 0.5)]
    [InlineData("+2", 2)]
    [InlineData(".5", 0.5)]
    public void Parses_kubernetes_quantities(string text, double expected)
    {
        Assert.True(Quantities.TryParse(text, out var value));
        Assert.Equal((decimal)expected, value);
        Assert.Equal(value, Quantities.ValueOf(new k8s.Models.ResourceQuantity(text)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1GB")]
    [InlineData("Mi")]
    [InlineData("1 Gi")]
    [InlineData("1.2.3")]
    [InlineData(".")]
    [InlineData("1e")]
    public void Refuses_what_kubernetes_refuses(string text) => Assert.False(Quantities.TryParse(text, out _));

    [Theory]
    [InlineData(536870912, "512Mi")]
    [InlineData(1610612736, "1536Mi")]
    [InlineData(2147483648, "2Gi")]
    [InlineData(1000, "1000")]
    public void Formats_bytes(long bytes, string expected) => Assert.Equal(expected, Quantities.FormatBytes(bytes));

    // The reasons users read in SBX0001 and in the builders' exceptions: each refusal names what is wrong.
    [Theory]
    [InlineData(null, "it is empty; a DNS-1123 label needs 1 to 63 characters")]
    [InlineData("", "it is empty; a DNS-1123 label needs 1 to 63 characters")]
    [InlineData("Web", "it contains the uppercase letter 'W'; Kubernetes names are lowercase")]
    [InlineData("web-", "it starts or ends with '-'; it must start and end with a letter or digit")]
    [InlineData("-web", "it starts or ends with '-'; it must start and end with a letter or digit")]
    [InlineData("we_b", "character '_' at position 3 is not allowed (lowercase letters, digits and '-')")]
    [InlineData("a.b", "character '.' at position 2 is not allowed (lowercase letters, digits and '-')")]
    public void A_label_is_refused_with_the_reason(string? value, string reason) => Assert.Equal(reason, KubernetesNames.CheckLabel(value));

    [Fact]
    public void A_label_or_subdomain_too_long_says_how_long_it_is()
    {
        Assert.Equal("it is 64 characters long; a DNS-1123 label has at most 63", KubernetesNames.CheckLabel(new string('a', 64)));
        Assert.Equal("it is 254 characters long; a DNS-1123 subdomain has at most 253", KubernetesNames.CheckSubdomain(new string('a', 254)));
        Assert.Null(KubernetesNames.CheckSubdomain(new string('a', 63) + "." + new string('b', 63) + "." + new string('c', 63) + "." + new string('d', 61)));
    }

    [Theory]
    [InlineData(null, "it is empty; a DNS-1123 subdomain needs 1 to 253 characters")]
    [InlineData("", "it is empty; a DNS-1123 subdomain needs 1 to 253 characters")]
    [InlineData("a..b", "it has an empty part between dots, or starts or ends with '.'")]
    [InlineData("a.", "it has an empty part between dots, or starts or ends with '.'")]
    [InlineData(".a", "it has an empty part between dots, or starts or ends with '.'")]
    [InlineData("ok.Bad", "it contains the uppercase letter 'B'; Kubernetes names are lowercase")]
    [InlineData("ok.b_d", "character '_' at position 5 is not allowed (lowercase letters, digits and '-')")]
    [InlineData("ok-.b", "it starts or ends with '-'; it must start and end with a letter or digit")] // each part is a label
    [InlineData("ok.-b", "it starts or ends with '-'; it must start and end with a letter or digit")]
    public void A_subdomain_is_refused_with_the_reason(string? value, string reason) => Assert.Equal(reason, KubernetesNames.CheckSubdomain(value));

    [Theory]
    [InlineData("az09")]
    [InlineData("z-0-a-9")]
    [InlineData("a.z.0.9")]
    [InlineData("0-9.a-z")]
    public void Lowercase_letters_digits_and_inner_dashes_make_a_subdomain(string value) => Assert.Null(KubernetesNames.CheckSubdomain(value));

    [Theory]
    [InlineData("`")] // the characters either side of each allowed range
    [InlineData("{")]
    [InlineData("/")]
    [InlineData(":")]
    [InlineData("@")]
    [InlineData("[")]
    public void The_characters_next_to_the_allowed_ranges_are_not_a_label(string value)
    {
        Assert.Equal($"character '{value}' at position 1 is not allowed (lowercase letters, digits and '-')", KubernetesNames.CheckLabel(value));
        Assert.NotNull(KubernetesNames.CheckQualifiedName(value));
        Assert.NotNull(KubernetesNames.CheckLabelValue(value));
    }

    [Theory]
    [InlineData("AZaz09")]
    [InlineData("Z.z_0-9a")]
    [InlineData("example.com/A-z_0.9")]
    public void Letters_of_both_cases_digits_and_inner_punctuation_make_a_key_and_a_value(string value)
    {
        Assert.Null(KubernetesNames.CheckQualifiedName(value));
        Assert.Equal(value.Contains('/', StringComparison.Ordinal), KubernetesNames.CheckLabelValue(value) is not null);
    }

    [Theory]
    [InlineData(null, "it is empty")]
    [InlineData("", "it is empty")]
    [InlineData("/name", "its prefix it is empty; a DNS-1123 subdomain needs 1 to 253 characters")]
    [InlineData("Bad/name", "its prefix it contains the uppercase letter 'B'; Kubernetes names are lowercase")]
    [InlineData("example.com/", "its name part must have 1 to 63 characters")]
    [InlineData("example.com/-name", "character '-' at position 1 is not allowed (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)")]
    [InlineData("name_", "character '_' at position 5 is not allowed (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)")]
    [InlineData("na me", "character ' ' at position 3 is not allowed (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)")]
    public void A_qualified_name_is_refused_with_the_reason(string? value, string reason) => Assert.Equal(reason, KubernetesNames.CheckQualifiedName(value));

    [Fact]
    public void A_qualified_name_part_has_at_most_63_characters()
    {
        Assert.Null(KubernetesNames.CheckQualifiedName("example.com/" + new string('a', 63)));
        Assert.Equal("its name part must have 1 to 63 characters", KubernetesNames.CheckQualifiedName("example.com/" + new string('a', 64)));
        Assert.Equal("its name part must have 1 to 63 characters", KubernetesNames.CheckQualifiedName(new string('a', 64)));
    }

    [Theory]
    [InlineData(null, "it is null; use an empty string for an empty label value")]
    [InlineData("-x", "character '-' at position 1 is not allowed (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)")]
    [InlineData("x.", "character '.' at position 2 is not allowed (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)")]
    [InlineData("a b", "character ' ' at position 2 is not allowed (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)")]
    public void A_label_value_is_refused_with_the_reason(string? value, string reason) => Assert.Equal(reason, KubernetesNames.CheckLabelValue(value));

    [Fact]
    public void A_label_value_has_at_most_63_characters()
    {
        Assert.Null(KubernetesNames.CheckLabelValue(new string('a', 63)));
        Assert.Equal("it is 64 characters long; a label value has at most 63", KubernetesNames.CheckLabelValue(new string('a', 64)));
    }

    [Fact]
    public void The_builders_name_the_parameter_the_rule_and_the_fix()
    {
        var invalid = Assert.Throws<ArgumentException>(() => KubernetesNames.ThrowIfInvalidLabel("Web", "name", "container name"));
        Assert.Equal("name", invalid.ParamName);
        Assert.StartsWith($"SBX0001: the container name 'Web' is not valid: it contains the uppercase letter 'W'; Kubernetes names are lowercase. {SandboxRules.InvalidName.Fix}", invalid.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentNullException>(() => KubernetesNames.ThrowIfInvalidSubdomain(null, "name", "object name"));
        Assert.Equal("name", missing.ParamName);
        Assert.StartsWith($"The object name is required. {SandboxRules.InvalidName.Fix}", missing.Message, StringComparison.Ordinal);
        Assert.Contains("its name part", Assert.Throws<ArgumentException>(() => KubernetesNames.ThrowIfInvalidQualifiedName("a/", "key", "label key")).Message, StringComparison.Ordinal);
        Assert.Contains("'-x' is not valid", Assert.Throws<ArgumentException>(() => KubernetesNames.ThrowIfInvalidLabelValue("-x", "value", "label value")).Message, StringComparison.Ordinal);
        KubernetesNames.ThrowIfInvalidLabel("web", "name", "container name");
        KubernetesNames.ThrowIfInvalidSubdomain("web.example", "name", "object name");
        KubernetesNames.ThrowIfInvalidQualifiedName("a/b", "key", "label key");
        KubernetesNames.ThrowIfInvalidLabelValue("", "value", "label value");
    }

    // Every suffix the API server knows, each with its own multiplier: a wrong one would misjudge a memory limit (SBX2007).
    [Theory]
    [InlineData("3n", "0.000000003")]
    [InlineData("3u", "0.000003")]
    [InlineData("3m", "0.003")]
    [InlineData("3", "3")]
    [InlineData("3k", "3000")]
    [InlineData("3M", "3000000")]
    [InlineData("3G", "3000000000")]
    [InlineData("3T", "3000000000000")]
    [InlineData("3P", "3000000000000000")]
    [InlineData("3E", "3000000000000000000")]
    [InlineData("3Ki", "3072")]
    [InlineData("3Mi", "3145728")]
    [InlineData("3Gi", "3221225472")]
    [InlineData("3Ti", "3298534883328")]
    [InlineData("3Pi", "3377699720527872")]
    [InlineData("3Ei", "3458764513820540928")]
    [InlineData("3e2", "300")]
    [InlineData("3e-2", "0.03")]
    [InlineData("3E+2", "300")]
    [InlineData("3e18", "3000000000000000000")]
    [InlineData("3e-18", "0.000000000000000003")]
    [InlineData("-3", "-3")]
    [InlineData("0.5Gi", "536870912")]
    public void Each_suffix_multiplies_by_its_own_factor(string text, string expected)
    {
        Assert.True(Quantities.TryParse(text, out var value), text);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("3e19")]   // the SDK reads exponents up to ±18, as far as the E suffix goes
    [InlineData("3e-19")]
    [InlineData("3e")]
    [InlineData("3x")]
    [InlineData("3mi")]
    [InlineData("+")]
    [InlineData("-.")]
    [InlineData("1..5")]
    [InlineData("79228162514264337593543950335Ei")] // overflows decimal
    public void Refuses_suffixes_and_numbers_kubernetes_refuses(string text)
    {
        Assert.False(Quantities.TryParse(text, out var value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1GB")]
    [InlineData(null)]
    public void Parse_refuses_a_negative_or_malformed_quantity_naming_the_field(string? text)
    {
        var error = Assert.Throws<ArgumentException>(() => Quantities.ThrowIfInvalid(text, "resources.limits.memory"));
        Assert.Equal("resources.limits.memory", error.ParamName);
        Assert.StartsWith($"resources.limits.memory: '{text}' is not a Kubernetes quantity. Write a non-negative number with an optional suffix: " +
            "'500m' or '2' for CPU, '512Mi' or '1Gi' for memory (Ki, Mi, Gi are powers of 1024; k, M, G of 1000; 'GB' is not a unit).", error.Message, StringComparison.Ordinal);
        Assert.Equal("0", Quantities.Parse("0", "cpu").ToString());
    }

    [Theory]
    [InlineData("-1", false)]
    [InlineData("0", true)]
    [InlineData("1e400", false)]  // parses, but the client cannot represent it
    public void TryValueOf_refuses_what_kubernetes_would(string text, bool readable)
    {
        Assert.Equal(readable, Quantities.TryValueOf(new k8s.Models.ResourceQuantity(text), out _, out _));
        Assert.False(Quantities.TryValueOf(null, out var value, out var shown));
        Assert.Equal((0m, ""), (value, shown));
    }

    [Theory]
    [InlineData("-1Gi", "-1Gi")]    // negative: shown as the user wrote it (the client prints -0.0000000009313225746154785156Ei)
    [InlineData("-1.5Gi", "-1536Mi")]
    [InlineData("-2", "-2")]
    [InlineData("-500m", "-500m")]
    [InlineData("-1k", "-1000")]
    [InlineData("-0.0001", "-0.0001")]
    [InlineData("123456789012345678901234567890", "(a quantity too large to represent)")] // the client cannot even print it
    public void TryValueOf_shows_a_refused_quantity_for_messages(string text, string shown)
    {
        Assert.False(Quantities.TryValueOf(new k8s.Models.ResourceQuantity(text), out _, out var written));
        Assert.Equal(shown, written);
    }

    [Theory]
    [InlineData(1024, "1Ki")]
    [InlineData(1023, "1023")]
    [InlineData(1536, "1536")]    // 1.5Ki: no whole unit, so bytes
    [InlineData(1099511627776, "1Ti")]
    [InlineData(1125899906842624, "1Pi")]
    [InlineData(1152921504606846976, "1Ei")]
    public void Formats_bytes_in_the_largest_exact_unit(long bytes, string expected) => Assert.Equal(expected, Quantities.FormatBytes(bytes));

    [Fact]
    public void Formats_a_fraction_of_a_byte_with_three_decimals()
    {
        Assert.Equal("0.5", Quantities.FormatBytes(0.5m));
        Assert.Equal("0.123", Quantities.FormatBytes(0.12345m));
        Assert.Equal("1.5", Quantities.FormatBytes(1.50m)); // no trailing zero from the decimal's scale
    }

    [Fact]
    public void Parse_checks_before_it_builds_and_a_number_beyond_decimal_is_no_quantity()
    {
        Assert.Equal("cpu", Assert.Throws<ArgumentException>(() => Quantities.Parse("-1", "cpu")).ParamName);
        Assert.False(Quantities.TryParse("1" + new string('0', 40), out _));
    }

    [Theory]
    [InlineData("A")]
    [InlineData("Z")]
    public void The_first_and_last_uppercase_letters_are_named_as_uppercase(string value) =>
        Assert.Equal($"it contains the uppercase letter '{value}'; Kubernetes names are lowercase", KubernetesNames.CheckLabel(value));
}
