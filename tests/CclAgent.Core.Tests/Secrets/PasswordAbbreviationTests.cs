using CclAgent.Core.Secrets;

namespace CclAgent.Core.Tests.Secrets;

public sealed class PasswordAbbreviationTests
{
    [Theory]
    [InlineData("DB_PASS")]
    [InlineData("MYSQL_PWD")]
    [InlineData("redis_pw")]
    [InlineData("PGPASSWORD")]
    public void A_name_ending_in_a_password_abbreviation_after_another_word_is_secret(string name) =>
        SecretRedactor.IsSecretName(name).Should().BeTrue();

    [Theory]
    [InlineData("PWD")]
    [InlineData("OLDPWD")]
    [InlineData("PATH")]
    [InlineData("BYPASS_CACHE")]
    [InlineData("COMPASS")]
    public void The_working_directory_and_words_merely_containing_pass_are_not_secret(string name) =>
        SecretRedactor.IsSecretName(name).Should().BeFalse();

    [Fact]
    public void A_db_pass_assignment_in_free_text_is_masked_but_pwd_is_kept()
    {
        SecretRedactor.Redact("DB_PASS=hunter2 PWD=/home/me").Should().Be("DB_PASS=*** PWD=/home/me");
    }

    [Fact]
    public void An_argument_is_masked_by_its_assignment_name_and_by_its_shape()
    {
        SecretRedactor.RedactArgument("MYSQL_PWD=hunter2").Should().Be("MYSQL_PWD=***");
        SecretRedactor.RedactArgument("MIRROR=https://user:hunter2@host/simple").Should().Be("MIRROR=https://***@host/simple");
        SecretRedactor.RedactArgument("--llm-endpoint=http://u:pw@127.0.0.1:1/").Should().Be("--llm-endpoint=http://***@127.0.0.1:1/");
        SecretRedactor.RedactArgument("PWD=/home/me").Should().Be("PWD=/home/me");
    }
}
