using System.Globalization;
using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>
/// Kubernetes resource quantities (<c>500m</c>, <c>1.5</c>, <c>512Mi</c>, <c>1e3</c>): checked with the API server's grammar
/// before they reach <see cref="ResourceQuantity"/>, so a bad value fails with a message that names the field.
/// </summary>
internal static class Quantities
{
    /// <summary>128Mi: the smallest memory limit a Kata pod VM supports.</summary>
    public const decimal MinimumSandboxMemoryBytes = 128m * 1024 * 1024;

    /// <summary>Parses a quantity into its value in base units (bytes, cores).</summary>
    /// <returns>False when <paramref name="text"/> is not a Kubernetes quantity.</returns>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // <quantity> ::= <signedNumber><suffix>; split the number from the suffix.
        int i = 0;
        if (text[0] is '+' or '-')
        {
            i++;
        }

        int digitsStart = i;
        bool seenDot = false;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] == '.' && !seenDot)))
        {
            seenDot |= text[i] == '.';
            i++;
        }

        if (i == digitsStart || (i == digitsStart + 1 && seenDot))
        {
            return false;
        }

        if (!decimal.TryParse(text.AsSpan(0, i), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var suffix = text.AsSpan(i);
        decimal multiplier;
        switch (suffix)
        {
            case "": multiplier = 1m; break;
            case "n": multiplier = 0.000000001m; break;
            case "u": multiplier = 0.000001m; break;
            case "m": multiplier = 0.001m; break;
            case "k": multiplier = 1e3m; break;
            case "M": multiplier = 1e6m; break;
            case "G": multiplier = 1e9m; break;
            case "T": multiplier = 1e12m; break;
            case "P": multiplier = 1e15m; break;
            case "E": multiplier = 1e18m; break;
            case "Ki": multiplier = 1024m; break;
            case "Mi": multiplier = 1024m * 1024; break;
            case "Gi": multiplier = 1024m * 1024 * 1024; break;
            case "Ti": multiplier = 1024m * 1024 * 1024 * 1024; break;
            case "Pi": multiplier = 1024m * 1024 * 1024 * 1024 * 1024; break;
            case "Ei": multiplier = 1024m * 1024 * 1024 * 1024 * 1024 * 1024; break;
            default:
                if (suffix.Length >= 2 && suffix[0] is 'e' or 'E'
                    && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int exponent)
                    && exponent is >= -18 and <= 18)
                {
                    multiplier = 1m;
                    for (int e = 0; e < Math.Abs(exponent); e++)
                    {
                        multiplier = exponent > 0 ? multiplier * 10 : multiplier / 10;
                    }

                    break;
                }

                return false;
        }

        try
        {
            value = number * multiplier;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>The value of a parsed quantity in base units.</summary>
    public static decimal ValueOf(ResourceQuantity quantity) => quantity.ToDecimal();

    /// <summary>
    /// The value of a quantity read from an object, or false when Kubernetes would reject it: negative, or beyond what the client
    /// can represent (<c>1e400</c> parses but overflows). <paramref name="text"/> is the quantity as written, for messages.
    /// </summary>
    internal static bool TryValueOf(ResourceQuantity? quantity, out decimal value, out string text)
    {
        value = 0;
        if (quantity is null)
        {
            text = "";
            return false;
        }

        try
        {
            text = quantity.ToString();
        }
        catch (Exception e) when (e is OverflowException or ArgumentException or FormatException)
        {
            text = "(a quantity too large to represent)";
            return false;
        }

        try
        {
            value = quantity.ToDecimal();
        }
        catch (Exception e) when (e is OverflowException or ArgumentException or FormatException)
        {
            return false;
        }

        if (value < 0)
        {
            // The client prints -1Gi as -0.0000000009313225746154785156Ei: show the number the user wrote instead.
            text = "-" + (quantity.Format == ResourceQuantity.SuffixFormat.BinarySI ? FormatBytes(-value) : FormatDecimal(-value));
            return false;
        }

        return true;
    }

    /// <summary>A non-negative decimal quantity as a user writes it: <c>2</c>, <c>500m</c>, <c>0.0005</c>.</summary>
    private static string FormatDecimal(decimal value) =>
        value != decimal.Truncate(value) && value * 1000 == decimal.Truncate(value * 1000)
            ? (value * 1000).ToString("0", CultureInfo.InvariantCulture) + "m"
            : value.ToString("0.#########", CultureInfo.InvariantCulture);

    /// <summary>Formats bytes as the largest exact binary unit (<c>512Mi</c>, <c>1536Mi</c>, <c>2Gi</c>).</summary>
    public static string FormatBytes(decimal bytes)
    {
        string[] units = ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"];
        decimal factor = 1024m * 1024 * 1024 * 1024 * 1024 * 1024;
        foreach (var unit in units)
        {
            if (bytes >= factor && bytes % factor == 0)
            {
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + unit;
            }

            factor /= 1024;
        }

        return bytes.ToString("0.###", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses <paramref name="text"/> into a <see cref="ResourceQuantity"/> or throws naming <paramref name="field"/>.</summary>
    /// <exception cref="ArgumentException">The text is not a Kubernetes quantity.</exception>
    public static ResourceQuantity Parse(string text, string field)
    {
        ThrowIfInvalid(text, field);
        return new ResourceQuantity(text);
    }

    internal static void ThrowIfInvalid(string? text, string field)
    {
        if (!TryParse(text, out var value) || value < 0)
        {
            throw new ArgumentException(
                $"{field}: '{text}' is not a Kubernetes quantity. Write a non-negative number with an optional suffix: " +
                "'500m' or '2' for CPU, '512Mi' or '1Gi' for memory (Ki, Mi, Gi are powers of 1024; k, M, G of 1000; 'GB' is not a unit).",
                field);
        }
    }
}
