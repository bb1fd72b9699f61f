using CclAgent.Watch.Parsing;

namespace CclAgent.Watch.Tests.Parsing;

/// <summary>Which characters belong to a key and which end a value, checked over the whole ASCII range.</summary>
public sealed class KeyValueScannerTests
{
    [Fact]
    public void A_key_holds_ascii_letters_digits_and_the_marks_underscore_dot_slash_dash_at_and_nothing_else()
    {
        for (char c = '!'; c < (char)127; c++)
        {
            if (c is ':' or '=')
            {
                continue;
            }

            string text = $"x a{c}k: 1";
            bool keyChar = char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-' or '@';

            Key(text).Should().Be(keyChar ? $"a{c}k" : "k", "'{0}' is {1}a key character", c, keyChar ? string.Empty : "not ");
        }
    }

    [Fact]
    public void A_key_may_hold_letters_beyond_ascii()
    {
        Key("x größe: 3").Should().Be("größe");
        Key("x a\u2022k: 3").Should().Be("k");
    }

    [Fact]
    public void A_value_ends_at_a_space_tab_comma_bar_or_semicolon_and_at_nothing_else_of_ascii()
    {
        for (char c = '!'; c < (char)127; c++)
        {
            string text = $"k: 1{c}2";
            bool ends = c is ',' or '|' or ';';

            Value(text).Should().Be(ends ? "1" : $"1{c}2", "'{0}' does {1}end a value", c, ends ? string.Empty : "not ");
        }

        Value("k: 1 2").Should().Be("1");
        Value("k: 1\t2").Should().Be("1");
    }

    private static string Key(string text) => Only(text, pair => text.Substring(pair.KeyStart, pair.KeyLength));

    private static string Value(string text) => Only(text, pair => text.Substring(pair.ValueStart, pair.ValueLength));

    private static string Only(string text, Func<KeyValueSpan, string> part)
    {
        var pairs = new KeyValueSpan[8];
        int count = KeyValueScanner.Scan(text, 0, pairs);
        count.Should().BeGreaterThan(0, "'{0}' holds a pair", text);
        return part(pairs[0]);
    }
}
