using CclAgent.Core.Secrets;
using CclAgent.Diagnosis.Evidence;
using CclAgent.Diagnosis.Reports;

namespace CclAgent.Diagnosis.Tests;

/// <summary>
/// The secret shapes evidence lines carry that the shared redactor used to miss, and the evidence facts (parsed from the
/// raw line) that used to skip it. The values are fake; the phrasings are the ones the cited threads show.
/// </summary>
public sealed class EvidenceRedactionTests
{
    public static TheoryData<string, string> Missed => new()
    {
        // https://github.com/zackees/transcribe-anything/issues/93: "--hf-token <token>" echoed in an OSError.
        { "--hf-token tok-no-shape-123 --device-id 0", "--hf-token *** --device-id 0" },
        { "torchrun train.py --db-password hunter2", "torchrun train.py --db-password ***" },
        { "wandb login 0123456789abcdef0123456789abcdef01234567", "wandb login ***" },

        // https://github.com/wandb/openui/issues/199: the server echoes a rejected key of no known shape.
        { "'message': 'Incorrect API key provided: xxx. You can find your API key at https://platform.openai.com/account/api-keys.'", "'message': 'Incorrect API key provided: ***. You can find your API key at https://platform.openai.com/account/api-keys.'" },

        // Glued names: the secret word ends the name without a separator.
        { "PGPASSWORD=s3cret psql -h db", "PGPASSWORD=*** psql -h db" },
        { "GITHUBTOKEN=abc123", "GITHUBTOKEN=***" },

        // Shapes of GitLab, npm and Google keys.
        { "glpat-abcdefghijklmnopqrst0123", "***" },
        { "npm_abcdefghijklmnopqrstuvwxyz0123456789", "***" },
        { "maps client using AIzaSyA-abcdefghijklmnopqrstuvwxyz01234 failed", "maps client using *** failed" },
    };

    public static TheoryData<string> StillHarmless => new()
    {
        "--max-new-tokens 512",
        "--key-file /etc/ssl/node.pem",
        "--tokenizer bert-base-uncased",
        "hotkey: ctrl",
        "wandb: Tracking run with wandb version 0.16.0",
        "Incorrect API key provided: ***. You can find your API key at https://platform.openai.com/account/api-keys.",
    };

    [Theory]
    [MemberData(nameof(Missed))]
    public void Secrets_the_redactor_used_to_miss_are_masked(string text, string expected) =>
        SecretRedactor.Redact(text).Should().Be(expected);

    [Theory]
    [MemberData(nameof(StillHarmless))]
    public void Flags_and_words_that_only_look_like_secrets_are_left_alone(string text) =>
        SecretRedactor.Redact(text).Should().Be(text);

    [Fact]
    public void A_parsed_exception_message_is_masked_like_the_line_it_came_from()
    {
        // Constructed from the OSError of https://github.com/zackees/transcribe-anything/issues/93, with a fake token.
        string log = "Traceback (most recent call last):\n  File \"/workspace/train.py\", line 9, in <module>\nOSError: Failed to execute insanely-fast-whisper --hf-token tok-no-shape-123";

        DiagnosisReport report = Given.Diagnose(log);

        EvidenceItem exception = report.Evidence.Single(e => e.Signal == "python_exception");
        exception.Facts["message"].Should().Be("Failed to execute insanely-fast-whisper --hf-token ***");
        exception.Text.Should().NotContain("tok-no-shape-123");
        report.Verdict.RootCause.Should().NotContain("tok-no-shape-123").And.Contain("--hf-token ***");
        report.Recommendations.Should().NotContain(r => (r.Detail ?? string.Empty).Contains("tok-no-shape-123"));
    }
}
