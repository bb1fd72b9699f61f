using System.CommandLine.Parsing;
using System.Globalization;

namespace CclAgent.Cli.Commands;

/// <summary>
/// Parsers for numeric options: System.CommandLine's own message names the CLR type
/// ("as expected type 'System.Nullable`1[System.Int32]'"), which tells a user nothing.
/// </summary>
internal static class NumberParsers
{
    public static int? Integer(ArgumentResult result)
    {
        string token = Token(result);
        if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        // A whole number too large for the option is a range problem, not a type problem (2^31 for --seed).
        bool whole = token.Length > 0 && token.TrimStart('-', '+').Length > 0 && token.TrimStart('-', '+').All(char.IsAsciiDigit);
        result.AddError(whole
            ? $"{OptionName(result)}: {token} is out of range; expected an integer in [{int.MinValue}, {int.MaxValue}]"
            : $"{OptionName(result)}: '{token}' is not an integer");
        return null;
    }

    public static double? Number(ArgumentResult result)
    {
        string token = Token(result);
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
        {
            return value;
        }

        result.AddError($"{OptionName(result)}: '{token}' is not a finite number");
        return null;
    }

    private static string Token(ArgumentResult result) => result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
