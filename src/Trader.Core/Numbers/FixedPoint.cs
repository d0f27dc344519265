using System.Numerics;

namespace Trader.Core.Numbers;

/// <summary>Why a fixed-point text could not be read.</summary>
public enum FixedPointError
{
    None,
    Empty,
    NotANumber,
    NegativeNotAllowed,
    TooManyDecimals,
    OutOfRange,
}

/// <summary>
/// Exact decimal text ⇄ scaled integer conversion, shared by <see cref="Price"/>, <see cref="Quantity"/>
/// and <see cref="Money"/>. Accepts <c>[-]digits[.digits]</c> (also <c>.5</c> and <c>5.</c>); no exponent,
/// no thousands separators, no whitespace. Works on UTF-16 and UTF-8 spans without allocating.
/// Extra decimals beyond the scale are accepted only when they are zeros ("0.52000" is 0.5200).
/// </summary>
public static class FixedPoint
{
    public static FixedPointError TryParse<T>(ReadOnlySpan<T> text, int scaleDigits, bool allowNegative, long maxAbs, out long value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        if (text.IsEmpty) return FixedPointError.Empty;

        int i = 0;
        bool negative = false;
        int first = int.CreateTruncating(text[0]);
        if (first == '-' || first == '+')
        {
            negative = first == '-';
            i = 1;
            if (text.Length == 1) return FixedPointError.NotANumber;
        }

        long intPart = 0;
        int intDigits = 0;
        for (; i < text.Length; i++)
        {
            int c = int.CreateTruncating(text[i]);
            if (c == '.') break;
            if ((uint)(c - '0') > 9) return FixedPointError.NotANumber;
            if (intPart > (long.MaxValue - 9) / 10) return FixedPointError.OutOfRange;
            intPart = intPart * 10 + (c - '0');
            intDigits++;
        }

        long fraction = 0;
        int fracDigits = 0;
        if (i < text.Length)
        {
            i++; // skip '.'
            for (; i < text.Length; i++)
            {
                int c = int.CreateTruncating(text[i]);
                if ((uint)(c - '0') > 9) return FixedPointError.NotANumber;
                if (fracDigits < scaleDigits)
                {
                    fraction = fraction * 10 + (c - '0');
                }
                else if (c != '0')
                {
                    return FixedPointError.TooManyDecimals;
                }
                fracDigits++;
            }
        }

        if (intDigits == 0 && fracDigits == 0) return FixedPointError.NotANumber;

        int used = Math.Min(fracDigits, scaleDigits);
        for (int k = used; k < scaleDigits; k++) fraction *= 10;

        long scale = Pow10(scaleDigits);
        if (intPart > maxAbs / scale) return FixedPointError.OutOfRange;
        long magnitude = intPart * scale + fraction;
        if (magnitude > maxAbs) return FixedPointError.OutOfRange;

        if (negative)
        {
            if (!allowNegative && magnitude != 0) return FixedPointError.NegativeNotAllowed;
            magnitude = -magnitude;
        }
        value = magnitude;
        return FixedPointError.None;
    }

    /// <summary>Formats a scaled integer with exactly <paramref name="decimals"/> decimals (≤ scale), truncating nothing:
    /// the caller must ask for at least as many decimals as the value carries.</summary>
    public static string Format(long scaled, int scaleDigits, int decimals)
    {
        Span<char> buffer = stackalloc char[32];
        int written = Format(scaled, scaleDigits, decimals, buffer);
        return new string(buffer[..written]);
    }

    /// <summary>Writes the value into <paramref name="destination"/>; returns the number of chars written.</summary>
    public static int Format(long scaled, int scaleDigits, int decimals, Span<char> destination)
    {
        if (decimals > scaleDigits) throw new ArgumentOutOfRangeException(nameof(decimals));
        long drop = Pow10(scaleDigits - decimals);
        if (scaled % drop != 0)
            throw new InvalidOperationException($"value {scaled}/10^{scaleDigits} has more than {decimals} decimals");

        bool negative = scaled < 0;
        ulong magnitude = negative ? (ulong)(-(scaled + 1)) + 1 : (ulong)scaled;
        magnitude /= (ulong)drop;
        ulong unit = (ulong)Pow10(decimals);
        ulong whole = magnitude / unit;
        ulong frac = magnitude % unit;

        int pos = 0;
        if (negative) destination[pos++] = '-';
        whole.TryFormat(destination[pos..], out int w);
        pos += w;
        if (decimals > 0)
        {
            destination[pos++] = '.';
            for (int k = decimals - 1; k >= 0; k--)
            {
                destination[pos + k] = (char)('0' + (int)(frac % 10));
                frac /= 10;
            }
            pos += decimals;
        }
        return pos;
    }

    public static long Pow10(int n)
    {
        long r = 1;
        for (int k = 0; k < n; k++) r *= 10;
        return r;
    }

    public static string Describe(FixedPointError error, int scaleDigits) => error switch
    {
        FixedPointError.Empty => "it is empty",
        FixedPointError.NotANumber => "it is not a plain decimal number",
        FixedPointError.NegativeNotAllowed => "it is negative",
        FixedPointError.TooManyDecimals => $"it has more than {scaleDigits} decimals",
        FixedPointError.OutOfRange => "it is out of range",
        _ => "it is invalid",
    };
}

/// <summary>A wire value that could not be read; the message names the value and the reason.</summary>
public sealed class WireFormatException : FormatException
{
    public WireFormatException(string kind, string value, string reason)
        : base($"'{Truncate(value)}' is not a valid {kind}: {reason}")
    {
        Kind = kind;
        Value = value;
        Reason = reason;
    }

    public string Kind { get; }
    public string Value { get; }
    public string Reason { get; }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
