using CclAgent.Runtime.Execution;

namespace CclAgent.Runtime.Tests.Execution;

public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("HF_TOKEN", true)]
    [InlineData("aws_secret_access_key", true)] // case-insensitive
    [InlineData("OPENAI_API_KEY", true)]
    [InlineData("DB_PASSWD", true)]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS", true)]
    [InlineData("NCCL_ALGO", false)]
    [InlineData("PATH", false)]
    public void Names_that_look_like_credentials_are_secret(string name, bool secret) =>
        Assert.Equal(secret, SecretRedaction.IsSecret(name));
}
