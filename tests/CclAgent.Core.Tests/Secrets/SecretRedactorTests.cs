using CclAgent.Core.Secrets;

namespace CclAgent.Core.Tests.Secrets;

public sealed class SecretRedactorTests
{
    public static TheoryData<string, string> Secrets => new()
    {
        // URLs: the user information goes, scheme, host, port and path stay.
        { "https://user:hunter2@example.com/path", "https://***@example.com/path" },
        { "git clone https://x-access-token:abc123@github.com/o/r.git", "git clone https://***@github.com/o/r.git" },
        { "postgres://admin:p@ss@db:5432/runs", "postgres://***@db:5432/runs" },
        { "HTTPS_PROXY=http://bob:pw@proxy.internal:3128", "HTTPS_PROXY=http://***@proxy.internal:3128" },
        { "\"endpoint\": \"http://u:p@vllm:8000/v1\"", "\"endpoint\": \"http://***@vllm:8000/v1\"" },

        // key=value and key: value pairs, by the last word of the key.
        { "token=abc123", "token=***" },
        { "WANDB_API_KEY=abcd1234secretvalue", "WANDB_API_KEY=***" },
        { "api_key: abc123", "api_key: ***" },
        { "--password=hunter2 --user bob", "--password=*** --user bob" },
        { "DB_PASSWD=hunter2", "DB_PASSWD=***" },
        { "client_secret = s3cr3t", "client_secret = ***" },
        { "accessToken=abc.def", "accessToken=***" },
        { "x-api-key: abc123", "x-api-key: ***" },
        { "passphrase='correct horse'", "passphrase='***'" },
        { "GOOGLE_APPLICATION_CREDENTIALS=/home/me/creds.json", "GOOGLE_APPLICATION_CREDENTIALS=***" },
        { "https://hooks.example.com/cb?token=abc&x=1", "https://hooks.example.com/cb?token=***&x=1" },
        { "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = ***" },

        // Quoted forms: JSON, Python dicts.
        { "{\"api_key\": \"abc123\", \"model\": \"gpt\"}", "{\"api_key\": \"***\", \"model\": \"gpt\"}" },
        { "{'password': 'my secret pass'}", "{'password': '***'}" },
        { "{\"token\":\"abc\"}", "{\"token\":\"***\"}" },

        // Authorization headers and bearer tokens.
        { "Authorization: Bearer abc.def-ghi", "Authorization: Bearer ***" },
        { "authorization: Basic dXNlcjpwYXNz", "authorization: Basic ***" },
        { "-H 'Authorization: xyz789'", "-H 'Authorization: ***'" },
        { "sending Bearer xyz", "sending Bearer ***" },

        // Values shaped like a provider's key, wherever they appear.
        { "login with hf_abcdefghijklmnopqrstuvwxyz123456 failed", "login with *** failed" },
        { "key sk-abcdefghijklmnopqrstuvwxyz rejected", "key *** rejected" },
        { "sk-proj-abcdefghijklmnopqrstuvwxyz0123", "***" },
        { "AKIAIOSFODNN7EXAMPLE", "***" },
        { "session ASIAIOSFODNN7EXAMPLE expired", "session *** expired" },
        { "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "***" },
        { "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "***" },
        { "xoxb-1234567890-abcdefghij", "***" },
        { "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl", "***" },
        { "POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage", "POST https://api.telegram.org/bot***/sendMessage" },
        { "WANDB_API_KEY=abcd1234secretvalue HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz123456 rest", "WANDB_API_KEY=*** HF_TOKEN=*** rest" },
    };

    public static TheoryData<string> Harmless => new()
    {
        "monkey=3",
        "tokens: 512",
        "max_new_tokens=512",
        "num_tokens: 1024 tokens/s: 12000",
        "token_count=12",
        "tokenizer=bert-base-uncased",
        "keyboard layout=us",
        "hotkey: ctrl",
        "NCCL_IB_HCA=mlx5",
        "NCCL_SOCKET_IFNAME=eth0 NCCL_ALGO=Ring",
        "step 1200 loss=2.3100 lr: 3e-4",
        "step=1200 epoch=3",
        "node-17.cluster.local:29500",
        "connecting to gpu-node-03 port 12345",
        "https://example.com/path?q=1#top",
        "mail admin@example.com or ssh user@host",
        "hf_hub_download failed",
        "disk-cache-0123456789abcdefghijklmn",
        "task-0123456789abcdefghijklmnop",
        "AKIA1234",
        "api_key_source: CCL_AGENT_API_KEY",
        "password reset: see the docs",
        "the authorization header is missing",
        "12:30:45.123 iteration 5",
        "if token == expected:",
        "password=***",
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Secrets_in_free_text_are_masked(string text, string expected) =>
        SecretRedactor.Redact(text).Should().Be(expected);

    [Theory]
    [MemberData(nameof(Harmless))]
    public void Ordinary_words_numbers_and_hosts_are_left_alone(string text) =>
        SecretRedactor.Redact(text).Should().Be(text);

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Redacting_twice_changes_nothing_more(string text, string expected) =>
        SecretRedactor.Redact(SecretRedactor.Redact(text)).Should().Be(expected);

    [Fact]
    public void Url_userinfo_is_masked_but_host_kept() =>
        SecretRedactor.Redact("pushing to https://bot:ghs_token@git.example.org:8443/repo")
            .Should().Be("pushing to https://***@git.example.org:8443/repo");

    [Fact]
    [Trait("Category", "Integration")]
    public void A_secret_after_a_long_run_of_dotted_words_is_still_masked()
    {
        // The key rule bounds how far back it looks, so this stays linear (a quadratic scan would stall the suite).
        string text = string.Concat(Enumerable.Repeat("a.", 200_000)) + " token=abc";

        SecretRedactor.Redact(text).Should().EndWith(" token=***");
    }

    [Fact]
    public void Empty_text_stays_empty() =>
        SecretRedactor.Redact(string.Empty).Should().BeEmpty();

    [Fact]
    public void Known_secrets_are_masked_whatever_their_shape()
    {
        string text = SecretRedactor.Redact("401 for key plain-key-123 at https://u:p@host/", ["plain-key-123"]);

        text.Should().Be("401 for key *** at https://***@host/");
    }

    [Fact]
    public void Empty_known_secrets_are_ignored() =>
        SecretRedactor.Redact("nothing here", [string.Empty]).Should().Be("nothing here");

    [Fact]
    public void A_known_secret_is_masked_before_a_shape_rule_can_cut_it()
    {
        const string key = "sk-test-PLANTED-7f3a9c0e~tail";

        SecretRedactor.Redact($"Incorrect API key provided: {key}.", [key]).Should().Be("Incorrect API key provided: ***.");
    }

    [Theory]
    [InlineData("HF_TOKEN", true)]
    [InlineData("aws_secret_access_key", true)] // case-insensitive
    [InlineData("OPENAI_API_KEY", true)]
    [InlineData("DB_PASSWD", true)]
    [InlineData("MY_Password", true)]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS", true)]
    [InlineData("NCCL_ALGO", false)]
    [InlineData("NCCL_IB_HCA", false)]
    [InlineData("PATH", false)]
    public void Names_that_look_like_credentials_are_secret(string name, bool secret) =>
        SecretRedactor.IsSecretName(name).Should().Be(secret);

    [Theory]
    [InlineData("KEYBOARD_LAYOUT")]
    [InlineData("TOKENIZERS_PARALLELISM")]
    public void Variable_names_are_matched_broadly_since_masking_a_harmless_one_costs_nothing(string name) =>
        SecretRedactor.IsSecretName(name).Should().BeTrue();

    [Theory]
    [InlineData("HF_TOKEN", "tok-123", "***")]
    [InlineData("MY_Password", "pw-456", "***")]
    [InlineData("NCCL_ALGO", "Tree", "Tree")]
    [InlineData("PLAIN", "visible", "visible")]
    [InlineData("NCCL_IB_HCA", "mlx5_0:1,mlx5_1:1", "mlx5_0:1,mlx5_1:1")]
    [InlineData("HTTPS_PROXY", "http://bob:pw@proxy:3128", "http://***@proxy:3128")]
    [InlineData("EXTRA_ARGS", "--hub-token=hf_abcdefghijklmnopqrstuvwxyz123456", "--hub-token=***")]
    public void Values_are_masked_by_their_name_or_by_what_they_contain(string name, string value, string expected) =>
        SecretRedactor.RedactValue(name, value).Should().Be(expected);

    [Fact]
    public void An_argument_vector_masks_the_value_after_a_secret_named_flag_but_not_after_counting_flags()
    {
        string[] argv = ["python", "train.py", "--hf-token", "plain-looking-value", "--password", "hunter2", "--max-tokens", "256", "--tokenizer", "gpt2", "--lr", "3e-4", "DB_PASS=pw"];

        SecretRedactor.RedactArguments(argv).Should().Equal(
            "python", "train.py", "--hf-token", "***", "--password", "***", "--max-tokens", "256", "--tokenizer", "gpt2", "--lr", "3e-4", "DB_PASS=***");
    }
}
