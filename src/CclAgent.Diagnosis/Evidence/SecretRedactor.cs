using System.Text.RegularExpressions;

namespace CclAgent.Diagnosis.Evidence;

/// <summary>
/// Masks credentials before a line leaves the process: logs often echo the environment
/// (WANDB_API_KEY=…, HF tokens, AWS keys). Evidence text and code findings pass through here.
/// </summary>
internal static partial class SecretRedactor
{
    public static string Redact(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        string result = KeyValue().Replace(text, m => $"{m.Groups["key"].Value}{m.Groups["sep"].Value}***");
        return Token().Replace(result, "***");
    }

    [GeneratedRegex(@"(?<key>\b[\w.-]*(?:api[_-]?key|token|secret|password|passwd|credential|auth)[\w-]*['""]?)(?<sep>\s*[=:]\s*['""]?)(?<value>[^\s'"",;}]+)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"\b(?:hf_[A-Za-z0-9]{20,}|sk-[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+)")]
    private static partial Regex Token();
}
