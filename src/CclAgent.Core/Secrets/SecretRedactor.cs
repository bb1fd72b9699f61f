using System.Text.RegularExpressions;

namespace CclAgent.Core.Secrets;

/// <summary>
/// Masks credentials before text leaves the process: run directories, prompt packs, diagnosis reports and
/// warnings are shared and attached to bug reports, and logs and environments often carry tokens
/// (WANDB_API_KEY=…, HF tokens, AWS keys, passwords in URLs). Masking covers names (a variable called
/// <c>…_TOKEN</c>) and values (anything shaped like a token, wherever it appears).
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What a secret is replaced by.</summary>
    public const string Mask = "***";

    private static readonly string[] NameMarkers = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"];

    // The last word of a key in free text: "monkey", "tokens" and "keyboard" end no secret-bearing key.
    private static readonly HashSet<string> KeyWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "key", "apikey", "accesskey", "secretkey", "privatekey",
        "token", "authtoken", "accesstoken", "refreshtoken",
        "secret", "password", "passwd", "passphrase", "credential", "credentials",
    };

    // Secret words that also end a glued key (PGPASSWORD, dbpassword, GITHUBTOKEN, mysecret). "key" is not one:
    // "monkey" and "hotkey" end in it.
    private static readonly string[] GluedSuffixes = ["password", "passwd", "passphrase", "token", "secret", "apikey", "credential", "credentials"];

    // Abbreviations that name a password only as the last word of a longer name (DB_PASS, MYSQL_PWD): alone,
    // PWD is the shell's working directory, and inside a word PASS is "bypass" or "compass".
    private static readonly string[] SuffixMarkers = ["PASS", "PWD", "PW"];

    /// <summary>
    /// True when an environment variable's name contains a secret marker, in any case (<c>HF_TOKEN</c>,
    /// <c>aws_secret_access_key</c>), or ends in a password abbreviation after another word (<c>DB_PASS</c>,
    /// <c>MYSQL_PWD</c>; not <c>PWD</c> or <c>OLDPWD</c>). Deliberately broad: a masked harmless variable costs nothing.
    /// </summary>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return NameMarkers.Any(m => name.Contains(m, StringComparison.OrdinalIgnoreCase)) || EndsInPasswordAbbreviation(name);
    }

    /// <summary>
    /// A command-line argument as it may be written down: a <c>NAME=VALUE</c> assignment through
    /// <see cref="RedactValue"/> (so <c>DB_PASS=…</c> is masked by its name), anything else through <see cref="Redact(string)"/>.
    /// </summary>
    public static string RedactArgument(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        Match assignment = Assignment().Match(argument);
        return assignment.Success
            ? assignment.Groups["name"].Value + "=" + RedactValue(assignment.Groups["name"].Value, assignment.Groups["value"].Value)
            : Redact(argument);
    }

    /// <summary>
    /// A whole argument vector as it may be written down: each argument through <see cref="RedactArgument"/>, and the
    /// argument after a secret-named flag given as its own element (<c>--hf-token hf_…</c>, <c>--password hunter2</c>)
    /// masked whatever it looks like. Counting flags (<c>--max-tokens 256</c>) and tokenizer names are not secrets.
    /// </summary>
    public static IReadOnlyList<string> RedactArguments(IEnumerable<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var result = new List<string>();
        bool maskNext = false;
        foreach (string argument in argv)
        {
            result.Add(maskNext ? Mask : RedactArgument(argument));
            maskNext = IsSecretFlag(argument);
        }

        return result;
    }

    private static bool IsSecretFlag(string argument) =>
        argument.StartsWith('-') && !argument.Contains('=') && argument.TrimStart('-').Length > 0 && IsSecretName(argument.TrimStart('-'))
        && !argument.Contains("tokeniz", StringComparison.OrdinalIgnoreCase) && !argument.EndsWith("tokens", StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of a named variable as it may be written down: masked when the name is secret, otherwise with any secret inside it masked.</summary>
    public static string RedactValue(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return IsSecretName(name) ? Mask : Redact(value);
    }

    /// <summary>
    /// Masks the secrets in free text: the user information of URLs (<c>scheme://***@host</c>), the values of
    /// <c>token=</c>, <c>api_key:</c>, <c>"password": "…"</c> and similar pairs, bearer and basic credentials,
    /// credentials after a secret-named flag (<c>--hf-token …</c>) or <c>wandb login</c>, and values shaped like Hugging
    /// Face, OpenAI, GitHub, GitLab, npm, Google, Stripe, Slack, Telegram and AWS keys or JWTs.
    /// </summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }

        string result = UrlUserInfo().Replace(text, m => m.Groups["scheme"].Value + Mask + "@");
        result = AuthorizationHeader().Replace(result, m => m.Groups["head"].Value + Mask);
        result = BearerToken().Replace(result, m => m.Groups["scheme"].Value + Mask);
        result = KeyValuePair().Replace(result, MaskPair);
        result = FlagValue().Replace(result, MaskFlag);
        result = LoginArgument().Replace(result, m => m.Groups["head"].Value + Mask);
        result = RejectedKey().Replace(result, m => m.Groups["head"].Value + Mask);
        return TokenShape().Replace(result, Mask);
    }

    /// <summary>
    /// <see cref="Redact(string)"/>, and also every occurrence of the <paramref name="knownSecrets"/> (an API key
    /// this process was given, which may have no recognisable shape).
    /// </summary>
    public static string Redact(string text, IEnumerable<string> knownSecrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(knownSecrets);

        // Known values go first: once a shape rule has masked part of one, the rest could no longer be found.
        foreach (string secret in knownSecrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return Redact(text);
    }

    /// <summary>True when the key of a <c>key=value</c> pair names a credential by its last word (<c>WANDB_API_KEY</c>, <c>accessToken</c>, <c>x-api-key</c>, <c>DB_PASS</c>).</summary>
    private static bool IsSecretKey(string key)
    {
        string last = LastWord(key);
        return KeyWords.Contains(last) || EndsInPasswordAbbreviation(key)
            || GluedSuffixes.Any(s => last.Length > s.Length && last.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }

    private static bool EndsInPasswordAbbreviation(string name)
    {
        string last = LastWord(name);
        return last.Length < name.Length && SuffixMarkers.Contains(last, StringComparer.OrdinalIgnoreCase);
    }

    private static string MaskPair(Match m)
    {
        if (!IsSecretKey(m.Groups["key"].Value))
        {
            return m.Value;
        }

        Group value = m.Groups["value"];
        return string.Concat(m.ValueSpan[..(value.Index - m.Index)], Mask, m.ValueSpan[(value.Index - m.Index + value.Length)..]);
    }

    /// <summary>A command-line flag followed by its value after a space (<c>--hf-token hf_…</c>, <c>--password hunter2</c>).</summary>
    private static string MaskFlag(Match m) =>
        IsSecretKey(m.Groups["flag"].Value.TrimStart('-')) ? m.Groups["head"].Value + Mask : m.Value;

    /// <summary>The last word of an identifier split at <c>_</c>, <c>-</c>, <c>.</c> and lower-to-upper case changes.</summary>
    private static string LastWord(string key)
    {
        int start = key.Length;
        while (start > 0 && key[start - 1] is not ('_' or '-' or '.'))
        {
            start--;
            if (start > 0 && char.IsUpper(key[start]) && char.IsAsciiLetterLower(key[start - 1]))
            {
                break;
            }
        }

        return key[start..];
    }

    // An environment assignment as a command line carries it (--env NAME=VALUE, env NAME=VALUE prog).
    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex Assignment();

    // The user information of a URL: everything between "scheme://" and the last '@' before the host.
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.-]{0,31}://)[^\s/?#@""'<>]+(?:@[^\s/?#@""'<>]+)*@")]
    private static partial Regex UrlUserInfo();

    // The scheme word is taken atomically, so "Bearer ***" is not read as a bare credential "Bearer".
    [GeneratedRegex(@"(?<head>\bauthorization[""']?[ \t]*[:=][ \t]*[""']?(?>(?:(?:bearer|basic|token|digest)[ \t]+)?))(?<value>[^\s'"",;*]+)", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"(?<scheme>\bbearer[ \t]+)(?<value>[A-Za-z0-9\-._~+/]+=*)", RegexOptions.IgnoreCase)]
    private static partial Regex BearerToken();

    // A key ending in a secret word (checked in code, where the word split is readable), an optional quote around
    // it, '=' or ':', and a value: quoted (spaces allowed) or bare (up to a space, quote, separator or bracket).
    // Keys and schemes are length-bounded so a long run of dotted words costs linear time, not quadratic.
    [GeneratedRegex(@"(?<key>\b(?=[A-Za-z])[\w.-]{0,64}?(?:key|token|secret|password|passwd|passphrase|credentials?|pass|pwd|pw))(?![\w.-])[""']?[ \t]*[=:][ \t]*(?:(?<quote>[""'])(?<value>[^""'\r\n]+)\k<quote>|(?<value>[^\s'""`,;&(){}\[\]<>*=][^\s'""`,;&(){}\[\]<>]*))", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePair();

    // A flag whose name ends in a secret word and its value after blanks, as command lines echoed in tracebacks carry them
    // (transcribe-anything#93: "--hf-token <token>" in an OSError). The value may not start with '-' (the next flag) or '*'.
    [GeneratedRegex(@"(?<head>(?<![\w-])(?<flag>--?[A-Za-z][\w-]{0,48}?(?:key|token|secret|password|passwd|passphrase|credentials?|pass|pwd|pw))[ \t]+)(?<value>[^\s'""`*-][^\s'""`]*)", RegexOptions.IgnoreCase)]
    private static partial Regex FlagValue();

    // "wandb login <key>" and "huggingface-cli login <token>": the credential is a positional argument.
    [GeneratedRegex(@"(?<head>\b(?:wandb|huggingface-cli|hf)[ \t]+(?:auth[ \t]+)?login[ \t]+)(?<value>[^\s'""`*-]\S*)", RegexOptions.IgnoreCase)]
    private static partial Regex LoginArgument();

    // OpenAI-compatible servers echo the key they rejected: "Incorrect API key provided: xxx. You can find …" (wandb/openui#199);
    // a key of no known shape is still a key here. The sentence's full stop is kept.
    [GeneratedRegex(@"(?<head>\bAPI key provided:[ \t]*)(?<value>[^\s'""`,}*][^\s'""`,}]*?)(?=\.?(?:[\s'""`,}]|$))", RegexOptions.IgnoreCase)]
    private static partial Regex RejectedKey();

    [GeneratedRegex(@"\b(?:hf_[A-Za-z0-9]{20,}|sk-[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}\b|xox[abceoprs]-[A-Za-z0-9-]{10,}|glpat-[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36}|AIza[0-9A-Za-z_-]{35}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+)|(?:\b|(?<=\bbot))[0-9]{6,12}:[A-Za-z0-9_-]{30,}")]
    private static partial Regex TokenShape();
}
